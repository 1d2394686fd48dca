import * as pulumi from "@pulumi/pulumi";
import { CapturedResource, Captured, outputValue, parseJsonProp, runComponent, UNKNOWN } from "../../test/harness";
import { Edge, EdgeArgs } from "./edge";
import { SECURITY_HEADERS } from "./headers";
import { unproxiedWarning } from "./cloudflare";
import { TYPES } from "../../test/resource-types";

const ZONE = "0123456789abcdef0123456789abcdef";
const base: EdgeArgs = {
  namePrefix: "catalyst-test",
  domain: "app.example.com",
  cloudflareZoneId: ZONE,
  region: "eu-west-1",
  vpcId: "vpc-0test",
  publicSubnetIds: ["subnet-0a", "subnet-0b", "subnet-0c"],
  securityGroupIds: ["sg-0alb"],
};

type Run = Captured & { component: Edge };

function deploy(args: Partial<EdgeArgs> = {}, preview = false): Promise<Run> {
  return runComponent(() => new Edge("edge", { ...base, ...args }), { preview });
}

const T = TYPES;

const listener = (run: Run, port: number): CapturedResource => {
  const found = run.byType(T.listener).filter((l) => l.inputs.port === port);
  expect(found).toHaveLength(1);
  return found[0];
};

interface Statement {
  Sid: string;
  Effect: string;
  Principal: unknown;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

describe("Edge (component)", () => {
  let run: Run;
  beforeAll(async () => {
    run = await deploy();
  });

  it("calls no provider function the mocks do not know", () => {
    expect(run.unknownCalls).toEqual([]);
  });

  describe("load balancer", () => {
    it("is internet-facing in the given public subnets behind the given security group", () => {
      const lb = run.one(T.lb).inputs;
      expect(lb).toMatchObject({ name: "catalyst-test", loadBalancerType: "application", internal: false });
      expect(lb.subnets).toEqual(base.publicSubnetIds);
      expect(lb.securityGroups).toEqual(["sg-0alb"]);
    });

    it("drops invalid header fields, mitigates desync, never fails open past the WAF, and is deletion-protected by default", () => {
      expect(run.one(T.lb).inputs).toMatchObject({
        dropInvalidHeaderFields: true,
        desyncMitigationMode: "defensive",
        enableWafFailOpen: false,
        enableDeletionProtection: true,
      });
    });

    it("writes access and connection logs to the log bucket, only after the bucket policy lets ELB write", () => {
      const lb = run.one(T.lb);
      const bucketName = run.one(T.bucket).outputs.bucket;
      expect(bucketName).toBe("catalyst-test-alb-logs-123456789012");
      expect(lb.inputs.accessLogs).toEqual({ bucket: bucketName, prefix: "access", enabled: true });
      expect(lb.inputs.connectionLogs).toEqual({ bucket: bucketName, prefix: "connection", enabled: true });
      expect(lb.dependencies).toContain(run.one(T.bucketPolicy).urn);
    });
  });

  describe("HTTPS listener", () => {
    it("uses the TLS 1.2+1.3 policy AWS recommends, by exact name", () => {
      expect(listener(run, 443).inputs).toMatchObject({ protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" });
    });

    it("uses the certificate only once it is validated", () => {
      const https = listener(run, 443);
      const validation = run.one(T.certValidation);
      expect(https.inputs.certificateArn).toBe(run.one(T.cert).outputs.arn);
      expect(https.propertyDependencies.certificateArn).toEqual([validation.urn]);
    });

    it("sets HSTS, X-Frame-Options, X-Content-Type-Options and the production CSP, and removes the Server header", () => {
      const https = listener(run, 443).inputs;
      expect(https.routingHttpResponseStrictTransportSecurityHeaderValue).toBe("max-age=31536000; includeSubDomains; preload");
      expect(https.routingHttpResponseXFrameOptionsHeaderValue).toBe("SAMEORIGIN");
      expect(https.routingHttpResponseXContentTypeOptionsHeaderValue).toBe("nosniff");
      expect(https.routingHttpResponseContentSecurityPolicyHeaderValue).toBe(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; font-src 'self' data:; connect-src 'self'; " +
          "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
      );
      expect(https.routingHttpResponseServerEnabled).toBe(false);
    });

    it("forwards everything not matched by a rule to the frontend", () => {
      const frontend = run.one(T.tg, "edge-alb-frontend");
      expect(listener(run, 443).inputs.defaultActions).toEqual([{ type: "forward", targetGroupArn: frontend.outputs.arn }]);
    });
  });

  describe("HTTP listener", () => {
    it("only redirects to HTTPS with a 301, keeping host, path and query", () => {
      const http = listener(run, 80).inputs;
      expect(http.protocol).toBe("HTTP");
      expect(http.defaultActions).toEqual([
        { type: "redirect", redirect: { protocol: "HTTPS", port: "443", host: "#{host}", path: "/#{path}", query: "#{query}", statusCode: "HTTP_301" } },
      ]);
      expect(http.routingHttpResponseServerEnabled).toBe(false);
    });

    it("has no listener rule (nothing is ever served over HTTP)", () => {
      const httpArn = listener(run, 80).outputs.arn;
      expect(run.byType(T.rule).filter((r) => r.inputs.listenerArn === httpArn)).toEqual([]);
    });
  });

  describe("routing", () => {
    it("sends exactly /agent and /agent/* to the agent target group, at priority 100 on the HTTPS listener", () => {
      const rule = run.one(T.rule).inputs;
      expect(rule.listenerArn).toBe(listener(run, 443).outputs.arn);
      expect(rule.priority).toBe(100);
      expect(rule.conditions).toEqual([{ pathPattern: { values: ["/agent", "/agent/*"] } }]);
      expect(rule.actions).toEqual([{ type: "forward", targetGroupArn: run.one(T.tg, "edge-alb-agent").outputs.arn }]);
    });

    it.each([
      ["frontend", 3000, "/", "200"],
      ["agent", 3001, "/agent", "200-399"],
    ])("%s target group: type ip, port %i, health check %s (healthy %s), deliberate drain and slow start", (app, port, path, matcher) => {
      const tg = run.one(T.tg, `edge-alb-${app}`).inputs;
      expect(tg).toMatchObject({ targetType: "ip", port, protocol: "HTTP", vpcId: "vpc-0test", deregistrationDelay: 30, slowStart: 60 });
      expect(tg.healthCheck).toMatchObject({ enabled: true, protocol: "HTTP", path, matcher, port: "traffic-port" });
    });

    it("exposes the listener and agent rule so ECS services can wait for them", () => {
      expect(run.component.routingResources).toHaveLength(2);
    });
  });

  describe("certificate", () => {
    it("is a DNS-validated ACM certificate for the domain", () => {
      expect(run.one(T.cert).inputs).toMatchObject({
        domainName: "app.example.com",
        validationMethod: "DNS",
        options: { certificateTransparencyLoggingPreference: "ENABLED" },
      });
    });

    it("is validated through an unproxied Cloudflare CNAME taken from ACM's validation options", () => {
      const cert = run.one(T.cert).outputs as { domainValidationOptions: Array<Record<string, string>> };
      const [option] = cert.domainValidationOptions;
      const record = run.one(T.dns, "edge-cert-validation").inputs;
      expect(record).toMatchObject({
        zoneId: ZONE,
        type: "CNAME",
        name: option.resourceRecordName.replace(/\.$/, ""),
        content: option.resourceRecordValue.replace(/\.$/, ""),
        proxied: false,
      });
      const validation = run.one(T.certValidation);
      expect(validation.inputs.certificateArn).toBe(run.one(T.cert).outputs.arn);
      expect(validation.inputs.validationRecordFqdns).toEqual([record.name]);
      expect(validation.dependencies).toContain(run.one(T.dns, "edge-cert-validation").urn);
    });
  });

  describe("log bucket", () => {
    it("encrypts with SSE-S3 (the only encryption ALB log delivery supports) and blocks all public access", () => {
      const [rule] = run.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules as Array<
        Record<string, unknown>
      >;
      expect(rule.applyServerSideEncryptionByDefault).toEqual({ sseAlgorithm: "AES256" });
      const block = run.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
      expect([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets]).toEqual([true, true, true, true]);
      expect(run.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    });

    it("expires logs after the retention period", () => {
      const [rule] = run.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules as Array<Record<string, unknown>>;
      expect(rule).toMatchObject({ status: "Enabled", expiration: { days: 365 }, noncurrentVersionExpiration: { noncurrentDays: 30 } });
    });

    it("refuses non-TLS requests and lets only the regional ELB account write, under this account's log prefixes", () => {
      const doc = parseJsonProp<{ Statement: Statement[] }>(run.one(T.bucketPolicy).inputs.policy);
      const bySid = Object.fromEntries(doc.Statement.map((s) => [s.Sid, s]));
      expect(bySid.DenyInsecureTransport).toMatchObject({ Effect: "Deny", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
      expect(bySid.AllowElbLogDelivery).toEqual({
        Sid: "AllowElbLogDelivery",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::156460612806:root" },
        Action: "s3:PutObject",
        Resource: [
          "arn:aws:s3:::catalyst-test-alb-logs-123456789012/access/AWSLogs/123456789012/*",
          "arn:aws:s3:::catalyst-test-alb-logs-123456789012/connection/AWSLogs/123456789012/*",
        ],
      });
      expect(run.one(T.bucketPolicy).dependencies).toContain(run.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").urn);
    });
  });

  describe("WAF", () => {
    it("is a regional web ACL associated with the ALB, allowing what no rule blocks, with metrics on", () => {
      const acl = run.one(T.acl);
      expect(acl.inputs).toMatchObject({ name: "catalyst-test", scope: "REGIONAL", defaultAction: { allow: {} } });
      expect(acl.inputs.visibilityConfig).toEqual({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: "catalyst-test" });
      const assoc = run.one(T.aclAssoc).inputs;
      expect(assoc.resourceArn).toBe(run.one(T.lb).outputs.arn);
      expect(assoc.webAclArn).toBe(acl.outputs.arn);
    });

    it("keys rate limits on CF-Connecting-IP behind Cloudflare", () => {
      const rules = run.one(T.acl).inputs.rules as Array<{ name: string; statement: { rateBasedStatement?: Record<string, unknown> } }>;
      for (const name of ["auth-sign-in-rate", "global-rate"]) {
        const rate = rules.find((r) => r.name === name)!.statement.rateBasedStatement!;
        expect(rate.aggregateKeyType).toBe("FORWARDED_IP");
        expect(rate.forwardedIpConfig).toEqual({ headerName: "CF-Connecting-IP", fallbackBehavior: "MATCH" });
      }
    });

    it("keeps an empty IPv4 and an empty IPv6 block list by default (an address added later is an update, not a replacement)", () => {
      const sets = run.byType(T.ipSet).map((s) => s.inputs);
      expect(sets.map((s) => [s.name, s.scope, s.ipAddressVersion, s.addresses])).toEqual([
        ["catalyst-test-blocked-ipv4", "REGIONAL", "IPV4", []],
        ["catalyst-test-blocked-ipv6", "REGIONAL", "IPV6", []],
      ]);
    });

    it("blocks the listed clients by CF-Connecting-IP with the first rule, referencing both IP sets", () => {
      const rules = run.one(T.acl).inputs.rules as Array<{
        name: string;
        priority: number;
        action: unknown;
        statement: { orStatement?: { statements: Array<{ ipSetReferenceStatement: Record<string, unknown> }> } };
      }>;
      const first = [...rules].sort((a, b) => a.priority - b.priority)[0];
      expect([first.name, first.priority, first.action]).toEqual(["ip-block-list", 0, { block: {} }]);
      const refs = first.statement.orStatement!.statements.map((s) => s.ipSetReferenceStatement);
      expect(refs.map((r) => r.arn)).toEqual([run.one(T.ipSet, "blocked-ipv4").outputs.arn, run.one(T.ipSet, "blocked-ipv6").outputs.arn]);
      for (const r of refs) expect(r.ipSetForwardedIpConfig).toEqual({ headerName: "CF-Connecting-IP", fallbackBehavior: "NO_MATCH", position: "FIRST" });
      expect(new Set(rules.map((r) => r.priority)).size).toBe(rules.length);
    });

    it("puts the configured ranges into the IP set of their family", async () => {
      const listed = await deploy({ wafBlockedIpv4Cidrs: ["203.0.113.7/32", "198.51.100.0/24"], wafBlockedIpv6Cidrs: ["2001:db8::/48"] });
      expect(listed.one(T.ipSet, "blocked-ipv4").inputs.addresses).toEqual(["203.0.113.7/32", "198.51.100.0/24"]);
      expect(listed.one(T.ipSet, "blocked-ipv6").inputs.addresses).toEqual(["2001:db8::/48"]);
    });

    it("logs to a KMS-encrypted aws-waf-logs-* group with cookie, authorization and the query string redacted", () => {
      const group = run.one(T.logGroup);
      expect(group.inputs).toMatchObject({ name: "aws-waf-logs-catalyst-test", retentionInDays: 365, kmsKeyId: run.one(T.key).outputs.arn });
      const logging = run.one(T.aclLogging).inputs;
      expect(logging.resourceArn).toBe(run.one(T.acl).outputs.arn);
      expect(logging.logDestinationConfigs).toEqual([group.outputs.arn]);
      expect(logging.redactedFields).toEqual([{ singleHeader: { name: "cookie" } }, { singleHeader: { name: "authorization" } }, { queryString: {} }]);
    });

    it("lets CloudWatch Logs use the key for this log group only, and rotates it", () => {
      const key = run.one(T.key).inputs;
      expect(key.enableKeyRotation).toBe(true);
      const doc = parseJsonProp<{ Statement: Statement[] }>(key.policy);
      const logs = doc.Statement.find((s) => s.Principal && JSON.stringify(s.Principal).includes("logs.eu-west-1.amazonaws.com"))!;
      expect(logs.Condition).toEqual({
        ArnLike: { "kms:EncryptionContext:aws:logs:arn": ["arn:aws:logs:eu-west-1:123456789012:log-group:aws-waf-logs-catalyst-test"] },
      });
      expect(doc.Statement.filter((s) => s !== logs).map((s) => s.Principal)).toEqual([{ AWS: "arn:aws:iam::123456789012:root" }]);
      expect(run.one("aws:kms/alias:Alias").inputs.name).toBe("alias/aws-waf-logs-catalyst-test");
    });

    it("exposes the web ACL, the rule metric names for alarms and the block-list IP sets", async () => {
      expect(run.component.blockListRuleMetric).toBe("ip-block-list");
      expect(await outputValue(run.component.blockedIpSets.ipv4.id)).toBe(run.one(T.ipSet, "blocked-ipv4").id);
      expect(await outputValue(run.component.blockedIpSets.ipv6.name)).toBe("catalyst-test-blocked-ipv6");
      expect(run.component.authRateRuleMetric).toBe("auth-sign-in-rate");
      expect(run.component.globalRateRuleMetric).toBe("global-rate");
      expect(await outputValue(run.component.webAcl.name)).toBe("catalyst-test");
    });
  });

  describe("Cloudflare", () => {
    it("points the app hostname at the ALB through Cloudflare's proxy", () => {
      const record = run.one(T.dns, "edge-cloudflare-app").inputs;
      expect(record).toMatchObject({ zoneId: ZONE, name: "app.example.com", type: "CNAME", content: run.one(T.lb).outputs.dnsName, proxied: true, ttl: 1 });
    });

    it("sets Referrer-Policy, Permissions-Policy and X-XSS-Protection on the app hostname's responses", () => {
      const ruleset = run.one(T.ruleset, "edge-cloudflare-response-headers").inputs;
      expect(ruleset).toMatchObject({ zoneId: ZONE, kind: "zone", phase: "http_response_headers_transform" });
      expect(ruleset.rules).toEqual([
        {
          action: "rewrite",
          expression: '(http.host eq "app.example.com")',
          enabled: true,
          description: "Catalyst security headers",
          actionParameters: {
            headers: {
              "Referrer-Policy": { operation: "set", value: "strict-origin-when-cross-origin" },
              "Permissions-Policy": { operation: "set", value: "camera=(), microphone=(), geolocation=()" },
              "X-XSS-Protection": { operation: "set", value: "1; mode=block" },
            },
          },
        },
      ]);
    });

    it("makes Cloudflare verify the ALB certificate (Full strict) for the app hostname", () => {
      const ruleset = run.one(T.ruleset, "edge-cloudflare-origin-tls").inputs;
      expect(ruleset).toMatchObject({ zoneId: ZONE, kind: "zone", phase: "http_config_settings" });
      expect(ruleset.rules).toEqual([
        expect.objectContaining({ action: "set_config", expression: '(http.host eq "app.example.com")', actionParameters: { ssl: "strict" } }),
      ]);
    });
  });

  it("protects the stateful resources (log bucket, WAF log group, its key) unless told otherwise", async () => {
    const stateful = [T.bucket, T.logGroup, T.key];
    const protectedTypes = (r: Captured) =>
      r.resources
        .filter((x) => x.protect)
        .map((x) => x.type)
        .sort();
    expect(protectedTypes(run)).toEqual([...stateful].sort());
    expect(protectedTypes(await deploy({ protect: false }))).toEqual([]);
  });
});

describe("Edge with Cloudflare proxying off", () => {
  let run: Run;
  const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(async () => undefined);
  beforeAll(async () => {
    warn.mockClear();
    run = await deploy({ proxied: false, deletionProtection: false, tlsPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06" });
  });
  afterAll(() => warn.mockRestore());

  it("warns explicitly, naming the headers the apps must then send", () => {
    const messages = warn.mock.calls.map((c) => c[0]);
    expect(messages).toContain(unproxiedWarning("app.example.com"));
    for (const header of ["Referrer-Policy", "Permissions-Policy", "X-XSS-Protection"]) expect(unproxiedWarning("app.example.com")).toContain(header);
  });

  it("publishes an unproxied record and no Cloudflare rulesets (they would never run)", () => {
    expect(run.one(T.dns, "edge-cloudflare-app").inputs).toMatchObject({ proxied: false, ttl: 300 });
    expect(run.byType(T.ruleset)).toEqual([]);
  });

  it("keys WAF rate limits and the block list on the connecting address", () => {
    const rules = run.one(T.acl).inputs.rules as Array<{
      name: string;
      statement: { rateBasedStatement?: Record<string, unknown>; orStatement?: { statements: unknown[] } };
    }>;
    const rate = rules.flatMap((r) => (r.statement.rateBasedStatement ? [r.statement.rateBasedStatement] : []));
    expect(rate.map((r) => [r.aggregateKeyType, r.forwardedIpConfig])).toEqual([
      ["IP", undefined],
      ["IP", undefined],
    ]);
    const blockList = rules.find((r) => r.name === "ip-block-list")!.statement.orStatement!.statements;
    expect(blockList).toEqual(run.byType(T.ipSet).map((s) => ({ ipSetReferenceStatement: { arn: s.outputs.arn } })));
  });

  it("honours an explicit allowed TLS policy and disabled deletion protection", () => {
    expect(listener(run, 443).inputs.sslPolicy).toBe("ELBSecurityPolicy-TLS13-1-3-2021-06");
    expect(run.one(T.lb).inputs.enableDeletionProtection).toBe(false);
  });

  it("does not warn when proxied", async () => {
    warn.mockClear();
    await deploy();
    expect(warn.mock.calls.map((c) => c[0])).not.toContain(unproxiedWarning("app.example.com"));
  });
});

describe("Edge at preview", () => {
  it("knows every security-relevant value before anything exists", async () => {
    const run = await deploy({}, true);
    const https = listener(run, 443).inputs;
    expect(https.sslPolicy).toBe("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
    expect(https.routingHttpResponseContentSecurityPolicyHeaderValue).toBe(SECURITY_HEADERS["Content-Security-Policy"]);
    expect(https.certificateArn).toBe(UNKNOWN);
    expect(listener(run, 80).inputs.defaultActions).not.toBe(UNKNOWN);
    // Only the block list's IP set ARNs are unknown before the sets exist (AWS assigns them); every action,
    // limit, key and match is a literal.
    const rules = run.one(T.acl).inputs.rules as Array<{
      name: string;
      statement: { orStatement?: { statements: Array<{ ipSetReferenceStatement: { arn: unknown } }> } };
    }>;
    expect(rules.find((r) => r.name === "ip-block-list")!.statement.orStatement!.statements.map((s) => s.ipSetReferenceStatement.arn)).toEqual([
      UNKNOWN,
      UNKNOWN,
    ]);
    expect(JSON.stringify(rules).split(JSON.stringify(UNKNOWN)).length - 1).toBe(2);
    expect(run.byType(T.ipSet).map((s) => s.inputs.addresses)).toEqual([[], []]);
    expect(run.one(T.lb).inputs.dropInvalidHeaderFields).toBe(true);
    // The account comes from a provider function, answered at preview too: the bucket policy is decidable.
    expect(parseJsonProp<{ Statement: Statement[] }>(run.one(T.bucketPolicy).inputs.policy).Statement).toHaveLength(3);
    expect(run.unknownCalls).toEqual([]);
  });
});

describe("Edge argument checks", () => {
  it.each([
    [{ namePrefix: "catalyst-a-stack-name-that-is-far-too-long" }, /namePrefix .* must be 1-32 lower-case/],
    [{ namePrefix: "catalyst-Prod" }, /namePrefix "catalyst-Prod" must be 1-32 lower-case/],
    [{ wafAuthRateLimit: 5 }, /wafAuthRateLimit 5 is below WAF's minimum rate limit of 10/],
    [{ wafRateLimitPer5Min: 9 }, /wafRateLimitPer5Min 9 is below/],
    [{ wafAuthWindowSeconds: 900 }, /wafAuthWindowSeconds 900 is not a WAF rate window \(60, 120, 300, 600\)/],
    [{ wafBlockedIpv4Cidrs: ["203.0.113.7"] }, /wafBlockedIpv4Cidrs: item 0 "203\.0\.113\.7" must be an IPv4 CIDR block/],
    [{ wafBlockedIpv4Cidrs: ["10.0.0.0/8"] }, /wafBlockedIpv4Cidrs: item 0 "10\.0\.0\.0\/8" overlaps 10\.0\.0\.0\/8/],
    [{ wafBlockedIpv6Cidrs: ["203.0.113.0/24"] }, /wafBlockedIpv6Cidrs: item 0 "203\.0\.113\.0\/24" is an IPv4 range/],
    [{ tlsPolicy: "ELBSecurityPolicy-TLS13-1-0-2021-06" as EdgeArgs["tlsPolicy"] }, /TLS policy ELBSecurityPolicy-TLS13-1-0-2021-06 is not one of the allowed/],
  ])("rejects %j", async (args, message) => {
    await expect(deploy(args)).rejects.toThrow(message);
  });
});
