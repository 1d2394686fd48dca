import { ConfigProblems } from "./validation";
import { parseConfig } from "./config";
import { loadStackConfigFile, runProgram } from "../test/harness";

const prod = loadStackConfigFile("prod");
const ns = (full: Record<string, string>, prefix: string) => (key: string) => full[`${prefix}:${key}`];

function parseWith(override: Record<string, string | undefined>) {
  const cfg: Record<string, string> = { ...prod };
  for (const [k, v] of Object.entries(override)) {
    if (v === undefined) delete cfg[k];
    else cfg[k] = v;
  }
  return parseConfig("prod", ns(cfg, "catalyst"), ns(cfg, "aws"));
}

function problemsOf(override: Record<string, string | undefined>): string[] {
  try {
    parseWith(override);
  } catch (e) {
    if (e instanceof ConfigProblems) return e.problems.map((p) => `${p.key}: ${p.problem}`);
    throw e;
  }
  return [];
}

describe("stack configuration", () => {
  it("accepts the prod stack file and keeps its values", () => {
    const cfg = parseWith({});
    expect(cfg.production).toBe(true);
    expect(cfg.domain).toBe("app.catalyst.example.com");
    expect(cfg.network).toEqual({ cidr: "10.40.0.0/16", azCount: 3, natGateways: "per-az", flowLogRetentionDays: 365 });
    expect(cfg.database.multiAz).toBe(true);
    expect(cfg.edge.tlsPolicy).toBe("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
    expect(cfg.apps.migration.command).toEqual(["bun", "run", "db:migrate"]);
    expect(cfg.oncall.emails).toEqual(["oncall@catalyst.example.com"]);
  });

  it.each([
    ["catalyst:domain", "https://app.example.com", 'domain: "https://app.example.com" must be a lower-case fully qualified domain name'],
    ["catalyst:domain", undefined, "domain: is required but not set"],
    ["catalyst:vpcCidr", "10.40.0.0/8", 'vpcCidr: "10.40.0.0/8" must be a /16 to /20 block'],
    ["catalyst:vpcCidr", "8.8.0.0/16", 'vpcCidr: "8.8.0.0/16" must be a private RFC 1918 range'],
    ["catalyst:vpcCidr", "10.40.1.0/16", 'vpcCidr: "10.40.1.0/16" is not a network address'],
    ["catalyst:dbInstanceClass", "m5.large", 'dbInstanceClass: "m5.large" must be an RDS instance class'],
    ["catalyst:oncallEmails", '["not-an-email"]', 'oncallEmails: item 0 "not-an-email" must be an e-mail address'],
    ["catalyst:availabilityZones", "2", "availabilityZones: 2 is below the minimum 3"],
    ["catalyst:availabilityZones", "three", 'availabilityZones: "three" is not a whole number'],
    ["catalyst:dbBackupRetentionDays", "3", "dbBackupRetentionDays: 3 is below the minimum 7"],
    ["catalyst:dbBackupRetentionDays", "36", "dbBackupRetentionDays: 36 is above the maximum 35"],
    ["catalyst:tlsPolicy", "ELBSecurityPolicy-TLS13-1-0-2021-06", 'tlsPolicy: "ELBSecurityPolicy-TLS13-1-0-2021-06" is not one of:'],
    ["catalyst:natGateways", "single", 'natGateways: "single" makes every zone\'s egress depend on one zone in production'],
    ["catalyst:frontendImage", "ghcr.io/acme/frontend:latest", 'frontendImage: "ghcr.io/acme/frontend:latest" must be an image reference pinned by digest'],
    ["catalyst:frontendMemoryMiB", "8192", "frontendMemoryMiB: 8192 is not a valid Fargate memory size for 512 CPU units"],
    ["catalyst:cloudflareProxied", "yes", 'cloudflareProxied: "yes" is not true or false'],
    ["catalyst:wafAuthWindowSeconds", "900", "wafAuthWindowSeconds: 900 is not one of: 60, 120, 300, 600"],
    ["catalyst:cloudflareZoneId", "example.com", 'cloudflareZoneId: "example.com" must be a Cloudflare zone id'],
    ["catalyst:migrationCommand", "bun run db:migrate", "migrationCommand: is not a JSON array of strings"],
    ["catalyst:alarmThresholds", '{"rdsCpu":80}', 'alarmThresholds: has unknown key "rdsCpu"'],
    ["catalyst:backupCopyRegion", "eu-west-1", "backupCopyRegion: equals aws:region (eu-west-1)"],
    ["catalyst:wafBlockedIpv4Cidrs", '["203.0.113.7"]', 'wafBlockedIpv4Cidrs: item 0 "203.0.113.7" must be an IPv4 CIDR block such as 203.0.113.7/32'],
    [
      "catalyst:wafBlockedIpv4Cidrs",
      '["10.40.1.20/32"]',
      'wafBlockedIpv4Cidrs: item 0 "10.40.1.20/32" overlaps 10.0.0.0/8 (private network, RFC 1918), which is not a public range',
    ],
    ["catalyst:wafBlockedIpv4Cidrs", '["0.0.0.0/0"]', 'wafBlockedIpv4Cidrs: item 0 "0.0.0.0/0" is broader than /8'],
    [
      "catalyst:wafBlockedIpv4Cidrs",
      '["198.51.100.7/24"]',
      "has host bits set: write the network address 198.51.100.0/24, or 198.51.100.7/32 for the one address",
    ],
    ["catalyst:wafBlockedIpv4Cidrs", '["203.0.113.7/32","203.0.113.7/32"]', 'wafBlockedIpv4Cidrs: item 1 "203.0.113.7/32" repeats item 0'],
    ["catalyst:wafBlockedIpv4Cidrs", "203.0.113.7/32", "wafBlockedIpv4Cidrs: is not a JSON array of strings"],
    ["catalyst:wafBlockedIpv6Cidrs", '["203.0.113.0/24"]', 'wafBlockedIpv6Cidrs: item 0 "203.0.113.0/24" is an IPv4 range: list it in the IPv4 block list'],
    ["catalyst:wafBlockedIpv6Cidrs", '["fe80::1/128"]', "is not a public IPv6 range"],
    ["aws:region", undefined, "(aws:region): aws:region is required but not set"],
  ])("rejects %s=%j with a precise message", (key, value, expected) => {
    const problems = problemsOf({ [key]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  it("reads the WAF block lists, one per address family", () => {
    const cfg = parseWith({ "catalyst:wafBlockedIpv4Cidrs": '["203.0.113.7/32","198.51.100.0/24"]', "catalyst:wafBlockedIpv6Cidrs": '["2001:db8:1234::/48"]' });
    expect(cfg.edge.wafBlockedCidrs).toEqual({ ipv4: ["203.0.113.7/32", "198.51.100.0/24"], ipv6: ["2001:db8:1234::/48"] });
  });

  it("refuses more ranges than a WAF IP set holds, with the fix", () => {
    const many = JSON.stringify(Array.from({ length: 10_001 }, (_, i) => `11.${Math.floor(i / 256)}.${i % 256}.0/24`));
    expect(problemsOf({ "catalyst:wafBlockedIpv4Cidrs": many })).toEqual(["wafBlockedIpv4Cidrs: has 10001 ranges; a WAF IP set holds at most 10000"]);
  });

  it("reports every problem at once, each with its fix", () => {
    let error: ConfigProblems | undefined;
    try {
      parseWith({
        "catalyst:domain": "not a domain",
        "catalyst:vpcCidr": "300.1.2.3/16",
        "catalyst:oncallEmails": '["x"]',
        "catalyst:dbBackupRetentionDays": "0",
      });
    } catch (e) {
      error = e as ConfigProblems;
    }
    expect(error).toBeInstanceOf(ConfigProblems);
    expect(error!.problems.map((p) => p.key)).toEqual(["domain", "vpcCidr", "dbBackupRetentionDays", "oncallEmails"]);
    expect(error!.message).toMatch(/^Invalid configuration \(4 problems\); nothing was deployed:/);
    expect(error!.message).toContain("fix: pulumi config set catalyst:domain 'app.example.com'");
  });

  it("never echoes a secret value in a problem", () => {
    const problems = problemsOf({ "catalyst:oncallHttpsEndpoints": '["http://events.pagerduty.com/integration/SECRETKEY123/enqueue"]' });
    expect(problems).toEqual(["oncallHttpsEndpoints: item 0 (secret value) must be an https:// URL"]);
    expect(problems.join()).not.toContain("SECRETKEY123");
  });

  it("requires an on-call subscriber in production", () => {
    expect(problemsOf({ "catalyst:oncallEmails": undefined })).toEqual([expect.stringContaining("oncallEmails: production has no on-call subscriber")]);
  });

  it("applies secure defaults to a minimal non-production stack", () => {
    const minimal = {
      "aws:region": "eu-west-1",
      "catalyst:domain": "staging.example.com",
      "catalyst:cloudflareZoneId": "0123456789abcdef0123456789abcdef",
      "catalyst:frontendImage": prod["catalyst:frontendImage"],
      "catalyst:agentImage": prod["catalyst:agentImage"],
    };
    const cfg = parseConfig("staging", ns(minimal, "catalyst"), ns(minimal, "aws"));
    expect(cfg.production).toBe(false);
    expect(cfg.cloudflare.proxied).toBe(true);
    expect(cfg.database.backupRetentionDays).toBe(14);
    expect(cfg.edge).toEqual({
      tlsPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
      wafRateLimitPer5Min: 1000,
      wafAuthRateLimit: 10,
      wafAuthWindowSeconds: 600,
      wafBlockedCidrs: { ipv4: [], ipv6: [] },
    });
    expect(cfg.apps.migration.image).toBe(prod["catalyst:frontendImage"]);
  });

  it("fails the program with the full list before declaring any resource", async () => {
    await expect(runProgram({ override: { "catalyst:domain": "bad domain", "catalyst:vpcCidr": "1.2.3.4/16" } })).rejects.toThrow(
      /Invalid configuration \(2 problems\)[\s\S]*catalyst:domain[\s\S]*catalyst:vpcCidr/,
    );
  });
});
