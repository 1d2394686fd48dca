/**
 * The edge as the real prod stack (Pulumi.prod.yaml) builds it: TLS, redirect, headers, routing,
 * certificate wiring, WAF, log redaction, and the load balancer's security group sources.
 */
import * as pulumi from "@pulumi/pulumi";
import { Captured, CapturedResource, runProgram, UNKNOWN } from "../test/harness";
import { unproxiedWarning } from "../infra/edge/cloudflare";
import { SECURITY_HEADERS } from "../infra/edge/headers";
import { TYPES } from "../test/resource-types";

const DOMAIN = "app.catalyst.example.com";

const T = TYPES;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyValue = any;

const listenerOn = (run: Captured, port: number): CapturedResource => {
  const found = run.byType(T.listener).filter((l) => l.inputs.port === port);
  expect(found).toHaveLength(1);
  return found[0];
};
const rules = (run: Captured): AnyValue[] => run.one(T.acl).inputs.rules as AnyValue[];
const rule = (run: Captured, name: string): AnyValue => rules(run).find((r) => r.name === name);
const loadBalancerGroup = (run: Captured): CapturedResource => {
  const groups = run.byType(T.sg).filter((g) => (g.inputs.tags as Record<string, string> | undefined)?.["catalyst:role"] === "load-balancer");
  expect(groups).toHaveLength(1);
  return groups[0];
};
/** A few of Cloudflare's published ranges (the mocks answer cloudflare.getIpRanges with the full list). */
const SOME_CLOUDFLARE_IPV4 = ["173.245.48.0/20", "104.16.0.0/13", "162.158.0.0/15"];
const SOME_CLOUDFLARE_IPV6 = ["2400:cb00::/32", "2606:4700::/32"];

