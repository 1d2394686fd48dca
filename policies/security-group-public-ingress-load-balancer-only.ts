import { PolicyResource } from "@pulumi/policy";
import { catalystStackPolicy, decideAtUp, peek, stringEntries } from "./lib";
import { LOAD_BALANCER_TYPES } from "./lib/alb";
import { containsString, dependsThrough, knownOutput, knownStrings, refersTo } from "./lib/references";
import {
  describePorts,
  describeSources,
  ingressEntries,
  INGRESS_TYPES,
  portClass,
  publicSources,
  SECURITY_GROUP,
  SECURITY_GROUP_TYPES,
} from "./lib/security-group-rules";

/** Tag that declares a security group as a load balancer's, for readers and for preview. */
export const ROLE_TAG = "catalyst:role";
export const LOAD_BALANCER_ROLE = "load-balancer";

const isLoadBalancer = (r: PolicyResource): boolean => (LOAD_BALANCER_TYPES as readonly string[]).includes(r.type);

function taggedLoadBalancer(sg: PolicyResource): boolean {
  return stringEntries(peek(sg.props, "tags")).known.some(([k, v]) => k === ROLE_TAG && v === LOAD_BALANCER_ROLE);
}

/**
 * Resources other than load balancers and SG rules that put `sg` on a network interface. Only custom
 * resources attach anything: a component (no provider, like the stack) may merely report the id in
 * its outputs.
 */
function attachments(sg: PolicyResource, resources: readonly PolicyResource[]): PolicyResource[] {
  const id = knownOutput(sg, "id");
  return resources.filter(
    (r) =>
      r.urn !== sg.urn &&
      r.provider !== undefined &&
      !isLoadBalancer(r) &&
      !SECURITY_GROUP_TYPES.includes(r.type) &&
      (Object.keys(r.propertyDependencies).some((key) => dependsThrough(r, key, sg)) || (id !== undefined && containsString(r.props, id))),
  );
}

/** The group a rule belongs to: itself for a group, else the group its securityGroupId names. */
function owningGroup(rule: PolicyResource, groups: readonly PolicyResource[]): PolicyResource | undefined {
  return rule.type === SECURITY_GROUP ? rule : groups.find((g) => refersTo(rule, "securityGroupId", g, "id"));
}

/**
 * Cross-resource half of the firewall rule: tcp 80/443 may be open to the internet only on a group
 * that a load balancer uses (found through `securityGroups` — a property dependency at preview, the
 * ids at `pulumi up` — or declared with the tag `catalyst:role = load-balancer`) and that nothing
 * else (tasks, database, instances) uses.
 */
export const securityGroupPublicIngressLoadBalancerOnly = catalystStackPolicy({
  name: "security-group-public-ingress-load-balancer-only",
  description: "Only a load balancer's own security group may accept tcp 80/443 from the internet.",
  severity: "critical",
  remediationSteps:
    "Give the load balancer a dedicated security group (tag catalyst:role = load-balancer) with the public 80/443 rules and reference it " +
    "from the load balancer's securityGroups. App tasks and the database get their own groups that accept traffic only from that group.",
  checklist: ["Server firewall configured (allow 80, 443; block 3000, 3001)"],
  validateStack: (args, reportViolation) => {
    const resources = args.resources;
    const groups = resources.filter((r) => r.type === SECURITY_GROUP);
    const loadBalancers = resources.filter(isLoadBalancer);
    const unknown: string[] = [];
    for (const rule of resources.filter((r) => (INGRESS_TYPES as readonly string[]).includes(r.type))) {
      const exposed = ingressEntries(rule.type, rule.props).filter((e) => portClass(e) === "web");
      const sources = exposed.map((e) => ({ entry: e, ...publicSources(e) })).filter((s) => s.known.length > 0 || s.unknown);
      if (sources.length === 0) continue;
      const where = (s: (typeof sources)[number]) => `${rule.name} ${s.entry.path} (${describePorts(s.entry)} from ${describeSources(s.known)})`;
      const group = owningGroup(rule, groups);
      if (!group) {
        if (knownStrings(peek(rule.props, "securityGroupId")).length > 0) {
          reportViolation(`${where(sources[0])}: its security group is not managed in this stack, so it cannot be shown to be a load balancer's.`, rule.urn);
        } else unknown.push(`${rule.name}.securityGroupId`);
        continue;
      }
      const usedByLoadBalancer = loadBalancers.some((lb) => refersTo(lb, "securityGroups", group, "id")) || taggedLoadBalancer(group);
      if (!usedByLoadBalancer) {
        for (const s of sources) {
          if (s.known.length > 0) reportViolation(`${where(s)}: security group ${group.name} is not a load balancer's.`, rule.urn);
          else unknown.push(`${rule.name} ${s.entry.path} source CIDR`);
        }
        continue;
      }
      for (const user of attachments(group, resources)) {
        reportViolation(`${where(sources[0])}: security group ${group.name} is open to the internet and also attached to ${user.type} ${user.name}.`, rule.urn);
      }
    }
    if (unknown.length > 0) decideAtUp(unknown.join(", "), "security groups are matched to rules and load balancers by dependency or id");
  },
});
