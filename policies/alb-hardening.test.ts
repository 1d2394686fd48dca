import { albHardening } from "./alb-hardening";
import { runResourcePolicy, UNKNOWN } from "./testing";

const TYPE = "aws:lb/loadBalancer:LoadBalancer";
const alb = (): Record<string, unknown> => ({
  loadBalancerType: "application",
  internal: false,
  securityGroups: ["sg-0123"],
  subnets: ["subnet-a", "subnet-b"],
  dropInvalidHeaderFields: true,
  desyncMitigationMode: "strictest",
  accessLogs: { enabled: true, bucket: "catalyst-alb-logs", prefix: "alb" },
});
const run = (props: Record<string, unknown>, type = TYPE) => runResourcePolicy(albHardening, { type, props });

describe("alb-hardening", () => {
  it("passes a hardened ALB", async () => {
    expect(await run(alb())).toMatchObject({ violations: [], undecidable: false, notApplicable: false });
  });

  it("accepts an unset type (application) and unset desync mode (defensive), and the aws.alb token", async () => {
    const { loadBalancerType: _t, desyncMitigationMode: _d, ...props } = alb();
    expect(await run(props, "aws:alb/loadBalancer:LoadBalancer")).toMatchObject({ violations: [], notApplicable: false });
  });

  it("blocks dropInvalidHeaderFields left at its default (false)", async () => {
    const r = await run({ ...alb(), dropInvalidHeaderFields: undefined });
    expect(r.violations).toEqual(["dropInvalidHeaderFields is not true: malformed headers (request smuggling) reach the apps."]);
    expect(r.findings[0].level).toBe("mandatory");
  });

  it("blocks desyncMitigationMode monitor", async () => {
    expect((await run({ ...alb(), desyncMitigationMode: "monitor" })).violations).toEqual([
      'desyncMitigationMode is "monitor"; it must be defensive or strictest (HTTP desync).',
    ]);
  });

  it("blocks WAF fail-open", async () => {
    expect((await run({ ...alb(), enableWafFailOpen: true })).violations).toEqual([
      "enableWafFailOpen is true: requests bypass the WAF whenever it cannot answer.",
    ]);
  });

  it("blocks missing or disabled access logs", async () => {
    const message = "accessLogs are not enabled with a bucket: requests to the load balancer leave no trail.";
    expect((await run({ ...alb(), accessLogs: undefined })).violations).toEqual([message]);
    expect((await run({ ...alb(), accessLogs: { enabled: false, bucket: "b" } })).violations).toEqual([message]);
    expect((await run({ ...alb(), accessLogs: { enabled: true } })).violations).toEqual([message]);
  });

  it("is not applicable to network load balancers or other types", async () => {
    expect(await run({ ...alb(), loadBalancerType: "network", dropInvalidHeaderFields: undefined })).toMatchObject({ violations: [], notApplicable: true });
    expect(await run(alb(), "aws:lb/listener:Listener")).toMatchObject({ violations: [], notApplicable: true });
  });

  it("decides at preview while the log bucket, subnets and security groups are unknown", async () => {
    const props = { ...alb(), subnets: UNKNOWN, securityGroups: [UNKNOWN], accessLogs: { enabled: true, bucket: UNKNOWN }, dropInvalidHeaderFields: false };
    const r = await runResourcePolicy(albHardening, { type: TYPE, props }, { preview: true });
    expect(r).toMatchObject({ undecidable: false, violations: [expect.stringContaining("dropInvalidHeaderFields")] });
  });

  it("says explicitly when a hardening flag is unknown at preview", async () => {
    const r = await runResourcePolicy(albHardening, { type: TYPE, props: { ...alb(), dropInvalidHeaderFields: UNKNOWN } }, { preview: true });
    expect(r).toMatchObject({ violations: [], undecidable: true });
    expect(r.findings[0].message).toMatch(/dropInvalidHeaderFields is unknown during preview; decided at `pulumi up`/);
  });
});
