// A security group rule can name a managed prefix list instead of CIDRs; the addresses it admits are
// the list's entries, which live on other resources (the list's inline `entries` and standalone
// aws.ec2.ManagedPrefixListEntry resources). Only a stack policy can see those, so a prefix-list
// source is resolved here against the stack: by id at `pulumi up`, by property dependency at preview.
import { PolicyResource } from "@pulumi/policy";
import { peek, UNKNOWN } from "./preview";
import { dependsThrough, knownOutput, refersTo } from "./references";
import { describeSources, IngressEntry, INLINE_INGRESS, isPublicCidr } from "./security-group-rules";

export const MANAGED_PREFIX_LIST = "aws:ec2/managedPrefixList:ManagedPrefixList";
export const MANAGED_PREFIX_LIST_ENTRY = "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry";

export interface PrefixListSources {
  /** Lists of the stack with a public entry, for messages: "prefix list cf (173.245.48.0/20, …)". */
  public: string[];
  /** Ids of lists the stack does not define (e.g. AWS-managed ones): their entries cannot be checked. */
  external: string[];
  /** What is unknown at preview, for `decideAtUp`. */
  unknown: string[];
}

type Cidr = string | typeof UNKNOWN;

function cidrOf(value: unknown): Cidr[] {
  if (value === UNKNOWN) return [UNKNOWN];
  return typeof value === "string" ? [value] : [];
}

/** Every CIDR a list of the stack holds; UNKNOWN for an entry (or a standalone entry's list) unknown at preview. */
function listCidrs(list: PolicyResource, resources: readonly PolicyResource[]): Cidr[] {
  const inline = peek(list.props, "entries");
  const out: Cidr[] = inline === UNKNOWN ? [UNKNOWN] : [];
  if (Array.isArray(inline)) inline.forEach((_, i) => out.push(...cidrOf(peek(peek(inline, i), "cidr"))));
  for (const entry of resources.filter((r) => r.type === MANAGED_PREFIX_LIST_ENTRY)) {
    if (refersTo(entry, "prefixListId", list, "id")) out.push(...cidrOf(peek(entry.props, "cidr")));
    // An entry whose list is neither a known id nor a dependency could belong to any list.
    else if (peek(entry.props, "prefixListId") === UNKNOWN && (entry.propertyDependencies.prefixListId ?? []).length === 0) out.push(UNKNOWN);
  }
  return out;
}

function judge(lists: readonly PolicyResource[], resources: readonly PolicyResource[], into: PrefixListSources): void {
  for (const list of lists) {
    const cidrs = listCidrs(list, resources);
    const open = cidrs.filter((c): c is string => c !== UNKNOWN && isPublicCidr(c));
    if (open.length > 0) into.public.push(`prefix list ${list.name} (${describeSources(open)})`);
    if (cidrs.includes(UNKNOWN)) into.unknown.push(`prefix list ${list.name} entries`);
  }
}

/**
 * The prefix-list sources of one ingress entry of `rule`, judged by their entries. An id at preview
 * is unknown: the lists the rule depends on through the entry's property stand in for it. Inline
 * blocks share one property ("ingress"), so when several lists could be this block's and one of
 * them is public, the block is undecidable at preview rather than blamed for another block's list.
 */
export function prefixListSources(rule: PolicyResource, entry: IngressEntry, resources: readonly PolicyResource[]): PrefixListSources {
  const lists = resources.filter((r) => r.type === MANAGED_PREFIX_LIST);
  const result: PrefixListSources = { public: [], external: [], unknown: [] };
  const computed = entry.prefixLists.filter((id) => id === UNKNOWN).length;
  for (const id of entry.prefixLists) {
    if (id === UNKNOWN) continue;
    const list = lists.find((l) => knownOutput(l, "id") === id);
    if (list) judge([list], resources, result);
    else result.external.push(id);
  }
  if (computed === 0) return result;
  const candidates = lists.filter((l) => dependsThrough(rule, entry.prefixListKey, l));
  const where = `${rule.name} ${entry.path} prefix list`;
  if (candidates.length === 0) {
    result.unknown.push(where);
  } else if (entry.prefixListKey !== INLINE_INGRESS || candidates.length <= computed) {
    judge(candidates, resources, result);
  } else {
    const possible: PrefixListSources = { public: [], external: [], unknown: [] };
    judge(candidates, resources, possible);
    result.unknown.push(...possible.unknown, ...(possible.public.length > 0 ? [where] : []));
  }
  return result;
}
