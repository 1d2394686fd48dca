/**
 * The web ACL's rules as plain data (known at preview, except the block list's IP set ARNs on the
 * first deployment). The operator block list comes first: a blocked client is answered before any
 * other rule counts it. Rate rules follow so floods are cut before the managed groups spend capacity
 * on them; a 429 tells clients (and Better Auth's UI) to back off.
 */
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

type Rule = aws.types.input.wafv2.WebAclRule;
type Statement = aws.types.input.wafv2.WebAclRuleStatement;
type RateStatement = aws.types.input.wafv2.WebAclRuleStatementRateBasedStatement;

/** Cloudflare puts the visitor's address in this header; the ALB only ever sees Cloudflare's. */
export const CLIENT_IP_HEADER = "CF-Connecting-IP";

/** Better Auth's sign-in endpoints (`/api/auth/sign-in/email`, `/social`, ...) on both apps. */
export const SIGN_IN_PATH_REGEX = "^(/agent)?/api/auth/sign-in";

export const RULE_METRICS = {
  blockList: "ip-block-list",
  authRate: "auth-sign-in-rate",
  globalRate: "global-rate",
} as const;

/** AWS managed rule groups in evaluation order, each with its own priority. */
export const MANAGED_RULE_GROUPS = [
  { name: "AWSManagedRulesAmazonIpReputationList", priority: 10 },
  { name: "AWSManagedRulesCommonRuleSet", priority: 20 },
  { name: "AWSManagedRulesKnownBadInputsRuleSet", priority: 30 },
  { name: "AWSManagedRulesSQLiRuleSet", priority: 40 },
] as const;

export const RATE_WINDOWS_SECONDS = [60, 120, 300, 600] as const;
export type RateWindowSeconds = (typeof RATE_WINDOWS_SECONDS)[number];

export interface WafRuleSettings {
  /** Aggregate on CF-Connecting-IP (true: the ALB is reachable only through Cloudflare) or on the source IP. */
  behindCloudflare: boolean;
  /** Requests per client per 5 minutes, any path. */
  globalRateLimitPer5Min: number;
  /** Sign-in POSTs per client per `authWindowSeconds`; 10 is the lowest limit WAF accepts. */
  authRateLimit: number;
  authWindowSeconds: RateWindowSeconds;
}

/** The IP sets of the operator block list, one per address family (a WAF IP set holds one family). */
export interface BlockListIpSets {
  ipv4Arn: pulumi.Input<string>;
  ipv6Arn: pulumi.Input<string>;
}

export function visibility(metricName: string) {
  return { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

function clientKey(behindCloudflare: boolean): Pick<RateStatement, "aggregateKeyType" | "forwardedIpConfig"> {
  // MATCH: a request whose header holds no valid address counts against the limit instead of escaping it.
  return behindCloudflare
    ? { aggregateKeyType: "FORWARDED_IP", forwardedIpConfig: { headerName: CLIENT_IP_HEADER, fallbackBehavior: "MATCH" } }
    : { aggregateKeyType: "IP" };
}

/**
 * Behind Cloudflare the client is the first address of CF-Connecting-IP. NO_MATCH: a request without a
 * readable address is not a listed address (the rate rules, keyed with MATCH, still count it).
 */
function ipSetReference(arn: pulumi.Input<string>, behindCloudflare: boolean): Statement {
  const forwarded = { ipSetForwardedIpConfig: { headerName: CLIENT_IP_HEADER, fallbackBehavior: "NO_MATCH", position: "FIRST" } };
  return { ipSetReferenceStatement: { arn, ...(behindCloudflare ? forwarded : {}) } };
}

export function blockListRule(sets: BlockListIpSets, behindCloudflare: boolean): Rule {
  return {
    name: "ip-block-list",
    priority: 0,
    action: { block: {} },
    statement: { orStatement: { statements: [ipSetReference(sets.ipv4Arn, behindCloudflare), ipSetReference(sets.ipv6Arn, behindCloudflare)] } },
    visibilityConfig: visibility(RULE_METRICS.blockList),
  };
}

const tooManyRequests = { block: { customResponse: { responseCode: 429 } } };

/** POST to a sign-in path. The path is decoded, normalized and lower-cased first so `/API/auth//sign-in` still counts. */
export function signInScopeDown(): RateStatement["scopeDownStatement"] {
  return {
    andStatement: {
      statements: [
        {
          byteMatchStatement: {
            fieldToMatch: { method: {} },
            positionalConstraint: "EXACTLY",
            searchString: "POST",
            textTransformations: [{ priority: 0, type: "NONE" }],
          },
        },
        {
          regexMatchStatement: {
            fieldToMatch: { uriPath: {} },
            regexString: SIGN_IN_PATH_REGEX,
            textTransformations: [
              { priority: 0, type: "URL_DECODE" },
              { priority: 1, type: "NORMALIZE_PATH" },
              { priority: 2, type: "LOWERCASE" },
            ],
          },
        },
      ],
    },
  };
}

export function wafRules(s: WafRuleSettings, blockList: BlockListIpSets): Rule[] {
  const rateRules: Rule[] = [
    {
      name: "auth-sign-in-rate",
      priority: 1,
      action: tooManyRequests,
      statement: {
        rateBasedStatement: {
          limit: s.authRateLimit,
          evaluationWindowSec: s.authWindowSeconds,
          ...clientKey(s.behindCloudflare),
          scopeDownStatement: signInScopeDown(),
        },
      },
      visibilityConfig: visibility(RULE_METRICS.authRate),
    },
    {
      name: "global-rate",
      priority: 2,
      action: tooManyRequests,
      statement: { rateBasedStatement: { limit: s.globalRateLimitPer5Min, evaluationWindowSec: 300, ...clientKey(s.behindCloudflare) } },
      visibilityConfig: visibility(RULE_METRICS.globalRate),
    },
  ];
  const managed: Rule[] = MANAGED_RULE_GROUPS.map((g) => ({
    name: g.name,
    priority: g.priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: "AWS", name: g.name } },
    visibilityConfig: visibility(g.name),
  }));
  return [blockListRule(blockList, s.behindCloudflare), ...rateRules, ...managed];
}
