import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { TlsPolicy } from "../../stacks/validators";
import { DnsValidatedCertificate } from "./certificate";
import { CloudflareFront } from "./cloudflare";
import { AlbLogBucket } from "./logBucket";
import { SecureAlb, TargetGroupOutputs } from "./loadBalancer";
import { blockListProblems, IpFamily } from "./ipBlockList";
import { EdgeWaf, IpSetRef } from "./webAcl";
import { RATE_WINDOWS_SECONDS, RateWindowSeconds } from "./wafRules";

/** WAF accepts no rate limit below 10 requests per window. */
export const WAF_MIN_RATE_LIMIT = 10;

export interface EdgeArgs {
  /** Prefix of physical names (`catalyst-<stack>`): the ALB and web ACL names, the log bucket and group names. */
  namePrefix: string;
  domain: string;
  cloudflareZoneId: string;
  /** Defaults to true: Cloudflare in front, the only way in (the network's ALB security group admits only its ranges). */
  proxied?: boolean;
  region: string;
  vpcId: pulumi.Input<string>;
  publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The load-balancer security group(s), owned by the network. */
  securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
  tlsPolicy?: TlsPolicy;
  /** Defaults to true. */
  deletionProtection?: boolean;
  /** Requests per client per 5 minutes on any path. Default 1000. */
  wafRateLimitPer5Min?: number;
  /** Sign-in POSTs per client per window. Default 10, the lowest WAF accepts. */
  wafAuthRateLimit?: number;
  /** One of WAF's windows (60, 120, 300, 600 s). Default 600, the longest. */
  wafAuthWindowSeconds?: number;
  /**
   * Public CIDR blocks (network address, e.g. `203.0.113.7/32`) whose clients WAF answers with 403 before
   * any other rule; behind Cloudflare matched on CF-Connecting-IP. Default none.
   */
  wafBlockedIpv4Cidrs?: string[];
  wafBlockedIpv6Cidrs?: string[];
  /** Retention of ALB logs (S3 expiry) and WAF logs (CloudWatch). Default 365 days. */
  logRetentionDays?: number;
  protect?: boolean;
}

/**
 * Everything in front of the apps: Cloudflare DNS (+ edge headers), the ACM certificate, the hardened
 * ALB with its log bucket, and the WAF web ACL on the ALB.
 */
export class Edge extends pulumi.ComponentResource {
  public readonly domain: string;
  public readonly proxied: boolean;
  public readonly alb: { arn: pulumi.Output<string>; arnSuffix: pulumi.Output<string>; dnsName: pulumi.Output<string> };
  public readonly httpsListenerArn: pulumi.Output<string>;
  public readonly targetGroups: { frontend: TargetGroupOutputs; agent: TargetGroupOutputs };
  public readonly certificateArn: pulumi.Output<string>;
  public readonly webAcl: { arn: pulumi.Output<string>; name: pulumi.Output<string> };
  public readonly blockedIpSets: Record<IpFamily, IpSetRef>;
  public readonly blockListRuleMetric: string;
  public readonly authRateRuleMetric: string;
  public readonly globalRateRuleMetric: string;
  public readonly logBucketName: pulumi.Output<string>;
  public readonly wafLogGroupName: pulumi.Output<string>;
  /** ECS services attach to the target groups only after these exist (add them to the services' dependsOn). */
  public readonly routingResources: pulumi.Resource[];

  constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("catalyst:edge:Edge", name, {}, opts);
    checkArgs(name, args);
    const child = { parent: this };
    const proxied = args.proxied ?? true;
    const retentionDays = args.logRetentionDays ?? 365;
    const accountId = aws.getCallerIdentityOutput({}, child).accountId;

