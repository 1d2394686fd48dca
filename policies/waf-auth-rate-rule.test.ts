import { wafRules } from "../infra/edge/wafRules";
import { evaluateStatement } from "./lib/waf";
import { runResourcePolicy, UNKNOWN } from "./testing";
import { wafAuthRateRule } from "./waf-auth-rate-rule";

const TYPE = "aws:wafv2/webAcl:WebAcl";
const IP_SETS = {
  ipv4Arn: "arn:aws:wafv2:eu-west-1:123456789012:regional/ipset/catalyst-prod-blocked-ipv4/1111",
  ipv6Arn: "arn:aws:wafv2:eu-west-1:123456789012:regional/ipset/catalyst-prod-blocked-ipv6/2222",
};
const pathMatch = (searchString: string, positionalConstraint = "STARTS_WITH") => ({
  byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint, searchString, textTransformations: [{ priority: 0, type: "LOWERCASE" }] },
});
const signInScope = () => ({ orStatement: { statements: [pathMatch("/api/auth/sign-in"), pathMatch("/agent/api/auth/sign-in")] } });
const rateRule = (over: Record<string, unknown> = {}, scopeDownStatement: unknown = signInScope()) => ({
  name: "auth-sign-in-rate",
  priority: 0,
  action: { block: {} },
  statement: { rateBasedStatement: { limit: 10, evaluationWindowSec: 600, aggregateKeyType: "IP", scopeDownStatement } },
  visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "auth", sampledRequestsEnabled: true },
  ...over,
});
const managedRule = {
  name: "common",
  priority: 1,
  overrideAction: { none: {} },
  statement: { managedRuleGroupStatement: { name: "AWSManagedRulesCommonRuleSet", vendorName: "AWS" } },
  visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "common", sampledRequestsEnabled: true },
};
const acl = (rules: unknown[]): Record<string, unknown> => ({
  scope: "REGIONAL",
  defaultAction: { allow: {} },
  rules,
  visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "catalyst", sampledRequestsEnabled: true },
});
const run = (props: Record<string, unknown>, config?: Record<string, unknown>) => runResourcePolicy(wafAuthRateRule, { type: TYPE, props }, { config });

