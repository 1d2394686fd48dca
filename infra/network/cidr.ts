/** IPv4 subnet arithmetic for the VPC plan (pure, so the plan is testable without AWS). */

function toInt(ip: string): number {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not an IPv4 address: ${ip}`);
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

function toIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

export function parseCidr(cidr: string): { base: number; prefix: number } {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(cidr);
  if (!m || Number(m[2]) > 32) throw new Error(`not an IPv4 CIDR block: ${cidr}`);
  return { base: toInt(m[1]), prefix: Number(m[2]) };
}

/** The `index`-th block of `newBits` more prefix bits inside `cidr` (Terraform's cidrsubnet). */
export function cidrSubnet(cidr: string, newBits: number, index: number): string {
  const { base, prefix } = parseCidr(cidr);
  const size = prefix + newBits;
  if (size > 28) throw new Error(`${cidr} split by ${newBits} bits gives /${size}, smaller than AWS's /28 minimum`);
  if (index < 0 || index >= 2 ** newBits) throw new Error(`${cidr} has no subnet #${index} at /${size}`);
  return `${toIp(base + index * 2 ** (32 - size))}/${size}`;
}

export type Tier = "public" | "private" | "database";
export const TIERS: readonly Tier[] = ["public", "private", "database"];
/** Zones the plan has room for: each tier owns a quarter of the VPC (the last quarter is spare). */
export const MAX_ZONES = 4;

/**
 * The subnet plan: the VPC is cut into 16 equal blocks; tier t in zone z gets block 4t + z, so
 * adding a zone later never renumbers an existing subnet.
 */
export function subnetPlan(vpcCidr: string, zones: number): Record<Tier, string[]> {
  if (!Number.isInteger(zones) || zones < 1 || zones > MAX_ZONES) throw new Error(`zones must be 1..${MAX_ZONES}, got ${zones}`);
  const plan = {} as Record<Tier, string[]>;
  TIERS.forEach((tier, t) => (plan[tier] = Array.from({ length: zones }, (_, z) => cidrSubnet(vpcCidr, 4, t * MAX_ZONES + z))));
  return plan;
}
