import { catalystResourcePolicy, decideAtUp, forTypes, peek, UNKNOWN } from "./lib";

export const ecsNoPublicIp = catalystResourcePolicy({
  name: "ecs-no-public-ip",
  description: "ECS services must not give their tasks public IP addresses: the apps (ports 3000/3001) are reached only through the load balancer.",
  severity: "high",
  remediationSteps: "Leave `networkConfiguration.assignPublicIp` unset or false and run the tasks in private subnets (egress through NAT or VPC endpoints).",
  checklist: ["Server firewall configured (allow 80, 443; block 3000, 3001)"],
  validateResource: forTypes("aws:ecs/service:Service", (props, _args, reportViolation) => {
    const network = peek(props, "networkConfiguration");
    if (network === UNKNOWN) decideAtUp("networkConfiguration", "the network configuration must be declared in the program");
    const assign = peek(network, "assignPublicIp");
    if (assign === UNKNOWN) decideAtUp("networkConfiguration.assignPublicIp", "assignPublicIp must be a literal in the program");
    if (assign === true) reportViolation("networkConfiguration.assignPublicIp is true: every task gets an internet-reachable address.");
  }),
});
