/**
 * The stack's ONE configuration boundary: every `catalyst:*` key is read and validated here, and all
 * problems are reported together before any resource is declared. Components receive typed values
 * only; they never read config or the stack name.
 */
import * as pulumi from "@pulumi/pulumi";
import { blockListProblems, cidrProblem, IpFamily, MAX_IP_SET_ADDRESSES } from "../infra/edge/ipBlockList";
import { ConfigProblems, ConfigReader, RawConfig } from "./validation";
import * as v from "./validators";

export const NAMESPACE = "catalyst";

export interface AppConfig {
  image: string;
  cpu: number;
  memoryMiB: number;
  minTasks: number;
  maxTasks: number;
}

/** Alarm thresholds; defaults documented in README "Configuration" and docs/runbooks. */
export const DEFAULT_ALARM_THRESHOLDS = {
  albElb5xxPerMinute: 10,
  albTarget5xxPerMinute: 10,
  albTargetP99Seconds: 2,
  albRejectedConnectionsPerMinute: 1,
  ecsCpuPercent: 85,
  ecsMemoryPercent: 85,
  ecsTasksBelowDesiredMinutes: 10,
  rdsCpuPercent: 80,
  rdsFreeStorageGiB: 10,
  rdsFreeableMemoryMiB: 256,
  rdsConnections: 200,
  rdsReadLatencyMs: 20,
  rdsWriteLatencyMs: 20,
  wafAuthBlocksPer5Min: 20,
  wafBlockedPer5Min: 500,
  certificateDaysToExpiry: 30,
  authFailuresPer5Min: 50,
  serverErrorsPer5Min: 20,
};
export type AlarmThresholds = typeof DEFAULT_ALARM_THRESHOLDS;

export interface StackConfig {
  stack: string;
  /** Production turns on Pulumi `protect`, deletion protection, Multi-AZ, vault lock. */
  production: boolean;
  region: string;
  domain: string;
  cloudflare: { zoneId: string; proxied: boolean };
  network: { cidr: string; azCount: number; natGateways: "per-az" | "single"; flowLogRetentionDays: number };
  database: {
    instanceClass: string;
    allocatedStorageGb: number;
    maxAllocatedStorageGb: number;
    multiAz: boolean;
    backupRetentionDays: number;
    backupWindow: string;
    maintenanceWindow: string;
    caCertIdentifier: v.RdsCaIdentifier;
    /** Where `pulumi up` reaches MySQL for user management (the tunnel's local end). */
    adminEndpoint: string;
    adminProxy?: string;
  };
  backup: { retentionDays: number; copyRegion?: string; vaultLock: boolean };
  /**
   * `adminArns`: break-glass roles that may read the app secrets' values besides the CI deploy role
   * and the task execution roles (every other principal is denied by the secrets' resource policies).
   */
  secrets: { generation: number; recoveryWindowDays: number; adminArns: string[] };
  /**
   * Must mirror the bootstrap stack (catalyst-bootstrap): its `namePrefix` names the deploy role and
   * the workload boundary, its `workloadPath` is `path`, its `requireWorkloadBoundary` is `permissionsBoundary`.
   */
  iam: { deliveryNamePrefix: string; path: string; permissionsBoundary: boolean };
  edge: {
    tlsPolicy: v.TlsPolicy;
    wafRateLimitPer5Min: number;
    wafAuthRateLimit: number;
    wafAuthWindowSeconds: number;
    /** The operator block list (docs/runbooks/block-ip.md). */
    wafBlockedCidrs: Record<IpFamily, string[]>;
  };
  apps: { frontend: AppConfig; agent: AppConfig; migration: { image: string; command: string[] } };
  logRetentionDays: number;
  oncall: { emails: string[]; httpsEndpoints: pulumi.Output<string[]>; httpsEndpointCount: number };
  alarmThresholds: AlarmThresholds;
  /** Browsable docs/runbooks folder; every alarm description links a runbook under it. */
  runbookBaseUrl: string;
}