describe("edge in the prod stack", () => {
  let run: Captured;
  beforeAll(async () => {
    run = await runProgram();
  });

  it("calls no provider function the mocks do not know", () => {
    expect(run.unknownCalls).toEqual([]);
  });

  it("terminates TLS with ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09 on 443, with the validated certificate", () => {
    const https = listenerOn(run, 443);
    expect(https.inputs).toMatchObject({ protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" });
    expect(https.propertyDependencies.certificateArn).toEqual([run.one(T.certValidation).urn]);
    expect(run.one(T.cert).inputs).toMatchObject({ domainName: DOMAIN, validationMethod: "DNS" });
  });

  it("answers HTTP on 80 only with a 301 to https://<same host>:443/<same path>?<same query>", () => {
    expect(listenerOn(run, 80).inputs.defaultActions).toEqual([
      { type: "redirect", redirect: { protocol: "HTTPS", port: "443", host: "#{host}", path: "/#{path}", query: "#{query}", statusCode: "HTTP_301" } },
    ]);
    expect(run.byType(T.rule).filter((r) => r.inputs.listenerArn === listenerOn(run, 80).outputs.arn)).toEqual([]);
  });

  it("sets each ALB security header on the HTTPS listener and removes the Server header", () => {
    expect(listenerOn(run, 443).inputs).toMatchObject({
      routingHttpResponseStrictTransportSecurityHeaderValue: "max-age=31536000; includeSubDomains; preload",
      routingHttpResponseXFrameOptionsHeaderValue: "SAMEORIGIN",
      routingHttpResponseXContentTypeOptionsHeaderValue: "nosniff",
      routingHttpResponseContentSecurityPolicyHeaderValue: SECURITY_HEADERS["Content-Security-Policy"],
      routingHttpResponseServerEnabled: false,
    });
  });

  it("sets Referrer-Policy, Permissions-Policy and X-XSS-Protection at Cloudflare for the app hostname", () => {
    const ruleset = run.one(T.ruleset, "response-headers").inputs as AnyValue;
    expect(ruleset.phase).toBe("http_response_headers_transform");
    expect(ruleset.rules[0].expression).toBe(`(http.host eq "${DOMAIN}")`);
    expect(ruleset.rules[0].actionParameters.headers).toEqual({
      "Referrer-Policy": { operation: "set", value: "strict-origin-when-cross-origin" },
      "Permissions-Policy": { operation: "set", value: "camera=(), microphone=(), geolocation=()" },
      "X-XSS-Protection": { operation: "set", value: "1; mode=block" },
    });
  });

  it("routes /agent and /agent/* (priority 100) to the agent group on 3001, the rest to the frontend on 3000", () => {
    const agentRule = run.one(T.rule).inputs;
    expect(agentRule).toMatchObject({
      listenerArn: listenerOn(run, 443).outputs.arn,
      priority: 100,
      conditions: [{ pathPattern: { values: ["/agent", "/agent/*"] } }],
    });
    const byPort = (port: number) => run.byType(T.tg).find((tg) => tg.inputs.port === port)!;
    expect(agentRule.actions).toEqual([{ type: "forward", targetGroupArn: byPort(3001).outputs.arn }]);
    expect(listenerOn(run, 443).inputs.defaultActions).toEqual([{ type: "forward", targetGroupArn: byPort(3000).outputs.arn }]);
    expect(byPort(3000).inputs.healthCheck).toMatchObject({ path: "/" });
    expect(byPort(3001).inputs.healthCheck).toMatchObject({ path: "/agent" });
  });

  it("has deletion protection in production and sits in the public subnets", () => {
    const lb = run.one(T.lb).inputs;
    expect(lb.enableDeletionProtection).toBe(true);
    const tier = (s: CapturedResource) => (s.inputs.tags as Record<string, string>)["catalyst:tier"];
    const publicSubnets = run.byType("aws:ec2/subnet:Subnet").filter((s) => tier(s) === "public");
    expect(publicSubnets).toHaveLength(3);
    expect([...(lb.subnets as string[])].sort()).toEqual(publicSubnets.map((s) => s.id).sort());
  });

  describe("the load balancer's security group (owned by the network)", () => {
    it("is the only group on the ALB", () => {
      expect(run.one(T.lb).inputs.securityGroups).toEqual([loadBalancerGroup(run).id]);
    });

    it("admits 443 and 80 only from Cloudflare's published ranges", () => {
      const ingress = loadBalancerGroup(run).inputs.ingress as AnyValue[];
      expect(ingress.map((r) => [r.fromPort, r.toPort, r.protocol]).sort()).toEqual([
        [443, 443, "tcp"],
        [80, 80, "tcp"],
      ]);
      for (const r of ingress) {
        expect(r.cidrBlocks).toEqual(expect.arrayContaining(SOME_CLOUDFLARE_IPV4));
        expect(r.ipv6CidrBlocks).toEqual(expect.arrayContaining(SOME_CLOUDFLARE_IPV6));
        expect(r.cidrBlocks).not.toContain("0.0.0.0/0");
        expect(r.ipv6CidrBlocks).not.toContain("::/0");
        expect(r.cidrBlocks).toEqual(ingress[0].cidrBlocks);
      }
    });

    it("sends traffic only to the app ports 3000 and 3001", () => {
      const egress = loadBalancerGroup(run).inputs.egress as AnyValue[];
      expect(egress.map((r) => r.fromPort).sort()).toEqual([3000, 3001]);
      for (const r of egress) expect(r.cidrBlocks ?? []).toEqual([]);
    });

    it("leaves 3000 and 3001 closed to every address range (only the ALB group may reach them)", () => {
      const cidrIngress = [...run.byType(T.sgIngress), ...run.byType(T.sgRule).filter((r) => r.inputs.type === "ingress")].filter(
        (r) => r.inputs.cidrIpv4 || r.inputs.cidrBlocks || r.inputs.cidrIpv6,
      );
      for (const r of cidrIngress) expect([3000, 3001]).not.toContain(r.inputs.fromPort);
    });
  });

  describe("WAF", () => {
    it("protects this stack's ALB", () => {
      const assoc = run.one(T.aclAssoc).inputs;
      expect(assoc.resourceArn).toBe(run.one(T.lb).outputs.arn);
      expect(assoc.webAclArn).toBe(run.one(T.acl).outputs.arn);
      expect(run.one(T.acl).inputs.scope).toBe("REGIONAL");
    });

    it("blocks the operator's block list first (priority 0, 403), on CF-Connecting-IP, from two regional IP sets that exist while empty", () => {
      const blockList = rule(run, "ip-block-list");
      expect([blockList.priority, blockList.action]).toEqual([0, { block: {} }]);
      const sets = run.byType(T.ipSet);
      expect(sets.map((s) => [s.inputs.name, s.inputs.scope, s.inputs.ipAddressVersion, s.inputs.addresses])).toEqual([
        ["catalyst-prod-blocked-ipv4", "REGIONAL", "IPV4", []],
        ["catalyst-prod-blocked-ipv6", "REGIONAL", "IPV6", []],
      ]);
      const forwarded = { headerName: "CF-Connecting-IP", fallbackBehavior: "NO_MATCH", position: "FIRST" };
      expect(blockList.statement.orStatement.statements).toEqual(
        sets.map((s) => ({ ipSetReferenceStatement: { arn: s.outputs.arn, ipSetForwardedIpConfig: forwarded } })),
      );
      expect(blockList.visibilityConfig).toEqual({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: "ip-block-list" });
      expect(Math.min(...rules(run).map((r) => r.priority))).toBe(0);
      expect(new Set(rules(run).map((r) => r.priority)).size).toBe(rules(run).length);
    });

    it("limits sign-in POSTs to 10 per 600 s per CF-Connecting-IP (priority 1, block 429)", () => {
      const auth = rule(run, "auth-sign-in-rate");
      expect(auth.priority).toBe(1);
      expect(auth.action).toEqual({ block: { customResponse: { responseCode: 429 } } });
      expect(auth.statement.rateBasedStatement).toMatchObject({
        limit: 10,
        evaluationWindowSec: 600,
        aggregateKeyType: "FORWARDED_IP",
        forwardedIpConfig: { headerName: "CF-Connecting-IP", fallbackBehavior: "MATCH" },
      });
      const [method, path] = auth.statement.rateBasedStatement.scopeDownStatement.andStatement.statements;
      expect(method.byteMatchStatement).toMatchObject({ fieldToMatch: { method: {} }, positionalConstraint: "EXACTLY", searchString: "POST" });
      expect(path.regexMatchStatement).toMatchObject({ fieldToMatch: { uriPath: {} }, regexString: "^(/agent)?/api/auth/sign-in" });
    });

    it("limits every client to 1000 requests per 5 minutes (priority 2, block 429)", () => {
      const global = rule(run, "global-rate");
      expect(global.priority).toBe(2);
      expect(global.action).toEqual({ block: { customResponse: { responseCode: 429 } } });
      expect(global.statement.rateBasedStatement).toMatchObject({ limit: 1000, evaluationWindowSec: 300, aggregateKeyType: "FORWARDED_IP" });
    });

    it("runs the four AWS managed rule groups after the rate rules", () => {
      expect(
        rules(run)
          .filter((r) => r.statement.managedRuleGroupStatement)
          .map((r) => [r.priority, r.statement.managedRuleGroupStatement.name]),
      ).toEqual([
        [10, "AWSManagedRulesAmazonIpReputationList"],
        [20, "AWSManagedRulesCommonRuleSet"],
        [30, "AWSManagedRulesKnownBadInputsRuleSet"],
        [40, "AWSManagedRulesSQLiRuleSet"],
      ]);
      for (const r of rules(run)) expect(r.visibilityConfig.cloudwatchMetricsEnabled).toBe(true);
    });

    it("logs to aws-waf-logs-catalyst-prod without cookies, authorization headers or query strings", () => {
      const logging = run.one(T.aclLogging).inputs;
      const group = run.byType("aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === "aws-waf-logs-catalyst-prod")!;
      expect(logging.logDestinationConfigs).toEqual([group.outputs.arn]);
      expect(logging.redactedFields).toEqual([{ singleHeader: { name: "cookie" } }, { singleHeader: { name: "authorization" } }, { queryString: {} }]);
      expect(group.inputs.retentionInDays).toBe(365);
      expect(group.protect).toBe(true);
    });
  });

  it("puts catalyst:wafBlockedIpv4Cidrs / wafBlockedIpv6Cidrs into the IP sets, leaving every other resource as it was", async () => {
    const blocked = await runProgram({
      override: { "catalyst:wafBlockedIpv4Cidrs": '["203.0.113.7/32","198.51.100.0/24"]', "catalyst:wafBlockedIpv6Cidrs": '["2001:db8:1234::/48"]' },
    });
    expect(blocked.one(T.ipSet, "blocked-ipv4").inputs.addresses).toEqual(["203.0.113.7/32", "198.51.100.0/24"]);
    expect(blocked.one(T.ipSet, "blocked-ipv6").inputs.addresses).toEqual(["2001:db8:1234::/48"]);
    const withoutSets = (r: Captured) => r.resources.filter((x) => x.type !== T.ipSet).map((x) => [x.urn, x.inputs]);
    expect(withoutSets(blocked)).toEqual(withoutSets(run));
  });

  it("refuses a private or malformed range before declaring anything", async () => {
    await expect(runProgram({ override: { "catalyst:wafBlockedIpv4Cidrs": '["10.40.1.20/32"]' } })).rejects.toThrow(
      /catalyst:wafBlockedIpv4Cidrs: item 0 "10\.40\.1\.20\/32" overlaps 10\.0\.0\.0\/8/,
    );
  });

  it("gives operators the edge outputs", () => {
    expect(run.stackOutputs).toMatchObject({
      albDnsName: run.one(T.lb).outputs.dnsName,
      webAclName: "catalyst-prod",
      cloudflareProxied: true,
      albLogBucket: "catalyst-prod-alb-logs-123456789012",
      wafLogGroup: "aws-waf-logs-catalyst-prod",
    });
    expect(run.stackOutputs.wafBlockedIpSets).toEqual({
      ipv4: { name: "catalyst-prod-blocked-ipv4", id: run.one(T.ipSet, "blocked-ipv4").id },
      ipv6: { name: "catalyst-prod-blocked-ipv6", id: run.one(T.ipSet, "blocked-ipv6").id },
    });
    expect(run.stackOutputs.certificateArn).toBe(run.one(T.cert).outputs.arn);
  });
});

describe("edge with Cloudflare proxying turned off", () => {
  let run: Captured;
  const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(async () => undefined);
  beforeAll(async () => {
    warn.mockClear();
    run = await runProgram({ override: { "catalyst:cloudflareProxied": "false" } });
  });
  afterAll(() => warn.mockRestore());

  it("warns explicitly", () => {
    expect(warn.mock.calls.map((c) => c[0])).toContain(unproxiedWarning(DOMAIN));
  });

  it("opens the ALB group to the internet on 443/80 only, and keys WAF on the source address", () => {
    const ingress = loadBalancerGroup(run).inputs.ingress as AnyValue[];
    for (const r of ingress) {
      expect([80, 443]).toContain(r.fromPort);
      expect(r.cidrBlocks).toEqual(["0.0.0.0/0"]);
    }
    expect(rule(run, "auth-sign-in-rate").statement.rateBasedStatement.aggregateKeyType).toBe("IP");
    for (const s of rule(run, "ip-block-list").statement.orStatement.statements) expect(s.ipSetReferenceStatement.ipSetForwardedIpConfig).toBeUndefined();
    expect(run.byType(T.ruleset)).toEqual([]);
    expect(run.one(T.dns, "cloudflare-app").inputs.proxied).toBe(false);
  });
});

describe("edge at preview", () => {
  it("decides TLS, redirect, headers and WAF rules before anything exists", async () => {
    const run = await runProgram({ preview: true });
    const https = listenerOn(run, 443).inputs;
    expect(https.sslPolicy).toBe("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
    expect(https.routingHttpResponseStrictTransportSecurityHeaderValue).toBe(SECURITY_HEADERS["Strict-Transport-Security"]);
    expect(https.routingHttpResponseContentSecurityPolicyHeaderValue).toBe(SECURITY_HEADERS["Content-Security-Policy"]);
    expect(JSON.stringify(listenerOn(run, 80).inputs.defaultActions)).not.toContain(UNKNOWN);
    // Only the block list's IP set ARNs wait for AWS (first deployment); every action, limit and key is known.
    const known = rules(run).filter((r) => r.name !== "ip-block-list");
    expect(JSON.stringify(known)).not.toContain(UNKNOWN);
    expect(rule(run, "ip-block-list").statement.orStatement.statements.map((s: AnyValue) => s.ipSetReferenceStatement.arn)).toEqual([UNKNOWN, UNKNOWN]);
    expect(run.unknownCalls).toEqual([]);
  });
});
