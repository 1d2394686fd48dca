import { securityGroupDescriptions } from "./security-group-descriptions";
import { runResourcePolicy, UNKNOWN } from "./testing";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const group = (): Record<string, unknown> => ({
  description: "Catalyst load balancer: HTTPS and the HTTP redirect from the internet",
  ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "HTTPS from the internet" }],
  egress: [{ protocol: "tcp", fromPort: 3000, toPort: 3001, cidrBlocks: ["10.0.0.0/16"], description: "to the app tasks" }],
});
const run = (type: string, props: Record<string, unknown>) => runResourcePolicy(securityGroupDescriptions, { type, props });

describe("security-group-descriptions", () => {
  it("passes a described group and described rules of every standalone type", async () => {
    expect(await run(SG, group())).toMatchObject({ violations: [], undecidable: false, notApplicable: false });
    for (const type of [
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
      "aws:ec2/securityGroupRule:SecurityGroupRule",
    ]) {
      expect((await run(type, { description: "app port from the load balancer" })).violations).toEqual([]);
    }
  });

  it("warns (advisory) about the provider's placeholder group description", async () => {
    const r = await run(SG, { ...group(), description: "Managed by Pulumi" });
    expect(r.violations).toEqual(["Missing description: the security group."]);
    expect(r.findings[0].level).toBe("advisory");
  });

  it("warns about undescribed inline blocks, all at once", async () => {
    const props = { ...group(), ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443 }], egress: [{ protocol: "-1", description: " " }] };
    expect((await run(SG, props)).violations).toEqual(["Missing description: ingress[0], egress[0]."]);
  });

  it("warns about an undescribed standalone rule", async () => {
    expect((await run("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", { ipProtocol: "tcp" })).violations).toEqual([
      "Missing description: the rule.",
    ]);
  });

  it("is not applicable to other types", async () => {
    expect(await run("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", {})).toMatchObject({ violations: [], notApplicable: true });
  });

  it("decides at preview on literal descriptions while the VPC is unknown", async () => {
    const r = await runResourcePolicy(securityGroupDescriptions, { type: SG, props: { ...group(), vpcId: UNKNOWN, description: "" } }, { preview: true });
    expect(r).toMatchObject({ undecidable: false, violations: ["Missing description: the security group."] });
  });

  it("says explicitly that a computed description is decided at pulumi up", async () => {
    const r = await runResourcePolicy(securityGroupDescriptions, { type: SG, props: { ...group(), description: UNKNOWN } }, { preview: true });
    expect(r).toMatchObject({ violations: [], undecidable: true });
    expect(r.findings[0].message).toMatch(/description is unknown during preview; decided at `pulumi up`/);
  });
});
