// Security group rules come in three shapes: inline `ingress`/`egress` blocks of aws.ec2.SecurityGroup,
// standalone aws.vpc.SecurityGroupIngressRule, and standalone aws.ec2.SecurityGroupRule. Policies that
// check only the inline blocks miss the other two, so every SG policy reads rules through here.
import { peek, UNKNOWN } from "./preview";

export const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
export const DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
export const VPC_INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const VPC_EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
export const EC2_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";

/** Resource types that can carry an ingress rule. */
export const INGRESS_TYPES = [SECURITY_GROUP, VPC_INGRESS_RULE, EC2_RULE] as const;
/** Every security group and rule type (none of them "uses" a group the way a load balancer or task does). */
export const SECURITY_GROUP_TYPES: readonly string[] = [SECURITY_GROUP, DEFAULT_SECURITY_GROUP, VPC_INGRESS_RULE, VPC_EGRESS_RULE, EC2_RULE];

type Maybe<T> = T | typeof UNKNOWN;

export interface IngressEntry {
  /** Where the rule is, for messages: "ingress[0]" for inline blocks, "rule" for a standalone rule. */
  path: string;
  /** Normalised: "all", "tcp", "udp", "icmp", "icmpv6", or the protocol as given. */
  protocol: Maybe<string>;
  fromPort: Maybe<number | undefined>;
  toPort: Maybe<number | undefined>;
  /** CIDR sources (IPv4 and IPv6); UNKNOWN stands for a source not known at preview. */
  cidrs: Maybe<string>[];
  /** Managed prefix list ids used as sources; their entries live on other resources (see prefix-lists.ts). */
  prefixLists: Maybe<string>[];
  /** The property whose dependencies name the prefix lists at preview ("ingress" is shared by every inline block). */
  prefixListKey: string;
}

