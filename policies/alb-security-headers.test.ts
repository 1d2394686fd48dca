import { albResponseHeaderAttributes } from "../infra/edge/headers";
import { albSecurityHeaders, hstsProblems } from "./alb-security-headers";
import { runResourcePolicy, UNKNOWN } from "./testing";

const TYPE = "aws:lb/listener:Listener";
const HSTS = "routingHttpResponseStrictTransportSecurityHeaderValue";
const XFO = "routingHttpResponseXFrameOptionsHeaderValue";
const XCTO = "routingHttpResponseXContentTypeOptionsHeaderValue";
const SERVER = "routingHttpResponseServerEnabled";

const httpsListener = (): Record<string, unknown> => ({
  loadBalancerArn: "arn:lb",
  port: 443,
  protocol: "HTTPS",
  sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }],
  [HSTS]: "max-age=31536000; includeSubDomains; preload",
  [XFO]: "SAMEORIGIN",
  [XCTO]: "nosniff",
  [SERVER]: false,
});
const run = (props: Record<string, unknown>, type = TYPE) => runResourcePolicy(albSecurityHeaders, { type, props });
const without = (key: string) => {
  const props = httpsListener();
  delete props[key];
  return props;
};

describe("alb-security-headers", () => {
  it("passes the seed's headers", async () => {
    expect(await run(httpsListener())).toMatchObject({ violations: [], undecidable: false, notApplicable: false });
  });

  it("passes the stack's own listener header attributes (infra/edge/headers)", async () => {
    expect((await run({ protocol: "HTTPS", defaultActions: [], ...albResponseHeaderAttributes() })).violations).toEqual([]);
  });

  it("accepts DENY, a longer max-age and any directive order/case", async () => {
    const props = { ...httpsListener(), [XFO]: "DENY", [HSTS]: "preload;includesubdomains; max-age=63072000" };
    expect((await run(props)).violations).toEqual([]);
  });

  it.each([
    [HSTS, "routingHttpResponseStrictTransportSecurityHeaderValue is unset: browsers are not told to insist on HTTPS (HSTS)."],
    [XFO, "routingHttpResponseXFrameOptionsHeaderValue is unset; it must be SAMEORIGIN or DENY (clickjacking)."],
    [XCTO, "routingHttpResponseXContentTypeOptionsHeaderValue is unset; it must be nosniff (MIME sniffing)."],
    [SERVER, "routingHttpResponseServerEnabled is unset (true); set it to false so responses do not advertise the server."],
  ])("blocks a listener without %s", async (key, message) => {
    const r = await run(without(key));
    expect(r.violations).toEqual([message]);
    expect(r.findings[0].level).toBe("mandatory");
  });

  it("blocks a short HSTS max-age", async () => {
    expect((await run({ ...httpsListener(), [HSTS]: "max-age=86400; includeSubDomains; preload" })).violations).toEqual([
      `${HSTS} "max-age=86400; includeSubDomains; preload" max-age=86400 is below 31536000 (one year).`,
    ]);
  });

  it("blocks HSTS without includeSubDomains or preload", async () => {
    expect((await run({ ...httpsListener(), [HSTS]: "max-age=31536000" })).violations).toEqual([
      `${HSTS} "max-age=31536000" lacks includeSubDomains, lacks preload.`,
    ]);
  });

  it("blocks X-Frame-Options ALLOW-FROM", async () => {
    expect((await run({ ...httpsListener(), [XFO]: "ALLOW-FROM https://example.com" })).violations).toEqual([
      `${XFO} is "ALLOW-FROM https://example.com"; it must be SAMEORIGIN or DENY (clickjacking).`,
    ]);
  });

  it("blocks an enabled Server header", async () => {
    expect((await run({ ...httpsListener(), [SERVER]: true })).violations).toEqual([
      `${SERVER} is true; set it to false so responses do not advertise the server.`,
    ]);
  });

  it("reports every missing header at once", async () => {
    const props = { loadBalancerArn: "arn:lb", protocol: "HTTPS", defaultActions: [] };
    expect((await run(props)).violations).toHaveLength(4);
  });

  it("is not applicable to HTTP listeners (they only redirect) or other types", async () => {
    expect(await run({ protocol: "HTTP", defaultActions: [] })).toMatchObject({ violations: [], notApplicable: true });
    expect(await run(httpsListener(), "aws:lb/loadBalancer:LoadBalancer")).toMatchObject({ violations: [], notApplicable: true });
  });

  it("decides at preview on literal header values while the certificate and load balancer are unknown", async () => {
    const props = { ...httpsListener(), loadBalancerArn: UNKNOWN, certificateArn: UNKNOWN, [XCTO]: "sniff" };
    const r = await runResourcePolicy(albSecurityHeaders, { type: TYPE, props }, { preview: true });
    expect(r).toMatchObject({ undecidable: false, violations: [expect.stringContaining("nosniff")] });
  });

  it("says explicitly that a computed header value is decided at pulumi up", async () => {
    const r = await runResourcePolicy(albSecurityHeaders, { type: TYPE, props: { ...httpsListener(), [HSTS]: UNKNOWN } }, { preview: true });
    expect(r.violations).toEqual([]);
    expect(r.undecidable).toBe(true);
    expect(r.findings[0].message).toMatch(/routingHttpResponseStrictTransportSecurityHeaderValue is unknown during preview; decided at `pulumi up`/);
  });
});

describe("hstsProblems", () => {
  it("requires a numeric max-age", () => {
    expect(hstsProblems("max-age=abc; includeSubDomains; preload")).toEqual(["has no max-age"]);
  });
});
