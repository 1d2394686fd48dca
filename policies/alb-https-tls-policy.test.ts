import { ALLOWED_TLS_POLICIES as STACK_TLS_POLICIES } from "../stacks/validators";
import { albHttpsTlsPolicy, ALLOWED_TLS_POLICIES } from "./alb-https-tls-policy";
import { runResourcePolicy, UNKNOWN } from "./testing";

const TYPE = "aws:lb/listener:Listener";
const httpsListener = (): Record<string, unknown> => ({
  loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/catalyst/1",
  port: 443,
  protocol: "HTTPS",
  certificateArn: "arn:aws:acm:eu-west-1:111122223333:certificate/abc",
  sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }],
});
const run = (props: Record<string, unknown>, type = TYPE) => runResourcePolicy(albHttpsTlsPolicy, { type, props });

describe("alb-https-tls-policy", () => {
  it("passes an HTTPS listener on AWS's recommended TLS 1.2+ PQ policy", async () => {
    expect(await run(httpsListener())).toMatchObject({ violations: [], undecidable: false, notApplicable: false });
  });

  it.each(ALLOWED_TLS_POLICIES)("passes every allow-listed policy: %s", async (sslPolicy) => {
    expect((await run({ ...httpsListener(), sslPolicy })).violations).toEqual([]);
  });

  it("covers the aws.alb alias token and TLS (NLB) listeners", async () => {
    expect((await run({ ...httpsListener(), sslPolicy: "ELBSecurityPolicy-2016-08" }, "aws:alb/listener:Listener")).violations).toHaveLength(1);
    expect((await run({ ...httpsListener(), protocol: "TLS", sslPolicy: "ELBSecurityPolicy-2016-08" })).violations).toHaveLength(1);
  });

  it.each(["ELBSecurityPolicy-TLS13-1-0-2021-06", "ELBSecurityPolicy-TLS13-1-1-2021-06", "ELBSecurityPolicy-TLS13-1-0-PQ-2025-09"])(
    "blocks %s although it shares the TLS13 prefix (TLS 1.0/1.1 still accepted)",
    async (sslPolicy) => {
      const r = await run({ ...httpsListener(), sslPolicy });
      expect(r.violations).toEqual([`sslPolicy "${sslPolicy}" is not in the TLS 1.2+ allow-list (names are matched exactly).`]);
      expect(r.findings[0].level).toBe("mandatory");
    },
  );

  it("blocks a near-miss name (case or suffix) because names are matched exactly", async () => {
    expect((await run({ ...httpsListener(), sslPolicy: "elbsecuritypolicy-tls13-1-2-res-pq-2025-09" })).violations).toHaveLength(1);
    expect((await run({ ...httpsListener(), sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06-x" })).violations).toHaveLength(1);
  });

  it("blocks an unset sslPolicy (AWS falls back to ELBSecurityPolicy-2016-08)", async () => {
    const { sslPolicy: _omit, ...props } = httpsListener();
    expect((await run(props)).violations).toEqual(["sslPolicy is not set: AWS then applies ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and 1.1."]);
  });

  it("is not applicable to HTTP listeners or other resource types", async () => {
    expect(await run({ ...httpsListener(), protocol: "HTTP", sslPolicy: undefined })).toMatchObject({ violations: [], notApplicable: true });
    expect(await run(httpsListener(), "aws:lb/targetGroup:TargetGroup")).toMatchObject({ violations: [], notApplicable: true });
  });

  it("decides at preview on the literal policy even when the certificate and load balancer are unknown", async () => {
    const props = { ...httpsListener(), certificateArn: UNKNOWN, loadBalancerArn: UNKNOWN, sslPolicy: "ELBSecurityPolicy-TLS13-1-0-2021-06" };
    const r = await runResourcePolicy(albHttpsTlsPolicy, { type: TYPE, props }, { preview: true });
    expect(r).toMatchObject({ undecidable: false, violations: [expect.stringContaining("TLS13-1-0-2021-06")] });
  });

  it("says explicitly that an unknown sslPolicy is decided at pulumi up", async () => {
    const r = await runResourcePolicy(albHttpsTlsPolicy, { type: TYPE, props: { ...httpsListener(), sslPolicy: UNKNOWN } }, { preview: true });
    expect(r.violations).toEqual([]);
    expect(r.undecidable).toBe(true);
    expect(r.findings[0].message).toMatch(/sslPolicy is unknown during preview; decided at `pulumi up`/);
  });

  it("keeps its allow-list equal to the stack's (stacks/validators.ts)", () => {
    expect([...ALLOWED_TLS_POLICIES].sort()).toEqual([...STACK_TLS_POLICIES].sort());
    expect(ALLOWED_TLS_POLICIES).toHaveLength(12);
  });
});
