import { PolicyResource, ReportViolation } from "@pulumi/policy";
import { catalystStackPolicy, peek, PreviewGaps, stringEntries, UNKNOWN } from "./lib";
import { LOAD_BALANCER_TYPES } from "./lib/alb";
import { containsString, dependsThrough, knownOutput, knownStrings, refersTo } from "./lib/references";
import { prefixListSources, PrefixListSources } from "./lib/prefix-lists";
import {
  describePorts,
  describeSources,
  IngressEntry,
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

interface WebExposure {
  entry: IngressEntry;
  /** Public sources: CIDRs, prefix lists with a public entry, lists not defined in the stack. */
  known: string[];
  /** A CIDR source is unknown at preview. */
  unknown: boolean;
}

interface Judgement {
  resources: readonly PolicyResource[];
  groups: readonly PolicyResource[];
  loadBalancers: readonly PolicyResource[];
  gaps: PreviewGaps;
  reportViolation: ReportViolation;
}

const external = (id: string) => `prefix list ${id} (not defined in this stack)`;

/**
 * Ports other than 80/443 are the resource policy's for CIDRs, but a prefix list's entries live on
 * other resources, so only this policy can judge them. A list the stack does not define cannot be
 * shown to be private: it is blocked rather than trusted.
 */
function judgeOtherPorts(rule: PolicyResource, entry: IngressEntry, lists: PrefixListSources, j: Judgement): void {
  if (lists.public.length === 0 && lists.external.length === 0) return;
  if (portClass(entry) === UNKNOWN) return j.gaps.add(`${rule.name} ${entry.path} protocol/ports`);
  const opens = `${rule.name} ${entry.path} opens ${describePorts(entry)} to`;
  for (const p of lists.public) j.reportViolation(`${opens} ${p}: only tcp 80 and 443 may be reachable from the internet.`, rule.urn);
  for (const id of lists.external) {
    j.reportViolation(`${opens} ${external(id)}: its entries cannot be checked, and only tcp 80 and 443 may be reachable from the internet.`, rule.urn);
  }
}

/** Public 80/443 sources must be on a load balancer's group that nothing else uses. */
function judgeWebPorts(rule: PolicyResource, exposed: readonly WebExposure[], j: Judgement): void {
  const where = (s: WebExposure) => `${rule.name} ${s.entry.path} (${describePorts(s.entry)} from ${describeSources(s.known)})`;
  const group = owningGroup(rule, j.groups);
  if (!group) {
    if (knownStrings(peek(rule.props, "securityGroupId")).length > 0) {
      j.reportViolation(`${where(exposed[0])}: its security group is not managed in this stack, so it cannot be shown to be a load balancer's.`, rule.urn);
    } else j.gaps.add(`${rule.name}.securityGroupId`);
    return;
  }
  const usedByLoadBalancer = j.loadBalancers.some((lb) => refersTo(lb, "securityGroups", group, "id")) || taggedLoadBalancer(group);
  if (!usedByLoadBalancer) {
    for (const s of exposed) {
      if (s.known.length > 0) j.reportViolation(`${where(s)}: security group ${group.name} is not a load balancer's.`, rule.urn);
      else j.gaps.add(`${rule.name} ${s.entry.path} source CIDR`);
    }
    return;
  }
  for (const user of attachments(group, j.resources)) {
    j.reportViolation(`${where(exposed[0])}: security group ${group.name} is open to the internet and also attached to ${user.type} ${user.name}.`, rule.urn);
  }
}

/**
 * Cross-resource half of the firewall rule: tcp 80/443 may be open to the internet only on a group
 * that a load balancer uses (found through `securityGroups` — a property dependency at preview, the
 * ids at `pulumi up` — or declared with the tag `catalyst:role = load-balancer`) and that nothing
 * else (tasks, database, instances) uses. Also every managed prefix list used as a source, on any
 * port: its entries are judged like CIDRs (resolved by id at `up`, by dependency at preview).
 */
export const securityGroupPublicIngressLoadBalancerOnly = catalystStackPolicy({
  name: "security-group-public-ingress-load-balancer-only",
  description:
    "Only a load balancer's own security group may accept tcp 80/443 from the internet; a managed prefix list source with a public entry, " +
    "or one not defined in this stack, counts as the internet on every port.",
  severity: "critical",
  remediationSteps:
    "Give the load balancer a dedicated security group (tag catalyst:role = load-balancer) with the public 80/443 rules and reference it " +
    "from the load balancer's securityGroups. App tasks and the database get their own groups that accept traffic only from that group. " +
    "Use a managed prefix list only with private entries, or on 80/443 of the load balancer's group; on any other port use CIDRs or a prefix list defined in this stack.",
  checklist: ["Server firewall configured (allow 80, 443; block 3000, 3001)"],
  validateStack: (args, reportViolation) => {
    const resources = args.resources;
    const j: Judgement = {
      resources,
      groups: resources.filter((r) => r.type === SECURITY_GROUP),
      loadBalancers: resources.filter(isLoadBalancer),
      gaps: new PreviewGaps(),
      reportViolation,
    };
    for (const rule of resources.filter((r) => (INGRESS_TYPES as readonly string[]).includes(r.type))) {
      const exposed: WebExposure[] = [];
      for (const entry of ingressEntries(rule.type, rule.props)) {
        const lists = prefixListSources(rule, entry, resources);
        lists.unknown.forEach((what) => j.gaps.add(what));
        if (portClass(entry) !== "web") {
          judgeOtherPorts(rule, entry, lists, j);
          continue;
        }
        const cidrs = publicSources(entry);
        const known = [...cidrs.known, ...lists.public, ...lists.external.map(external)];
        if (known.length > 0 || cidrs.unknown) exposed.push({ entry, known, unknown: cidrs.unknown });
      }
      if (exposed.length > 0) judgeWebPorts(rule, exposed, j);
    }
    j.gaps.settle("security groups and prefix lists are matched to rules and load balancers by dependency or id");
  },
});
