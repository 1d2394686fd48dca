import { BlockListIpSets, CLIENT_IP_HEADER, MANAGED_RULE_GROUPS, SIGN_IN_PATH_REGEX, wafRules as rulesFor, WafRuleSettings } from "./wafRules";

const settings: WafRuleSettings = { behindCloudflare: true, globalRateLimitPer5Min: 1000, authRateLimit: 10, authWindowSeconds: 600 };
const ipSets: BlockListIpSets = {
  ipv4Arn: "arn:aws:wafv2:eu-west-1:123456789012:regional/ipset/catalyst-prod-blocked-ipv4/1111",
  ipv6Arn: "arn:aws:wafv2:eu-west-1:123456789012:regional/ipset/catalyst-prod-blocked-ipv6/2222",
};
const wafRules = (s: WafRuleSettings) => rulesFor(s, ipSets);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyRule = any;
const byName = (rules: AnyRule[], name: string): AnyRule => rules.find((r) => r.name === name);

describe("wafRules", () => {
  const rules = wafRules(settings) as AnyRule[];

  it("orders rules: operator block list, sign-in rate, global rate, then IP reputation, common, known bad inputs, SQLi", () => {
    expect(rules.map((r) => [r.priority, r.name])).toEqual([
      [0, "ip-block-list"],
      [1, "auth-sign-in-rate"],
      [2, "global-rate"],
      [10, "AWSManagedRulesAmazonIpReputationList"],
      [20, "AWSManagedRulesCommonRuleSet"],
      [30, "AWSManagedRulesKnownBadInputsRuleSet"],
      [40, "AWSManagedRulesSQLiRuleSet"],
    ]);
    expect(new Set(rules.map((r) => r.priority)).size).toBe(rules.length);
  });

  it("blocks (403) a client whose CF-Connecting-IP is in the IPv4 or the IPv6 block list, first of all rules", () => {
    const rule = byName(rules, "ip-block-list");
    expect(rule.priority).toBe(Math.min(...rules.map((r) => r.priority)));
    expect(rule.action).toEqual({ block: {} });
    // NO_MATCH: a request without a readable client address is not a listed address (the rate rules still count it).
    const forwarded = { headerName: "CF-Connecting-IP", fallbackBehavior: "NO_MATCH", position: "FIRST" };
    expect(rule.statement).toEqual({
      orStatement: {
        statements: [
          { ipSetReferenceStatement: { arn: ipSets.ipv4Arn, ipSetForwardedIpConfig: forwarded } },
          { ipSetReferenceStatement: { arn: ipSets.ipv6Arn, ipSetForwardedIpConfig: forwarded } },
        ],
      },
    });
  });

  it("matches the block list against the source address when Cloudflare does not proxy", () => {
    const rule = byName(wafRules({ ...settings, behindCloudflare: false }) as AnyRule[], "ip-block-list");
    expect(rule.statement.orStatement.statements).toEqual([
      { ipSetReferenceStatement: { arn: ipSets.ipv4Arn } },
      { ipSetReferenceStatement: { arn: ipSets.ipv6Arn } },
    ]);
  });

  it("limits sign-in to the strictest WAF allows: 10 requests per 600 s per client, answered with 429", () => {
    const rule = byName(rules, "auth-sign-in-rate");
    expect(rule.action).toEqual({ block: { customResponse: { responseCode: 429 } } });
    expect(rule.statement.rateBasedStatement).toMatchObject({ limit: 10, evaluationWindowSec: 600 });
  });

  it("scopes the sign-in rule to POST on /api/auth/sign-in* of both apps, after decoding and normalizing the path", () => {
    const [method, path] = byName(rules, "auth-sign-in-rate").statement.rateBasedStatement.scopeDownStatement.andStatement.statements;
    expect(method).toEqual({
      byteMatchStatement: {
        fieldToMatch: { method: {} },
        positionalConstraint: "EXACTLY",
        searchString: "POST",
        textTransformations: [{ priority: 0, type: "NONE" }],
      },
    });
    expect(path.regexMatchStatement.fieldToMatch).toEqual({ uriPath: {} });
    expect(path.regexMatchStatement.regexString).toBe("^(/agent)?/api/auth/sign-in");
    expect(path.regexMatchStatement.textTransformations.map((t: AnyRule) => t.type)).toEqual(["URL_DECODE", "NORMALIZE_PATH", "LOWERCASE"]);
  });

  it.each([
    ["/api/auth/sign-in/email", true],
    ["/api/auth/sign-in/social", true],
    ["/agent/api/auth/sign-in/email", true],
    ["/api/auth/sign-up/email", false],
    ["/api/auth/get-session", false],
    ["/agent/dashboard", false],
    ["/x/api/auth/sign-in/email", false],
  ])("the sign-in path pattern %s → %s", (path, matches) => {
    expect(new RegExp(SIGN_IN_PATH_REGEX).test(path)).toBe(matches);
  });

  it("limits every client to the configured requests per 5 minutes on any path", () => {
    const rule = byName(rules, "global-rate");
    expect(rule.action).toEqual({ block: { customResponse: { responseCode: 429 } } });
    expect(rule.statement.rateBasedStatement).toEqual({
      limit: 1000,
      evaluationWindowSec: 300,
      aggregateKeyType: "FORWARDED_IP",
      forwardedIpConfig: { headerName: "CF-Connecting-IP", fallbackBehavior: "MATCH" },
    });
  });

  it("identifies clients by CF-Connecting-IP behind Cloudflare and by source address otherwise", () => {
    const keys = (s: WafRuleSettings) =>
      (wafRules(s) as AnyRule[])
        .filter((r) => r.statement.rateBasedStatement)
        .map((r) => [r.statement.rateBasedStatement.aggregateKeyType, r.statement.rateBasedStatement.forwardedIpConfig?.headerName]);
    expect(keys(settings)).toEqual([
      ["FORWARDED_IP", CLIENT_IP_HEADER],
      ["FORWARDED_IP", CLIENT_IP_HEADER],
    ]);
    expect(keys({ ...settings, behindCloudflare: false })).toEqual([
      ["IP", undefined],
      ["IP", undefined],
    ]);
  });

  it("runs the AWS managed groups with their own actions (override none)", () => {
    for (const g of MANAGED_RULE_GROUPS) {
      const rule = byName(rules, g.name);
      expect(rule.overrideAction).toEqual({ none: {} });
      expect(rule.action).toBeUndefined();
      expect(rule.statement).toEqual({ managedRuleGroupStatement: { vendorName: "AWS", name: g.name } });
    }
  });

  it("enables CloudWatch metrics and sampled requests on every rule, under the rule's own metric name", () => {
    for (const r of rules) expect(r.visibilityConfig).toEqual({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: r.name });
  });

  it("passes configured limits through", () => {
    const custom = wafRules({ ...settings, globalRateLimitPer5Min: 2500, authRateLimit: 20, authWindowSeconds: 300 }) as AnyRule[];
    expect(byName(custom, "global-rate").statement.rateBasedStatement.limit).toBe(2500);
    expect(byName(custom, "auth-sign-in-rate").statement.rateBasedStatement).toMatchObject({ limit: 20, evaluationWindowSec: 300 });
  });
});
