import { albHttpRedirectsToHttps } from "./alb-http-redirects-to-https";
import { runResourcePolicy, UNKNOWN } from "./testing";

const TYPE = "aws:lb/listener:Listener";
const redirect = (over: Record<string, unknown> = {}) => ({ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301", ...over } });
const httpListener = (): Record<string, unknown> => ({
  loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/catalyst/1",
  port: 80,
  protocol: "HTTP",
  defaultActions: [redirect()],
});
const run = (props: Record<string, unknown>, type = TYPE) => runResourcePolicy(albHttpRedirectsToHttps, { type, props });

describe("alb-http-redirects-to-https", () => {
  it("passes an HTTP listener whose only action is a 301 to HTTPS:443 (the listener is not 'unencrypted traffic')", async () => {
    expect(await run(httpListener())).toMatchObject({ violations: [], undecidable: false, notApplicable: false });
  });

  it("treats an unset protocol as HTTP (the ALB default) and covers the aws.alb token", async () => {
    const { protocol: _omit, ...props } = httpListener();
    expect((await run(props, "aws:alb/listener:Listener")).notApplicable).toBe(false);
    expect((await run({ ...props, defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] })).violations).toHaveLength(1);
  });

  it("blocks a forward action", async () => {
    const r = await run({ ...httpListener(), defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] });
    expect(r.violations).toEqual(['defaultActions[0] is a "forward" action: HTTP traffic must only be redirected to HTTPS, never served.']);
    expect(r.findings[0].level).toBe("mandatory");
  });

  it("blocks a fixed-response action", async () => {
    const r = await run({ ...httpListener(), defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "200" } }] });
    expect(r.violations).toEqual(['defaultActions[0] is a "fixed-response" action: HTTP traffic must only be redirected to HTTPS, never served.']);
  });

  it("blocks a temporary (302) redirect", async () => {
    expect((await run({ ...httpListener(), defaultActions: [redirect({ statusCode: "HTTP_302" })] })).violations).toEqual([
      'defaultActions[0].redirect.statusCode is "HTTP_302"; it must be "HTTP_301".',
    ]);
  });

  it("blocks a redirect that stays on HTTP", async () => {
    expect((await run({ ...httpListener(), defaultActions: [redirect({ protocol: "HTTP" })] })).violations).toEqual([
      'defaultActions[0].redirect.protocol is "HTTP"; it must be "HTTPS".',
    ]);
  });

  it("blocks #{port} / an unset port, which would send browsers to https://host:80", async () => {
    expect((await run({ ...httpListener(), defaultActions: [redirect({ port: "#{port}" })] })).violations).toEqual([
      'defaultActions[0].redirect.port is "#{port}"; it must be "443".',
    ]);
    expect((await run({ ...httpListener(), defaultActions: [redirect({ port: undefined })] })).violations).toEqual([
      'defaultActions[0].redirect.port is unset; it must be "443".',
    ]);
  });

  it("blocks a redirect followed by a second, serving action", async () => {
    const r = await run({ ...httpListener(), defaultActions: [redirect(), { type: "forward", targetGroupArn: "arn:tg" }] });
    expect(r.violations).toEqual(['defaultActions[1] is a "forward" action: HTTP traffic must only be redirected to HTTPS, never served.']);
  });

  it("blocks a listener without actions", async () => {
    expect((await run({ ...httpListener(), defaultActions: [] })).violations).toEqual(["defaultActions is empty: an HTTP listener must redirect to HTTPS."]);
  });

  it("is not applicable to HTTPS listeners or other types", async () => {
    const https = { ...httpListener(), protocol: "HTTPS", defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] };
    expect(await run(https)).toMatchObject({ violations: [], notApplicable: true });
    expect(await run(httpListener(), "aws:lb/listenerRule:ListenerRule")).toMatchObject({ violations: [], notApplicable: true });
  });

  it("decides at preview on literal actions while the load balancer ARN is unknown", async () => {
    const props = { ...httpListener(), loadBalancerArn: UNKNOWN, defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] };
    const r = await runResourcePolicy(albHttpRedirectsToHttps, { type: TYPE, props }, { preview: true });
    expect(r).toMatchObject({ undecidable: false, violations: [expect.stringContaining('"forward" action')] });
  });

  it("says explicitly when an action is unknown at preview, and still reports what it can decide", async () => {
    const props = { ...httpListener(), defaultActions: [{ type: "forward" }, redirect({ port: UNKNOWN })] };
    const r = await runResourcePolicy(albHttpRedirectsToHttps, { type: TYPE, props }, { preview: true });
    expect(r.violations).toHaveLength(1);
    expect(r.undecidable).toBe(true);
    expect(r.findings.map((f) => f.message)).toContainEqual(
      expect.stringMatching(/defaultActions\[1\]\.redirect\.port is unknown during preview; decided at `pulumi up`/),
    );
  });
});
