import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { dataKey, keyPolicyContext } from "../secrets";
import { IpFamily } from "./ipBlockList";
import { RULE_METRICS, visibility, WafRuleSettings, wafRules } from "./wafRules";

/** Request headers WAF logs never contain: session cookies and bearer tokens (seed: "What NOT to log"). */
export const REDACTED_HEADERS = ["cookie", "authorization"] as const;

export interface EdgeWafArgs extends WafRuleSettings {
  /** Web ACL name; the log group is `aws-waf-logs-<name>` (WAF only logs to groups with that prefix). */
  name: string;
  /** The resource the web ACL protects (the ALB). */
  resourceArn: pulumi.Input<string>;
  logRetentionDays: number;
  /** CIDR blocks the web ACL blocks before any other rule (checked by the caller: see ipBlockList). Default none. */
  blockedIpv4Cidrs?: string[];
  blockedIpv6Cidrs?: string[];
  protect?: boolean;
}

export interface IpSetRef {
  name: pulumi.Output<string>;
  id: pulumi.Output<string>;
}

/**
 * Regional WAFv2 web ACL on the ALB: an operator block list (one IP set per address family), per-client
 * rate limits (a strict one on sign-in) and AWS managed rule groups, with full request logs in a
 * KMS-encrypted CloudWatch log group, credentials redacted.
 */
export class EdgeWaf extends pulumi.ComponentResource {
  public readonly webAclArn: pulumi.Output<string>;
  public readonly webAclName: pulumi.Output<string>;
  public readonly logGroupName: pulumi.Output<string>;
  public readonly blockedIpSets: Record<IpFamily, IpSetRef>;
  public readonly blockListRuleMetric: string = RULE_METRICS.blockList;
  public readonly authRateRuleMetric: string = RULE_METRICS.authRate;
  public readonly globalRateRuleMetric: string = RULE_METRICS.globalRate;

  constructor(name: string, args: EdgeWafArgs, opts?: pulumi.ComponentResourceOptions) {
    super("catalyst:edge:EdgeWaf", name, {}, opts);
    const child = { parent: this };
    const stateful = { parent: this, protect: args.protect ?? true };
    const logGroupName = `aws-waf-logs-${args.name}`;

    // CloudWatch Logs may use the key for this log group only (encryption context pinned in the key policy).
    const key = dataKey(
      `${name}-log-key`,
      { description: `Encrypts the WAF log group ${logGroupName}`, aliasName: logGroupName, logGroupNames: [logGroupName], protect: args.protect },
      keyPolicyContext(this),
      this,
    );
    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { name: logGroupName, retentionInDays: args.logRetentionDays, kmsKeyId: key.arn }, stateful);

    // Both sets always exist, empty or not: blocking an address is then an in-place update of one set.
    const ipSet = (family: IpFamily, addresses: string[] | undefined) =>
      new aws.wafv2.IpSet(
        `${name}-blocked-${family}`,
        {
          name: `${args.name}-blocked-${family}`,
          description: `Clients the web ACL ${args.name} blocks first; managed by the stack (edits elsewhere are reverted)`,
          scope: "REGIONAL",
          ipAddressVersion: family === "ipv4" ? "IPV4" : "IPV6",
          addresses: addresses ?? [],
        },
        child,
      );
    const ipv4 = ipSet("ipv4", args.blockedIpv4Cidrs);
    const ipv6 = ipSet("ipv6", args.blockedIpv6Cidrs);

    const acl = new aws.wafv2.WebAcl(
      `${name}-acl`,
      {
        name: args.name,
        description: "Catalyst edge: operator block list, per-client rate limits, sign-in brute-force limit, AWS managed rule groups",
        scope: "REGIONAL",
        defaultAction: { allow: {} },
        rules: wafRules(args, { ipv4Arn: ipv4.arn, ipv6Arn: ipv6.arn }),
        visibilityConfig: visibility(args.name),
      },
      child,
    );
    new aws.wafv2.WebAclAssociation(`${name}-association`, { resourceArn: args.resourceArn, webAclArn: acl.arn }, child);
    new aws.wafv2.WebAclLoggingConfiguration(
      `${name}-logging`,
      {
        resourceArn: acl.arn,
        logDestinationConfigs: [logGroup.arn],
        // The query string too: Better Auth's verification and password-reset links carry tokens there.
        redactedFields: [...REDACTED_HEADERS.map((h) => ({ singleHeader: { name: h } })), { queryString: {} }],
      },
      child,
    );

    this.webAclArn = acl.arn;
    this.webAclName = acl.name;
    this.logGroupName = logGroup.name;
    this.blockedIpSets = { ipv4: { name: ipv4.name, id: ipv4.id }, ipv6: { name: ipv6.name, id: ipv6.id } };
    this.registerOutputs({ webAclArn: this.webAclArn, webAclName: this.webAclName, logGroupName: this.logGroupName, blockedIpSets: this.blockedIpSets });
  }
}