    const certificate = new DnsValidatedCertificate(`${name}-cert`, { domain: args.domain, zoneId: args.cloudflareZoneId }, child);
    const logs = new AlbLogBucket(
      `${name}-alb-logs`,
      { bucketName: pulumi.interpolate`${args.namePrefix}-alb-logs-${accountId}`, region: args.region, accountId, retentionDays, protect: args.protect },
      child,
    );
    const alb = new SecureAlb(
      `${name}-alb`,
      {
        name: args.namePrefix,
        vpcId: args.vpcId,
        subnetIds: args.publicSubnetIds,
        securityGroupIds: args.securityGroupIds,
        certificateArn: certificate.certificateArn,
        tlsPolicy: args.tlsPolicy,
        deletionProtection: args.deletionProtection,
        logBucketName: logs.bucketName,
        logsReady: [logs.policy],
      },
      child,
    );
    const waf = new EdgeWaf(
      `${name}-waf`,
      {
        name: args.namePrefix,
        resourceArn: alb.arn,
        logRetentionDays: retentionDays,
        behindCloudflare: proxied,
        globalRateLimitPer5Min: args.wafRateLimitPer5Min ?? 1000,
        authRateLimit: args.wafAuthRateLimit ?? WAF_MIN_RATE_LIMIT,
        authWindowSeconds: (args.wafAuthWindowSeconds ?? 600) as RateWindowSeconds,
        blockedIpv4Cidrs: args.wafBlockedIpv4Cidrs,
        blockedIpv6Cidrs: args.wafBlockedIpv6Cidrs,
        protect: args.protect,
      },
      child,
    );
    new CloudflareFront(`${name}-cloudflare`, { zoneId: args.cloudflareZoneId, domain: args.domain, target: alb.dnsName, proxied }, child);

    this.domain = args.domain;
    this.proxied = proxied;
    this.alb = { arn: alb.arn, arnSuffix: alb.arnSuffix, dnsName: alb.dnsName };
    this.httpsListenerArn = alb.httpsListenerArn;
    this.targetGroups = alb.targetGroups;
    this.certificateArn = certificate.certificateArn;
    this.webAcl = { arn: waf.webAclArn, name: waf.webAclName };
    this.blockedIpSets = waf.blockedIpSets;
    this.blockListRuleMetric = waf.blockListRuleMetric;
    this.authRateRuleMetric = waf.authRateRuleMetric;
    this.globalRateRuleMetric = waf.globalRateRuleMetric;
    this.logBucketName = logs.bucketName;
    this.wafLogGroupName = waf.logGroupName;
    this.routingResources = alb.routingResources;
    this.registerOutputs({
      domain: this.domain,
      albDnsName: this.alb.dnsName,
      certificateArn: this.certificateArn,
      webAclArn: this.webAcl.arn,
      logBucketName: this.logBucketName,
      wafLogGroupName: this.wafLogGroupName,
    });
  }
}

/** Problems AWS would only report halfway through an update, reported before anything is declared. */
function checkArgs(name: string, args: EdgeArgs): void {
  const problems: string[] = [];
  // It names the ALB (≤ 32 characters, not "internal-...") and starts the log bucket's name (lower case only).
  if (!/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/.test(args.namePrefix) || args.namePrefix.startsWith("internal-")) {
    problems.push(`namePrefix ${JSON.stringify(args.namePrefix)} must be 1-32 lower-case letters, digits or inner hyphens`);
  }
  for (const [key, value] of [
    ["wafRateLimitPer5Min", args.wafRateLimitPer5Min],
    ["wafAuthRateLimit", args.wafAuthRateLimit],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < WAF_MIN_RATE_LIMIT))
      problems.push(`${key} ${value} is below WAF's minimum rate limit of ${WAF_MIN_RATE_LIMIT}`);
  }
  const window = args.wafAuthWindowSeconds;
  if (window !== undefined && !(RATE_WINDOWS_SECONDS as readonly number[]).includes(window)) {
    problems.push(`wafAuthWindowSeconds ${window} is not a WAF rate window (${RATE_WINDOWS_SECONDS.join(", ")})`);
  }
  for (const [key, cidrs, family] of [
    ["wafBlockedIpv4Cidrs", args.wafBlockedIpv4Cidrs, "ipv4"],
    ["wafBlockedIpv6Cidrs", args.wafBlockedIpv6Cidrs, "ipv6"],
  ] as const) {
    problems.push(...blockListProblems(cidrs ?? [], family).map((p) => `${key}: ${p}`));
  }
  if (problems.length > 0) throw new Error(`Edge ${name}: ${problems.join("; ")}`);
}
