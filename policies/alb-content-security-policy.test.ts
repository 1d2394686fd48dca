import { albResponseHeaderAttributes } from "../infra/edge/headers";
import { albContentSecurityPolicy, cspProblems } from "./alb-content-security-policy";
import { runResourcePolicy, UNKNOWN } from "./testing";

const TYPE = "aws:lb/listener:Listener";
const CSP = "routingHttpResponseContentSecurityPolicyHeaderValue";
const PRODUCTION =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

const httpsListener = (csp: unknown = PRODUCTION): Record<string, unknown> => ({
  loadBalancerArn: "arn:lb",
  port: 443,
  protocol: "HTTPS",
  defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }],
  [CSP]: csp,
});
const withoutCsp = (): Record<string, unknown> => {
  const props = httpsListener();
  delete props[CSP];
  return props;
};
const run = (props: Record<string, unknown>, type = TYPE) => runResourcePolicy(albContentSecurityPolicy, { type, props });

describe("alb-content-security-policy", () => {
  it("passes the requirements' production CSP", async () => {
    expect(await run(httpsListener())).toMatchObject({ violations: [], undecidable: false, notApplicable: false });
  });

  it("passes the stack's own CSP (infra/edge/headers)", async () => {
    expect((await run({ protocol: "HTTPS", defaultActions: [], ...albResponseHeaderAttributes() })).violations).toEqual([]);
  });

  it("passes a default-src-only policy (script-src falls back to it)", async () => {
    expect((await run(httpsListener("default-src 'self'; frame-ancestors 'self'"))).violations).toEqual([]);
  });

  it("blocks the development CSP ('unsafe-eval' 'unsafe-inline' in script-src)", async () => {
    const dev = PRODUCTION.replace("script-src 'self'", "script-src 'self' 'unsafe-eval' 'unsafe-inline'");
    const r = await run(httpsListener(dev));
    expect(r.violations).toEqual(["Content-Security-Policy script-src allows 'unsafe-eval' 'unsafe-inline'."]);
    expect(r.findings[0].level).toBe("mandatory");
  });

  it("blocks 'unsafe-inline' reached through the default-src fallback", async () => {
    expect((await run(httpsListener("default-src 'self' 'unsafe-inline'; frame-ancestors 'none'"))).violations).toEqual([
      "Content-Security-Policy default-src allows 'unsafe-inline'.",
    ]);
  });

  it("blocks 'unsafe-inline' in script-src-elem, which overrides a strict script-src", async () => {
    expect((await run(httpsListener(`${PRODUCTION}; script-src-elem 'self' 'UNSAFE-INLINE'`))).violations).toEqual([
      "Content-Security-Policy script-src-elem allows 'UNSAFE-INLINE'.",
    ]);
  });

  it("blocks wildcard script sources", async () => {
    expect((await run(httpsListener(PRODUCTION.replace("script-src 'self'", "script-src 'self' https:")))).violations).toEqual([
      "Content-Security-Policy script-src allows https:.",
    ]);
  });

  it("blocks a policy without script-src or default-src", async () => {
    expect((await run(httpsListener("img-src 'self'; frame-ancestors 'none'"))).violations).toEqual([
      "Content-Security-Policy has neither script-src nor default-src, so scripts may load from anywhere.",
    ]);
  });

  it("blocks a missing or wildcard frame-ancestors", async () => {
    expect((await run(httpsListener("default-src 'self'"))).violations).toEqual(["Content-Security-Policy has no frame-ancestors (use 'none' or 'self')."]);
    expect((await run(httpsListener("default-src 'self'; frame-ancestors *"))).violations).toEqual(["Content-Security-Policy frame-ancestors allows *."]);
  });

  it("blocks a listener without CSP", async () => {
    expect((await run(withoutCsp())).violations).toEqual([`${CSP} is unset: responses carry no Content-Security-Policy.`]);
  });

  it("is not applicable to HTTP listeners or other types", async () => {
    expect(await run({ ...withoutCsp(), protocol: "HTTP" })).toMatchObject({ violations: [], notApplicable: true });
    expect(await run(httpsListener(), "aws:lb/listenerRule:ListenerRule")).toMatchObject({ violations: [], notApplicable: true });
  });

  it("decides at preview on a literal CSP while other inputs are unknown", async () => {
    const props = { ...httpsListener("default-src *; frame-ancestors 'none'"), loadBalancerArn: UNKNOWN, certificateArn: UNKNOWN };
    const r = await runResourcePolicy(albContentSecurityPolicy, { type: TYPE, props }, { preview: true });
    expect(r).toMatchObject({ undecidable: false, violations: ["Content-Security-Policy default-src allows *."] });
  });

  it("says explicitly that a computed CSP is decided at pulumi up", async () => {
    const r = await runResourcePolicy(albContentSecurityPolicy, { type: TYPE, props: httpsListener(UNKNOWN) }, { preview: true });
    expect(r).toMatchObject({ violations: [], undecidable: true });
    expect(r.findings[0].message).toMatch(/ContentSecurityPolicyHeaderValue is unknown during preview; decided at `pulumi up`/);
  });
});

describe("cspProblems", () => {
  it("uses the first of repeated directives, as browsers do", () => {
    expect(cspProblems("script-src 'self'; script-src 'unsafe-inline'; frame-ancestors 'none'")).toEqual([]);
  });
});
