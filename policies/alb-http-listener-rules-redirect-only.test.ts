import { albHttpListenerRulesRedirectOnly } from "./alb-http-listener-rules-redirect-only";
import { runStackPolicy, TestResource, testUrn, UNKNOWN } from "./testing";

const LISTENER = "aws:lb/listener:Listener";
const RULE = "aws:lb/listenerRule:ListenerRule";
const HTTP_ARN = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/catalyst/1/http";
const HTTPS_ARN = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/catalyst/1/https";
const redirect = { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } };
const forward = { type: "forward", targetGroupArn: "arn:tg" };

const listeners = (): TestResource[] => [
  { type: LISTENER, name: "http", props: { protocol: "HTTP", port: 80, arn: HTTP_ARN, defaultActions: [redirect] } },
  { type: LISTENER, name: "https", props: { protocol: "HTTPS", port: 443, arn: HTTPS_ARN, defaultActions: [forward] } },
];
const rule = (name: string, listenerArn: string, actions: unknown[]): TestResource => ({ type: RULE, name, props: { listenerArn, priority: 10, actions } });

describe("alb-http-listener-rules-redirect-only", () => {
  it("passes forwarding rules on the HTTPS listener and redirect rules on the HTTP listener", async () => {
    const r = await runStackPolicy(albHttpListenerRulesRedirectOnly, [
      ...listeners(),
      rule("agent", HTTPS_ARN, [forward]),
      rule("legacy", HTTP_ARN, [redirect]),
    ]);
    expect(r).toMatchObject({ violations: [], undecidable: false });
  });

  it("blocks a forwarding rule on the HTTP listener, matched by ARN at pulumi up", async () => {
    const r = await runStackPolicy(albHttpListenerRulesRedirectOnly, [...listeners(), rule("agent", HTTP_ARN, [forward])]);
    expect(r.violations).toEqual([
      'Listener rule agent on HTTP listener http: actions[0] is a "forward" action: HTTP traffic must only be redirected to HTTPS, never served.',
    ]);
    expect(r.findings[0]).toMatchObject({ level: "mandatory", urn: testUrn(RULE, "agent") });
  });

  it("blocks a rule on an external listener whose protocol it cannot see", async () => {
    const r = await runStackPolicy(albHttpListenerRulesRedirectOnly, [...listeners(), rule("stray", "arn:other-listener", [forward])]);
    expect(r.violations).toEqual(["Listener rule stray: its listener is not managed in this stack, so its protocol cannot be checked."]);
  });

  it("passes a stack without listener rules", async () => {
    expect(await runStackPolicy(albHttpListenerRulesRedirectOnly, listeners())).toMatchObject({ violations: [], undecidable: false });
  });

  it("decides at preview through the rule's property dependency on the listener (ARNs unknown)", async () => {
    const preview = listeners().map((l) => ({ ...l, props: { ...l.props, arn: UNKNOWN } }));
    const r = await runStackPolicy(
      albHttpListenerRulesRedirectOnly,
      [
        ...preview,
        { ...rule("agent", UNKNOWN, [forward]), propertyDependencies: { listenerArn: [testUrn(LISTENER, "http")] } },
        { ...rule("ok", UNKNOWN, [forward]), propertyDependencies: { listenerArn: [testUrn(LISTENER, "https")] } },
      ],
      { preview: true },
    );
    expect(r.undecidable).toBe(false);
    expect(r.violations).toEqual([expect.stringMatching(/^Listener rule agent on HTTP listener http: actions\[0\] is a "forward" action/)]);
  });

  it("says explicitly when the listener cannot be resolved at preview", async () => {
    const r = await runStackPolicy(albHttpListenerRulesRedirectOnly, [...listeners(), rule("orphan", UNKNOWN, [forward])], { preview: true });
    expect(r.violations).toEqual([]);
    expect(r.undecidable).toBe(true);
    expect(r.findings[0].message).toMatch(/orphan\.listenerArn is unknown during preview; decided at `pulumi up`/);
  });
});