function readApp(r: ConfigReader, app: "frontend" | "agent", production: boolean): AppConfig {
  const image = r.string(`${app}Image`, { example: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/catalyst-${app}@sha256:<64 hex>`, check: v.pinnedImage });
  const cpu = r.integer(`${app}Cpu`, { default: 512, allowed: Object.keys(v.FARGATE_SIZES).map(Number), example: "512" });
  const memoryMiB = r.integer(`${app}MemoryMiB`, { default: 1024, min: 512, example: "1024" });
  const valid = v.FARGATE_SIZES[cpu];
  if (valid && r.valid(`${app}Cpu`, `${app}MemoryMiB`) && !valid.includes(memoryMiB)) {
    r.report(
      `${app}MemoryMiB`,
      `${memoryMiB} is not a valid Fargate memory size for ${cpu} CPU units (valid: ${valid.join(", ")})`,
      `pulumi config set ${NAMESPACE}:${app}MemoryMiB ${valid[0]}`,
    );
  }
  const minTasks = r.integer(`${app}MinTasks`, { default: production ? 2 : 1, min: production ? 2 : 1, max: 50, example: "2" });
  const maxTasks = r.integer(`${app}MaxTasks`, { default: Math.max(minTasks, production ? 6 : 2), min: 1, max: 100, example: "6" });
  if (r.valid(`${app}MinTasks`, `${app}MaxTasks`) && maxTasks < minTasks) {
    r.report(`${app}MaxTasks`, `${maxTasks} is below ${app}MinTasks (${minTasks})`, `pulumi config set ${NAMESPACE}:${app}MaxTasks ${minTasks}`);
  }
  return { image, cpu, memoryMiB, minTasks, maxTasks };
}

const BLOCK_LIST = {
  ipv4: { key: "wafBlockedIpv4Cidrs", example: '["203.0.113.7/32"]' },
  ipv6: { key: "wafBlockedIpv6Cidrs", example: '["2001:db8::7/128"]' },
} as const;

/** One family's WAF block list: every range checked, then the list as a whole (repeats, IP set size). */
function readBlockList(r: ConfigReader, family: IpFamily): string[] {
  const { key, example } = BLOCK_LIST[family];
  const cidrs = r.stringList(key, { default: [], example, item: (c) => cidrProblem(c, family) });
  if (r.valid(key)) {
    const fix = `pulumi config set ${NAMESPACE}:${key} '<the whole list>' with each range once, at most ${MAX_IP_SET_ADDRESSES}, e.g. '${example}'`;
    for (const problem of blockListProblems(cidrs, family)) r.report(key, problem, fix);
  }
  return cidrs;
}

export type ParsedConfig = Omit<StackConfig, "oncall"> & { oncall: { emails: string[]; httpsEndpoints: string[] } };

/** Reads and validates every key; throws ConfigProblems listing all problems at once. */
export function parseConfig(stack: string, raw: RawConfig, rawAws: RawConfig, reader = new ConfigReader(NAMESPACE, raw)): ParsedConfig {
  const r = reader;
  const production = r.boolean("production", { default: false, example: "true" });

  const region = r.awsRegion(rawAws, v.awsRegion);

  const domain = r.string("domain", { example: "app.example.com", check: v.domainName });
  const cloudflare = {
    zoneId: r.string("cloudflareZoneId", {
      example: "0123456789abcdef0123456789abcdef",
      pattern: /^[a-f0-9]{32}$/,
      rule: "must be a Cloudflare zone id (32 lower-case hex characters, Cloudflare dashboard → Overview)",
    }),
    proxied: r.boolean("cloudflareProxied", { default: true, example: "true" }),
  };

  const azCount = r.integer("availabilityZones", { default: 3, min: production ? 3 : 2, max: 4, example: "3" });
  const network = {
    cidr: r.string("vpcCidr", { default: "10.40.0.0/16", example: "10.40.0.0/16", check: v.vpcCidr }),
    azCount,
    natGateways: r.oneOf("natGateways", ["per-az", "single"] as const, { default: "per-az", example: "per-az" }),
    flowLogRetentionDays: r.integer("flowLogRetentionDays", { default: 90, allowed: v.LOG_RETENTION_DAYS, example: "90" }),
  };
  if (production && network.natGateways === "single") {
    r.report("natGateways", `"single" makes every zone's egress depend on one zone in production`, `pulumi config set ${NAMESPACE}:natGateways per-az`);
  }

  const allocatedStorageGb = r.integer("dbAllocatedStorageGb", { default: 50, min: 20, max: 65536, example: "50" });
  const database = {
    instanceClass: r.string("dbInstanceClass", {
      default: "db.t4g.medium",
      example: "db.r7g.large",
      pattern: v.dbInstanceClass,
      rule: "must be an RDS instance class such as db.t4g.medium or db.r7g.large",
    }),
    allocatedStorageGb,
    maxAllocatedStorageGb: r.integer("dbMaxAllocatedStorageGb", {
      default: Math.max(200, allocatedStorageGb),
      min: allocatedStorageGb,
      max: 65536,
      example: "200",
    }),
    multiAz: r.boolean("dbMultiAz", { default: production, example: "true" }),
    backupRetentionDays: r.integer("dbBackupRetentionDays", { default: 14, min: 7, max: 35, example: "14" }),
    backupWindow: r.string("dbBackupWindow", {
      default: "02:00-03:00",
      example: "02:00-03:00",
      pattern: v.backupWindow,
      rule: "must be a UTC window hh:mm-hh:mm",
    }),
    maintenanceWindow: r.string("dbMaintenanceWindow", {
      default: "sun:03:30-sun:04:30",
      example: "sun:03:30-sun:04:30",
      pattern: v.maintenanceWindow,
      rule: "must be a UTC window ddd:hh:mm-ddd:hh:mm",
    }),
    caCertIdentifier: r.oneOf("dbCaCertIdentifier", v.RDS_CA_IDENTIFIERS, { default: "rds-ca-rsa2048-g1", example: "rds-ca-rsa2048-g1" }),
    adminEndpoint: r.string("dbAdminEndpoint", {
      default: "127.0.0.1:13306",
      example: "127.0.0.1:13306",
      pattern: v.hostPort,
      rule: "must be host:port (the local end of scripts/db-tunnel.sh)",
    }),
    adminProxy: r.optionalString("dbAdminProxy", { example: "socks5://127.0.0.1:1080", pattern: v.socks5Url, rule: "must be socks5://host:port" }),
  };
  if (production && !database.multiAz) {
    r.report("dbMultiAz", "false leaves production with a single database instance", `pulumi config set ${NAMESPACE}:dbMultiAz true`);
  }

  const backup = {
    retentionDays: r.integer("backupRetentionDays", { default: 35, min: 7, max: 3650, example: "35" }),
    copyRegion: r.optionalString("backupCopyRegion", { example: "eu-central-1", check: v.awsRegion }),
    vaultLock: r.boolean("backupVaultLock", { default: production, example: "true" }),
  };
  if (r.valid("backupCopyRegion") && backup.copyRegion !== undefined && backup.copyRegion === region) {
    r.report(
      "backupCopyRegion",
      `equals aws:region (${region}); a copy in the same region does not survive a regional outage`,
      `pulumi config set ${NAMESPACE}:backupCopyRegion eu-central-1`,
    );
  }

  const secrets = {
    generation: r.integer("secretsGeneration", { default: 1, min: 1, example: "2" }),
    recoveryWindowDays: r.integer("secretRecoveryWindowDays", { default: 30, min: 7, max: 30, example: "30" }),
    adminArns: r.stringList("secretAdminArns", { default: [], example: '["arn:aws:iam::123456789012:role/break-glass-admin"]', item: v.iamRoleArn }),
  };

  const deliveryNamePrefix = r.string("deliveryNamePrefix", {
    default: "catalyst",
    example: "catalyst",
    pattern: /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/,
    rule: "must be the bootstrap's namePrefix: 3-32 lower-case letters, digits and hyphens",
  });
  const iam = {
    deliveryNamePrefix,
    path: r.string("iamPath", {
      default: `/${deliveryNamePrefix}/`,
      example: "/catalyst/",
      pattern: v.iamPath,
      rule: "must be an IAM path such as /catalyst/ (the bootstrap's workloadPath)",
    }),
    permissionsBoundary: r.boolean("iamPermissionsBoundary", { default: true, example: "true" }),
  };

  const edge = {
    tlsPolicy: r.oneOf("tlsPolicy", v.ALLOWED_TLS_POLICIES, {
      default: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
      example: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    }),
    wafRateLimitPer5Min: r.integer("wafRateLimitPer5Min", { default: 1000, min: 10, max: 2_000_000_000, example: "1000" }),
    wafAuthRateLimit: r.integer("wafAuthRateLimit", { default: 10, min: 10, max: 100, example: "10" }),
    wafAuthWindowSeconds: r.integer("wafAuthWindowSeconds", { default: 600, allowed: [60, 120, 300, 600], example: "600" }),
    wafBlockedCidrs: { ipv4: readBlockList(r, "ipv4"), ipv6: readBlockList(r, "ipv6") },
  };

  const frontend = readApp(r, "frontend", production);
  const apps = {
    frontend,
    agent: readApp(r, "agent", production),
    migration: {
      image: r.string("migrationImage", { default: frontend.image, example: "<registry>/catalyst-migrate@sha256:<64 hex>", check: v.pinnedImage }),
      command: r.stringList("migrationCommand", { default: ["bun", "run", "db:migrate"], minItems: 1, example: '["bun","run","db:migrate"]' }),
    },
  };

  const logRetentionDays = r.integer("logRetentionDays", { default: 90, allowed: v.LOG_RETENTION_DAYS, example: "90" });
  const oncall = {
    emails: r.stringList("oncallEmails", { default: [], example: '["oncall@example.com"]', item: v.email }),
    // Paging endpoints embed integration keys, so they are secret config: validated here, never echoed.
    httpsEndpoints: r.stringList("oncallHttpsEndpoints", {
      default: [],
      example: '["https://events.pagerduty.com/integration/<key>/enqueue"]',
      item: v.httpsUrl,
      secret: true,
    }),
  };
  if (production && r.valid("oncallEmails", "oncallHttpsEndpoints") && oncall.emails.length + oncall.httpsEndpoints.length === 0) {
    r.report(
      "oncallEmails",
      "production has no on-call subscriber: alarms would page nobody",
      `pulumi config set ${NAMESPACE}:oncallEmails '["oncall@example.com"]' (or set --secret ${NAMESPACE}:oncallHttpsEndpoints)`,
    );
  }
  const alarmThresholds = r.numberMap("alarmThresholds", DEFAULT_ALARM_THRESHOLDS, { example: '{"rdsCpuPercent":75}' });
  const belowDesired = alarmThresholds.ecsTasksBelowDesiredMinutes;
  if (!Number.isInteger(belowDesired) || belowDesired < 1 || belowDesired > 60) {
    r.report(
      "alarmThresholds",
      `ecsTasksBelowDesiredMinutes ${belowDesired} must be a whole number of minutes from 1 to 60`,
      `pulumi config set ${NAMESPACE}:alarmThresholds '{"ecsTasksBelowDesiredMinutes":10}'`,
    );
  }
  // Every page links a runbook under this URL: production must name its real repository.
  const runbookBaseUrl = r.string("runbookBaseUrl", {
    default: production ? undefined : "https://github.com/catalyst-example/catalyst-infra/blob/main/docs/runbooks",
    example: "https://github.com/<org>/catalyst-infra/blob/main/docs/runbooks",
    check: v.httpsUrl,
  });

  r.finish();
  return {
    stack,
    production,
    region,
    domain,
    cloudflare,
    network,
    database,
    backup,
    secrets,
    iam,
    edge,
    apps,
    logRetentionDays,
    oncall,
    alarmThresholds,
    runbookBaseUrl,
  };
}

/** Reads the current stack's configuration through pulumi.Config (the only place that does). */
export function loadStackConfig(): StackConfig {
  const stack = pulumi.getStack();
  const fullKey = (ns: string) => (key: string) => readRaw(`${ns}:${key}`);
  let parsed: ReturnType<typeof parseConfig>;
  try {
    parsed = parseConfig(stack, fullKey(NAMESPACE), fullKey("aws"));
  } catch (e) {
    // A RunError is printed by the engine without a stack trace: the message is the whole story.
    if (e instanceof ConfigProblems) throw new pulumi.RunError(e.message);
    throw e;
  }
  const endpoints = new pulumi.Config(NAMESPACE).getSecretObject<string[]>("oncallHttpsEndpoints") ?? pulumi.secret([] as string[]);
  return { ...parsed, oncall: { emails: parsed.oncall.emails, httpsEndpoints: endpoints, httpsEndpointCount: parsed.oncall.httpsEndpoints.length } };
}

/**
 * Raw config text without Pulumi's "secret read as plaintext" warning: used only to validate the
 * shape of values (secret values are never echoed in problems, and are consumed as secrets above).
 */
function readRaw(fullKey: string): string | undefined {
  return pulumi.runtime.getConfig(fullKey);
}