describe("waf-auth-rate-rule", () => {
  it("passes the stack's rule: 10 per 600 s, block, scoped to both sign-in paths", async () => {
    expect(await run(acl([rateRule(), managedRule]))).toMatchObject({ violations: [], undecidable: false, notApplicable: false });
  });

  it("passes the stack's own rules (infra/edge/wafRules), behind Cloudflare or not", async () => {
    for (const behindCloudflare of [true, false]) {
      const rules = wafRules({ behindCloudflare, globalRateLimitPer5Min: 2000, authRateLimit: 10, authWindowSeconds: 600 }, IP_SETS);
      expect((await run(acl(rules))).violations).toEqual([]);
    }
  });

  it("decides at preview while the block list's IP set ARNs are still unknown", async () => {
    const rules = wafRules(
      { behindCloudflare: true, globalRateLimitPer5Min: 2000, authRateLimit: 10, authWindowSeconds: 600 },
      { ipv4Arn: UNKNOWN as string, ipv6Arn: UNKNOWN as string },
    );
    expect(await runResourcePolicy(wafAuthRateRule, { type: TYPE, props: acl(rules) }, { preview: true })).toMatchObject({
      violations: [],
      undecidable: false,
    });
  });

  it("does not count the block list (not rate-based) as a sign-in limit", async () => {
    const [blockList] = wafRules({ behindCloudflare: true, globalRateLimitPer5Min: 2000, authRateLimit: 10, authWindowSeconds: 600 }, IP_SETS);
    expect((await run(acl([blockList, managedRule]))).violations[0]).toMatch(
      /No rate-based rule blocks POST \/api\/auth\/sign-in\/email .*the web ACL has no rate-based rule/,
    );
  });

  it("passes a regex scope-down and two single-path rules", async () => {
    const regex = {
      regexMatchStatement: {
        fieldToMatch: { uriPath: {} },
        regexString: "^(/agent)?/api/auth/sign-in(/|$)",
        textTransformations: [{ priority: 0, type: "NONE" }],
      },
    };
    expect((await run(acl([rateRule({}, regex)]))).violations).toEqual([]);
    const two = [rateRule({ name: "a" }, pathMatch("/api/auth/sign-in")), rateRule({ name: "b" }, pathMatch("/agent/api/auth/sign-in"))];
    expect((await run(acl(two))).violations).toEqual([]);
  });

  it("passes an AND of POST and the path", async () => {
    const post = {
      byteMatchStatement: {
        fieldToMatch: { method: {} },
        positionalConstraint: "EXACTLY",
        searchString: "POST",
        textTransformations: [{ priority: 0, type: "NONE" }],
      },
    };
    expect((await run(acl([rateRule({}, { andStatement: { statements: [post, signInScope()] } })]))).violations).toEqual([]);
  });

  it("blocks a web ACL without a rate-based rule", async () => {
    const r = await run(acl([managedRule]));
    expect(r.violations).toEqual([
      "No rate-based rule blocks POST /api/auth/sign-in/email above 100 requests per window (the web ACL has no rate-based rule).",
      "No rate-based rule blocks POST /agent/api/auth/sign-in/email above 100 requests per window (the web ACL has no rate-based rule).",
    ]);
    expect(r.findings[0].level).toBe("mandatory");
  });

  it("blocks a rule that only counts", async () => {
    expect((await run(acl([rateRule({ action: { count: {} } })]))).violations[0]).toBe(
      "No rate-based rule blocks POST /api/auth/sign-in/email above 100 requests per window (rule auth-sign-in-rate: its action is not block).",
    );
  });

  it("blocks a limit above the maximum, which policy config can change", async () => {
    const loose = acl([rateRule({ statement: { rateBasedStatement: { limit: 500, aggregateKeyType: "IP", scopeDownStatement: signInScope() } } })]);
    expect((await run(loose)).violations[0]).toMatch(/rule auth-sign-in-rate: its limit 500 exceeds 100\)\.$/);
    expect((await run(acl([rateRule()]), { maxLimit: 5 })).violations[0]).toMatch(/its limit 10 exceeds 5/);
    expect((await run(loose, { maxLimit: 1000 })).violations).toEqual([]);
  });

  it("blocks a scope-down that misses the /agent sign-in path", async () => {
    expect((await run(acl([rateRule({}, pathMatch("/api/auth/sign-in"))]))).violations).toEqual([
      "No rate-based rule blocks POST /agent/api/auth/sign-in/email above 100 requests per window (rule auth-sign-in-rate: its scope-down statement does not match /agent/api/auth/sign-in/email).",
    ]);
  });

  it("blocks a scope-down on the wrong path or with a case that can never match after LOWERCASE", async () => {
    expect((await run(acl([rateRule({}, pathMatch("/api/auth/sign-up"))]))).violations).toHaveLength(2);
    expect((await run(acl([rateRule({}, pathMatch("/API/AUTH/SIGN-IN", "CONTAINS"))]))).violations).toHaveLength(2);
  });

  it("blocks a scope-down it cannot evaluate, naming the statement", async () => {
    const header = {
      byteMatchStatement: { fieldToMatch: { singleHeader: { name: "host" } }, positionalConstraint: "EXACTLY", searchString: "x", textTransformations: [] },
    };
    expect((await run(acl([rateRule({}, header)]))).violations[0]).toMatch(
      /rule auth-sign-in-rate: rules\[0\]\.scopeDownStatement\.byteMatchStatement matches singleHeader, not the URI path or method\)\.$/,
    );
  });

  it("blocks rules given only as ruleJson (not inspected)", async () => {
    const props = { ...acl([]), rules: undefined, ruleJson: "[]" };
    expect((await run(props)).violations[0]).toMatch(/rules are given only as ruleJson, which this policy does not inspect/);
  });

  it("checks configured sign-in paths", async () => {
    const r = await run(acl([rateRule()]), { signInPaths: ["/api/auth/sign-in/username"] });
    expect(r.violations).toEqual([]);
    expect(
      (await run(acl([rateRule({}, pathMatch("/api/auth/sign-in/email", "EXACTLY"))]), { signInPaths: ["/api/auth/sign-in/username"] })).violations,
    ).toHaveLength(1);
  });

  it("blocks an allow rule evaluated before the rate rule that matches the sign-in path (allow ends evaluation)", async () => {
    const allowAuth = {
      name: "allow-auth",
      priority: 0,
      action: { allow: {} },
      statement: pathMatch("/api/auth"),
      visibilityConfig: managedRule.visibilityConfig,
    };
    expect((await run(acl([allowAuth, rateRule({ priority: 5 })]))).violations).toEqual([
      "No rate-based rule blocks POST /api/auth/sign-in/email above 100 requests per window (rule auth-sign-in-rate: allow rule allow-auth (priority 0) lets the request through before it).",
    ]);
    // Priorities, not list order, decide; an allow rule after the rate rule, or one that does not match, bypasses nothing.
    expect((await run(acl([allowAuth, rateRule({ priority: 5 })].reverse().map((r, i) => ({ ...r, priority: i }))))).violations).toEqual([]);
    expect((await run(acl([{ ...allowAuth, statement: pathMatch("/health") }, rateRule({ priority: 5 })]))).violations).toEqual([]);
  });

  it("says explicitly when an allow rule ahead of the rate rule is unknown at preview", async () => {
    const allow = {
      name: "allow-x",
      priority: 0,
      action: { allow: {} },
      statement: pathMatch(UNKNOWN as string),
      visibilityConfig: managedRule.visibilityConfig,
    };
    const r = await runResourcePolicy(wafAuthRateRule, { type: TYPE, props: acl([allow, rateRule({ priority: 5 })]) }, { preview: true });
    expect(r).toMatchObject({ violations: [], undecidable: true });
  });

  it("treats a rule whose statement is unknown at preview as undecidable, not as a missing rate rule", async () => {
    const r = await runResourcePolicy(wafAuthRateRule, { type: TYPE, props: acl([rateRule({ statement: UNKNOWN })]) }, { preview: true });
    expect(r).toMatchObject({ violations: [], undecidable: true });
    expect(r.findings[0].message).toMatch(/rules\[0\]\.statement is unknown during preview/);
  });

  it("refuses an empty signInPaths in its config schema (it would check nothing)", () => {
    expect(wafAuthRateRule.configSchema?.properties?.signInPaths).toMatchObject({ minItems: 1 });
  });

  it("is not applicable to CLOUDFRONT web ACLs or other types", async () => {
    expect(await run({ ...acl([]), scope: "CLOUDFRONT" })).toMatchObject({ violations: [], notApplicable: true });
    expect(await runResourcePolicy(wafAuthRateRule, { type: "aws:wafv2/webAclAssociation:WebAclAssociation", props: {} })).toMatchObject({
      notApplicable: true,
    });
  });

  it("decides at preview on literal rules while logging and token domains are unknown", async () => {
    const props = { ...acl([rateRule({ action: { count: {} } })]), tokenDomains: UNKNOWN, tags: { env: UNKNOWN } };
    const r = await runResourcePolicy(wafAuthRateRule, { type: TYPE, props }, { preview: true });
    expect(r).toMatchObject({ undecidable: false, violations: [expect.stringContaining("its action is not block"), expect.any(String)] });
  });

  it("says explicitly that a computed search string is decided at pulumi up", async () => {
    const r = await runResourcePolicy(wafAuthRateRule, { type: TYPE, props: acl([rateRule({}, pathMatch(UNKNOWN as string))]) }, { preview: true });
    expect(r).toMatchObject({ violations: [], undecidable: true });
    expect(r.findings[0].message).toMatch(/searchString is unknown during preview; decided at `pulumi up`/);
  });
});

