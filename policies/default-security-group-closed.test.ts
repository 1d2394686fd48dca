import { defaultSecurityGroupClosed } from "./default-security-group-closed";
import { runResourcePolicy, UNKNOWN } from "./testing";

const TYPE = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const closed = (): Record<string, unknown> => ({ vpcId: "vpc-1", tags: { Name: "default (closed)" } });
const run = (props: Record<string, unknown>, type = TYPE) => runResourcePolicy(defaultSecurityGroupClosed, { type, props });

describe("default-security-group-closed", () => {
  it("passes a managed default group without rules (also with empty lists)", async () => {
    expect(await run(closed())).toMatchObject({ violations: [], undecidable: false, notApplicable: false });
    expect((await run({ ...closed(), ingress: [], egress: [] })).violations).toEqual([]);
  });

  it("blocks AWS's default self-referencing ingress rule", async () => {
    const r = await run({ ...closed(), ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }] });
    expect(r.violations).toEqual(["The default security group keeps 1 ingress rule(s); it must have none."]);
    expect(r.findings[0].level).toBe("mandatory");
  });

  it("blocks the default allow-all egress rule", async () => {
    expect((await run({ ...closed(), egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] })).violations).toEqual([
      "The default security group keeps 1 egress rule(s); it must have none.",
    ]);
  });

  it("is not applicable to ordinary security groups", async () => {
    expect(await run({ ingress: [{ protocol: "-1" }] }, "aws:ec2/securityGroup:SecurityGroup")).toMatchObject({ violations: [], notApplicable: true });
  });

  it("decides at preview while the VPC id is unknown", async () => {
    const r = await runResourcePolicy(
      defaultSecurityGroupClosed,
      { type: TYPE, props: { ...closed(), vpcId: UNKNOWN, ingress: [{ protocol: "-1", self: true }] } },
      { preview: true },
    );
    expect(r).toMatchObject({ undecidable: false, violations: ["The default security group keeps 1 ingress rule(s); it must have none."] });
  });

  it("says explicitly that computed rule lists are decided at pulumi up", async () => {
    const r = await runResourcePolicy(defaultSecurityGroupClosed, { type: TYPE, props: { ...closed(), egress: UNKNOWN } }, { preview: true });
    expect(r).toMatchObject({ violations: [], undecidable: true });
    expect(r.findings[0].message).toMatch(/egress is unknown during preview; decided at `pulumi up`/);
  });
});
