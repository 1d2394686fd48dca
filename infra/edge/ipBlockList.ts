/**
 * Checks for the operator-managed WAF block list: CIDR blocks in the form WAF accepts (network
 * address, one family per IP set), public ranges only, at most an IP set's worth. Pure, so the config
 * boundary and the component report the same problems before anything is declared.
 */
import { isIPv4, isIPv6 } from "net";

export type IpFamily = "ipv4" | "ipv6";

/** WAF's limit on the addresses or ranges in one IP set. */
export const MAX_IP_SET_ADDRESSES = 10_000;

const BITS: Record<IpFamily, number> = { ipv4: 32, ipv6: 128 };
const NAME: Record<IpFamily, string> = { ipv4: "IPv4", ipv6: "IPv6" };
const EXAMPLE: Record<IpFamily, string> = { ipv4: "203.0.113.7", ipv6: "2001:db8::7" };

/**
 * The broadest range accepted: WAF takes anything but /0, so a slip such as /1 would block half the
 * internet. Wider blocks can still be listed as several ranges, deliberately.
 */
const MIN_PREFIX: Record<IpFamily, number> = { ipv4: 8, ipv6: 16 };

export interface Cidr {
  family: IpFamily;
  address: string;
  /** The address as a number; host bits included, as written. */
  value: bigint;
  prefix: number;
}

const PREFIX = /^(0|[1-9]\d{0,2})$/;
const OCTET = /^(0|[1-9]\d{0,2})$/;

function ipv4Value(address: string): bigint | undefined {
  const parts = address.split(".");
  if (parts.length !== 4 || parts.some((p) => !OCTET.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
}

/** Eight 16-bit groups from any valid IPv6 text (`::` compression, a dotted IPv4 tail). */
function ipv6Value(address: string): bigint | undefined {
  if (!isIPv6(address) || address.includes("%")) return undefined;
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = ipv4Value(dotted[1]);
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, dotted.index)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const groups = (s: string | undefined) => (s ? s.split(":") : []);
  const missing = 8 - groups(head).length - groups(tail).length;
  const all = tail === undefined ? groups(head) : [...groups(head), ...Array<string>(missing).fill("0"), ...groups(tail)];
  return all.reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n);
}

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.lastIndexOf("/");
  if (slash < 0 || !PREFIX.test(text.slice(slash + 1))) return undefined;
  const address = text.slice(0, slash);
  const prefix = Number(text.slice(slash + 1));
  const family: IpFamily | undefined = isIPv4(address) ? "ipv4" : isIPv6(address) ? "ipv6" : undefined;
  if (family === undefined || prefix > BITS[family]) return undefined;
  const value = family === "ipv4" ? ipv4Value(address) : ipv6Value(address);
  return value === undefined ? undefined : { family, address, value, prefix };
}

function hostMask(family: IpFamily, prefix: number): bigint {
  return (1n << BigInt(BITS[family] - prefix)) - 1n;
}

function network(c: Cidr): bigint {
  return c.value & ~hostMask(c.family, c.prefix);
}

function format(family: IpFamily, value: bigint): string {
  if (family === "ipv4") return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join(".");
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((s) => ((value >> s) & 0xffffn).toString(16));
  // RFC 5952: compress the longest run of two or more zero groups (the first, on a tie).
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > best.length) best = { start: i, length: j - i };
  }
  if (best.start < 0) return groups.join(":");
  return `${groups.slice(0, best.start).join(":")}::${groups.slice(best.start + best.length).join(":")}`;
}

function block(text: string): Cidr {
  const c = parseCidr(text);
  if (!c) throw new Error(`not a CIDR block: ${text}`);
  return c;
}

/** IPv4 ranges that are never a client's public address (IANA special-purpose registry). */
const NON_PUBLIC_IPV4 = [
  ["0.0.0.0/8", "this network"],
  ["10.0.0.0/8", "private network, RFC 1918"],
  ["100.64.0.0/10", "shared address space, carrier-grade NAT"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local"],
  ["172.16.0.0/12", "private network, RFC 1918"],
  ["192.0.0.0/24", "IETF protocol assignments"],
  ["192.168.0.0/16", "private network, RFC 1918"],
  ["198.18.0.0/15", "benchmarking"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved"],
].map(([cidr, label]) => ({ cidr, label, block: block(cidr) }));

/** Public IPv6 clients come from global unicast space. */
const IPV6_GLOBAL_UNICAST = block("2000::/3");

function contains(outer: Cidr, inner: Cidr): boolean {
  return outer.prefix <= inner.prefix && network(outer) === (inner.value & ~hostMask(outer.family, outer.prefix));
}

function overlaps(a: Cidr, b: Cidr): boolean {
  return contains(a, b) || contains(b, a);
}

function publicProblem(c: Cidr): string | undefined {
  if (c.family === "ipv6") {
    return contains(IPV6_GLOBAL_UNICAST, c)
      ? undefined
      : "is not a public IPv6 range (global unicast 2000::/3): loopback, link-local, unique-local, multicast and IPv4-mapped addresses never reach the load balancer";
  }
  const hit = NON_PUBLIC_IPV4.find((r) => overlaps(r.block, c));
  // Documentation ranges (TEST-NET) stay allowed: blocking them is harmless and examples use them.
  return hit ? `overlaps ${hit.cidr} (${hit.label}), which is not a public range` : undefined;
}

/** Why `text` cannot go into the `family` block list, or undefined. */
export function cidrProblem(text: string, family: IpFamily): string | undefined {
  const c = parseCidr(text);
  if (!c) return `must be an ${NAME[family]} CIDR block such as ${EXAMPLE[family]}/${BITS[family]} (a single address needs /${BITS[family]})`;
  if (c.family !== family) return `is an ${NAME[c.family]} range: list it in the ${NAME[c.family]} block list`;
  if (network(c) !== c.value) {
    return `has host bits set: write the network address ${format(family, network(c))}/${c.prefix}, or ${c.address}/${BITS[family]} for the one address`;
  }
  if (c.prefix < MIN_PREFIX[family])
    return `is broader than /${MIN_PREFIX[family]}: it would block a large part of the internet (list narrower ranges if that is intended)`;
  return publicProblem(c);
}

/** Every problem of a whole block list: each bad item, repeats, and WAF's size limit. */
export function blockListProblems(cidrs: readonly string[], family: IpFamily): string[] {
  if (cidrs.length > MAX_IP_SET_ADDRESSES) return [`has ${cidrs.length} ranges; a WAF IP set holds at most ${MAX_IP_SET_ADDRESSES}`];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  cidrs.forEach((text, i) => {
    const problem = cidrProblem(text, family);
    if (problem) {
      problems.push(`item ${i} ${JSON.stringify(text)} ${problem}`);
      return;
    }
    const c = parseCidr(text)!;
    const canonical = `${c.value}/${c.prefix}`;
    const first = seen.get(canonical);
    if (first !== undefined) problems.push(`item ${i} ${JSON.stringify(text)} repeats item ${first}`);
    else seen.set(canonical, i);
  });
  return problems;
}