describe("evaluateStatement", () => {
  const probe = { uriPath: "/api/auth/sign-in/email", method: "POST" };
  it("applies NOT, CONTAINS_WORD, ENDS_WITH and URL_DECODE", () => {
    expect(evaluateStatement({ notStatement: { statement: pathMatch("/static") } }, probe, "s")).toBe(true);
    expect(evaluateStatement(pathMatch("sig", "CONTAINS_WORD"), probe, "s")).toBe(false);
    expect(evaluateStatement(pathMatch("sign-in", "CONTAINS_WORD"), probe, "s")).toBe(true);
    expect(evaluateStatement(pathMatch("/email", "ENDS_WITH"), probe, "s")).toBe(true);
    const encoded = { uriPath: "/api/auth/sign-in%2Femail", method: "POST" };
    const decoded = {
      byteMatchStatement: { ...pathMatch("/api/auth/sign-in/email", "EXACTLY").byteMatchStatement, textTransformations: [{ priority: 0, type: "URL_DECODE" }] },
    };
    expect(evaluateStatement(decoded, encoded, "s")).toBe(true);
  });
  it("leaves statements it cannot model undetermined, and an OR with a true branch true", () => {
    const geo = { geoMatchStatement: { countryCodes: ["DE"] } };
    expect(evaluateStatement(geo, probe, "s")).toEqual({
      undetermined: "s.geoMatchStatement is not modelled (only byte/regex matches on the URI path or method, and/or/not)",
    });
    expect(evaluateStatement({ orStatement: { statements: [geo, pathMatch("/api/auth")] } }, probe, "s")).toBe(true);
    expect(evaluateStatement({ andStatement: { statements: [geo, pathMatch("/nope")] } }, probe, "s")).toBe(false);
  });
});
