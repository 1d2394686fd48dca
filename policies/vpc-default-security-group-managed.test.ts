import { runStackPolicy, TestResource, testUrn, UNKNOWN } from "./testing";
import { vpcDefaultSecurityGroupManaged as policy } from "./vpc-default-security-group-managed";

const VPC = "aws:ec2/vpc:Vpc";
const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const vpc = (name: string, id: unknown): TestResource => ({ type: VPC, name, props: { id, cidrBlock: "10.0.0.0/16" } });
const defaultGroup = (name: string, vpcId: unknown, vpcName?: string): TestResource => ({
  type: DEFAULT_SG,
  name,
  props: { vpcId },
  ...(vpcName ? { propertyDependencies: { vpcId: [testUrn(VPC, vpcName)] } } : {}),
});

describe("vpc-default-security-group-managed", () => {
  it("passes a VPC whose default group is managed (matched by id at pulumi up)", async () => {
    expect(await runStackPolicy(policy, [vpc("main", "vpc-1"), defaultGroup("main-default", "vpc-1")])).toMatchObject({ violations: [], undecidable: false });
  });

  it("warns (advisory) about a VPC without a managed default group", async () => {
    const r = await runStackPolicy(policy, [vpc("main", "vpc-1"), vpc("other", "vpc-2"), defaultGroup("main-default", "vpc-1")]);
    expect(r.violations).toEqual(["VPC other does not manage its default security group: AWS's default rules stay in place."]);
    expect(r.findings[0]).toMatchObject({ level: "advisory", urn: testUrn(VPC, "other") });
  });

  it("passes a stack without VPCs", async () => {
    expect((await runStackPolicy(policy, [{ type: "aws:s3/bucket:Bucket", name: "b", props: {} }])).violations).toEqual([]);
  });

  it("decides at preview through the default group's dependency on the VPC", async () => {
    const r = await runStackPolicy(policy, [vpc("main", UNKNOWN), vpc("other", UNKNOWN), defaultGroup("main-default", UNKNOWN, "main")], { preview: true });
    expect(r).toMatchObject({ undecidable: false, violations: [expect.stringMatching(/^VPC other/)] });
  });

  it("says explicitly when a default group's VPC cannot be resolved at preview", async () => {
    const r = await runStackPolicy(policy, [vpc("main", UNKNOWN), defaultGroup("main-default", UNKNOWN)], { preview: true });
    expect(r).toMatchObject({ violations: [], undecidable: true });
    expect(r.findings[0].message).toMatch(/main-default\.vpcId is unknown during preview; decided at `pulumi up`/);
  });
});
