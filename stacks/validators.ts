/** Value checks used by the config boundary. Each returns a problem ("must ...") or undefined. */

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function domainName(v: string): string | undefined {
  const labels = v.split(".");
  const ok = v.length <= 253 && labels.length >= 2 && labels.every((l) => LABEL.test(l)) && /^[a-z]{2,63}$/.test(labels[labels.length - 1]);
  return ok ? undefined : "must be a lower-case fully qualified domain name such as app.example.com (no scheme, path or port)";
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function parseCidr(v: string): { base: number; prefix: number } | undefined {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(v);
  if (!m) return undefined;
  const base = ipv4ToInt(m[1]);
  const prefix = Number(m[2]);
  if (base === undefined || prefix > 32) return undefined;
  return { base, prefix };
}

/** A private (RFC 1918) IPv4 block of a size AWS accepts for a VPC, written with its network address. */
export function vpcCidr(v: string): string | undefined {
  const c = parseCidr(v);
  if (!c) return "must be an IPv4 CIDR block such as 10.40.0.0/16";
  if (c.prefix < 16 || c.prefix > 20) return "must be a /16 to /20 block (room for 3 tiers of subnets in up to 4 zones)";
  if (c.base % 2 ** (32 - c.prefix) !== 0) return "is not a network address (host bits are set)";
  const inBlock = (net: string, bits: number) => Math.floor(c.base / 2 ** (32 - bits)) === Math.floor(ipv4ToInt(net)! / 2 ** (32 - bits));
  if (!(inBlock("10.0.0.0", 8) || inBlock("172.16.0.0", 12) || inBlock("192.168.0.0", 16)))
    return "must be a private RFC 1918 range (10/8, 172.16/12, 192.168/16)";
  return undefined;
}

/** An IAM path as the IAM API accepts it: `/`, or slash-delimited segments such as `/catalyst/`. */
export const iamPath = /^\/([\w+=,.@-]+\/)*$/;

/**
 * An IAM role ARN, exactly as `aws:PrincipalArn` carries it for the role's sessions (path included).
 * No wildcards: a secret's resource policy compares it with StringNotEquals.
 */
export function iamRoleArn(v: string): string | undefined {
  return /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/.test(v)
    ? undefined
    : "must be an IAM role ARN such as arn:aws:iam::123456789012:role/break-glass-admin (no wildcards)";
}

export function email(v: string): string | undefined {
  return /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(v) ? undefined : "must be an e-mail address such as oncall@example.com";
}

export function httpsUrl(v: string): string | undefined {
  try {
    const u = new URL(v);
    return u.protocol === "https:" && u.hostname ? undefined : "must be an https:// URL";
  } catch {
    return "must be an https:// URL";
  }
}

/**
 * Container images must be pinned by digest so a deploy runs exactly the image that was reviewed;
 * a mutable tag (even one that is not `latest`) can be re-pushed under the same name.
 */
export function pinnedImage(v: string): string | undefined {
  return /^[a-z0-9.-]+(?::\d+)?\/[a-z0-9._/-]+(?::[\w.-]+)?@sha256:[a-f0-9]{64}$/.test(v)
    ? undefined
    : "must be an image reference pinned by digest, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/catalyst-frontend@sha256:<64 hex>";
}

export function awsRegion(v: string): string | undefined {
  return /^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(v) ? undefined : "must be an AWS region such as eu-west-1";
}

export const dbInstanceClass = /^db\.[a-z0-9]+\.(micro|small|medium|large|\d*xlarge)$/;
export const backupWindow = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
export const maintenanceWindow = /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/;
export const hostPort = /^[a-z0-9.-]+:\d{1,5}$/i;
export const socks5Url = /^socks5h?:\/\/[a-z0-9.-]+:\d{1,5}$/i;

/** Fargate's valid CPU (units) → memory (MiB) combinations, for the sizes a Next.js app would use. */
export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: [2048, 3072, 4096, 5120, 6144, 7168, 8192],
  2048: Array.from({ length: 13 }, (_, i) => 4096 + i * 1024),
  4096: Array.from({ length: 23 }, (_, i) => 8192 + i * 1024),
};

/** The values CloudWatch Logs accepts for retentionInDays. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/**
 * TLS 1.2+ ALB security policies (the only ones the stack accepts), exact names — never matched by prefix:
 * `ELBSecurityPolicy-TLS13-1-0-2021-06` shares the TLS13 prefix and still allows TLS 1.0.
 */
export const ALLOWED_TLS_POLICIES = [
  "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
] as const;
export type TlsPolicy = (typeof ALLOWED_TLS_POLICIES)[number];

export const RDS_CA_IDENTIFIERS = ["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"] as const;
export type RdsCaIdentifier = (typeof RDS_CA_IDENTIFIERS)[number];
