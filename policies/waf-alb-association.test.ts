import { runStackPolicy, TestResource, testUrn, UNKNOWN } from "./testing";
import { wafAlbAssociation as policy } from "./waf-alb-association";

const LB = "aws:lb/loadBalancer:LoadBalancer";
const ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation";
const LB_ARN = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/catalyst/1";

const alb = (over: Record<string, unknown> = {}, name = "alb"): TestResource => ({
  type: LB,
  name,
  props: { loadBalancerType: "application", internal: false, arn: LB_ARN, ...over },
});
const association = (resourceArn: unknown, lbName?: string): TestResource => ({
  type: ASSOCIATION,
  name: "alb-waf",
  props: { resourceArn, webAclArn: "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/catalyst/1" },
  ...(lbName ? { propertyDependencies: { resourceArn: [testUrn(LB, lbName)] } } : {}),
});

describe("waf-alb-association", () => {
  it("passes an internet-facing ALB with a web ACL association (matched by ARN at pulumi up)", async () => {
    expect(await runStackPolicy(policy, [alb(), association(LB_ARN)])).toMatchObject({ violations: [], undecidable: false });
  });

  it("blocks an internet-facing ALB without association (internal unset means internet-facing)", async () => {
    const r = await runStackPolicy(policy, [alb({ internal: undefined }), association("arn:other")]);
    expect(r.violations).toEqual(["Internet-facing load balancer alb has no WAF web ACL association."]);
    expect(r.findings[0]).toMatchObject({ level: "mandatory", urn: testUrn(LB, "alb") });
  });

  it("does not require WAF on internal ALBs or network load balancers", async () => {
    expect((await runStackPolicy(policy, [alb({ internal: true }), alb({ loadBalancerType: "network" }, "nlb")])).violations).toEqual([]);
  });

  it("decides at preview through the association's dependency on the load balancer", async () => {
    const stack = [alb({ arn: UNKNOWN }), alb({ arn: UNKNOWN }, "second"), association(UNKNOWN, "alb")];
    const r = await runStackPolicy(policy, stack, { preview: true });
    expect(r).toMatchObject({ undecidable: false, violations: ["Internet-facing load balancer second has no WAF web ACL association."] });
  });

  it("says explicitly when internal is unknown at preview", async () => {
    const r = await runStackPolicy(policy, [alb({ internal: UNKNOWN })], { preview: true });
    expect(r).toMatchObject({ violations: [], undecidable: true });
    expect(r.findings[0].message).toMatch(/alb loadBalancerType\/internal is unknown during preview; decided at `pulumi up`/);
  });
});