const PROTOCOL_NAMES: Record<string, string> = { "-1": "all", all: "all", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" };

function protocolOf(value: unknown): Maybe<string> {
  if (value === UNKNOWN) return UNKNOWN;
  const raw = String(value ?? "").toLowerCase();
  return PROTOCOL_NAMES[raw] ?? raw;
}

function portOf(value: unknown): Maybe<number | undefined> {
  if (value === UNKNOWN) return UNKNOWN;
  return typeof value === "number" ? value : undefined;
}

/** The strings of a string or list property (CIDRs, prefix list ids); an unknown list or element becomes UNKNOWN. */
function stringsOf(value: unknown): Maybe<string>[] {
  if (value === UNKNOWN) return [UNKNOWN];
  if (typeof value === "string") return value ? [value] : [];
  if (!Array.isArray(value)) return [];
  const out: Maybe<string>[] = [];
  for (let i = 0; i < value.length; i++) {
    const cidr = peek(value, i);
    if (cidr === UNKNOWN || typeof cidr === "string") out.push(cidr);
  }
  return out;
}

interface Shape {
  protocolKey: string;
  cidrKeys: string[];
  prefixListKey: string;
  /** The property that holds the block, for dependencies: "ingress" for inline blocks, else the prefix list key. */
  dependencyKey?: string;
}

/** The property of a security group that holds its inline rules (one dependency list for all blocks). */
export const INLINE_INGRESS = "ingress";

const INLINE: Shape = { protocolKey: "protocol", cidrKeys: ["cidrBlocks", "ipv6CidrBlocks"], prefixListKey: "prefixListIds", dependencyKey: INLINE_INGRESS };
const VPC_RULE_SHAPE: Shape = { protocolKey: "ipProtocol", cidrKeys: ["cidrIpv4", "cidrIpv6"], prefixListKey: "prefixListId" };
const EC2_RULE_SHAPE: Shape = { protocolKey: "protocol", cidrKeys: ["cidrBlocks", "ipv6CidrBlocks"], prefixListKey: "prefixListIds" };

const UNKNOWN_ENTRY = (path: string, shape: Shape): IngressEntry => ({
  path,
  protocol: UNKNOWN,
  fromPort: UNKNOWN,
  toPort: UNKNOWN,
  cidrs: [UNKNOWN],
  prefixLists: [UNKNOWN],
  prefixListKey: shape.dependencyKey ?? shape.prefixListKey,
});

function entry(path: string, block: unknown, shape: Shape): IngressEntry {
  if (block === UNKNOWN) return UNKNOWN_ENTRY(path, shape);
  return {
    path,
    protocol: protocolOf(peek(block, shape.protocolKey)),
    fromPort: portOf(peek(block, "fromPort")),
    toPort: portOf(peek(block, "toPort")),
    cidrs: shape.cidrKeys.flatMap((key) => stringsOf(peek(block, key))),
    prefixLists: stringsOf(peek(block, shape.prefixListKey)),
    prefixListKey: shape.dependencyKey ?? shape.prefixListKey,
  };
}

/** Ingress rules a resource declares; empty for egress rules and other types. */
export function ingressEntries(type: string, props: unknown): IngressEntry[] {
  switch (type) {
    case SECURITY_GROUP: {
      const ingress = peek(props, "ingress");
      if (ingress === UNKNOWN) return [UNKNOWN_ENTRY("ingress", INLINE)];
      const blocks = Array.isArray(ingress) ? ingress : [];
      return blocks.map((_, i) => entry(`ingress[${i}]`, peek(ingress, i), INLINE));
    }
    case VPC_INGRESS_RULE:
      return [entry("rule", props, VPC_RULE_SHAPE)];
    case EC2_RULE: {
      const kind = peek(props, "type");
      if (kind === UNKNOWN) return [UNKNOWN_ENTRY("rule", EC2_RULE_SHAPE)];
      return kind === "ingress" ? [entry("rule", props, EC2_RULE_SHAPE)] : [];
    }
    default:
      return [];
  }
}

/** The ports an entry opens, for messages. */
export function describePorts(e: IngressEntry): string {
  if (e.protocol === UNKNOWN) return "unknown ports";
  if (e.protocol === "all") return "all traffic";
  const from = e.fromPort === UNKNOWN ? "?" : String(e.fromPort ?? "?");
  const to = e.toPort === UNKNOWN ? "?" : String(e.toPort ?? "?");
  return from === to ? `${e.protocol} ${from}` : `${e.protocol} ${from}-${to}`;
}

/** At most three sources, so a rule open to a long published range list stays readable. */
export function describeSources(cidrs: readonly string[]): string {
  if (cidrs.length === 0) return "a computed CIDR";
  return cidrs.length <= 3 ? cidrs.join(", ") : `${cidrs.slice(0, 3).join(", ")} and ${cidrs.length - 3} more`;
}

/** The only ports the internet may reach, and only on a load balancer. */
export const WEB_PORTS: readonly number[] = [80, 443];

/**
 * "web" when the entry opens exactly tcp 80 or exactly tcp 443; "other" for anything else (all
 * traffic, any range, udp, icmp); UNKNOWN when the protocol or ports are unknown at preview.
 * A range that merely includes 80/443 (e.g. 0-65535) is "other".
 */
export function portClass(e: IngressEntry): Maybe<"web" | "other"> {
  if (e.protocol === UNKNOWN) return UNKNOWN;
  if (e.protocol !== "tcp") return "other";
  if (e.fromPort === UNKNOWN || e.toPort === UNKNOWN) return UNKNOWN;
  return e.fromPort === e.toPort && e.fromPort !== undefined && WEB_PORTS.includes(e.fromPort) ? "web" : "other";
}

// Address ranges that are not reachable from the internet: RFC 1918, shared (CGNAT), loopback,
// link-local; IPv6 unique-local, link-local, loopback.
const NON_PUBLIC_RANGES = [
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "fc00::/7",
  "fe80::/10",
  "::1/128",
];

interface Range {
  bits: 32 | 128;
  base: bigint;
  prefix: number;
}

function parseIpv4(address: string): bigint | undefined {
  const parts = address.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseIpv6(address: string): bigint | undefined {
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s ? s.split(":") : []);
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Parses "a.b.c.d/n" or an IPv6 CIDR; a bare address is a single host. */
export function parseCidr(cidr: string): Range | undefined {
  const [address, prefixText, extra] = cidr.trim().split("/");
  if (extra !== undefined) return undefined;
  const bits = address.includes(":") ? 128 : 32;
  const base = bits === 32 ? parseIpv4(address) : parseIpv6(address);
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (base === undefined || !(prefix >= 0 && prefix <= bits)) return undefined;
  return { bits, base, prefix };
}

function within(inner: Range, outer: Range): boolean {
  if (inner.bits !== outer.bits || inner.prefix < outer.prefix) return false;
  const shift = BigInt(outer.bits - outer.prefix);
  return inner.base >> shift === outer.base >> shift;
}

const NON_PUBLIC = NON_PUBLIC_RANGES.map((r) => parseCidr(r) as Range);

/**
 * True when the CIDR includes any internet-routable address — 0.0.0.0/0 and ::/0, but also a
 * narrower public range. Something that is not a valid CIDR counts as public (fail closed).
 */
export function isPublicCidr(cidr: string): boolean {
  const range = parseCidr(cidr);
  return range === undefined || !NON_PUBLIC.some((p) => within(range, p));
}

/** Known public sources and whether any source is unknown. */
export function publicSources(e: IngressEntry): { known: string[]; unknown: boolean } {
  const known = e.cidrs.filter((c): c is string => c !== UNKNOWN && isPublicCidr(c));
  return { known, unknown: e.cidrs.includes(UNKNOWN) };
}
