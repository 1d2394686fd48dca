export { INTERNET_SOURCES, Network } from "./network";
export type { NetworkArgs } from "./network";
export { ROLE_TAG, SECURITY_GROUP_ROLES } from "./securityGroups";
export type { LoadBalancerSources, SecurityGroupRole } from "./securityGroups";
export { subnetPlan } from "./cidr";
