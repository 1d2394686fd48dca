import { rdsNotPublic } from "./rds-not-public";
import { runResourcePolicy, UNKNOWN } from "./testing";

const TYPE = "aws:rds/instance:Instance";
const compliant = (): Record<string, unknown> => ({ engine: "mysql", publiclyAccessible: false, storageEncrypted: true });

describe("rds-not-public", () => {
  it("passes a private instance", async () => {
    const r = await runResourcePolicy(rdsNotPublic, { type: TYPE, props: compliant() });
    expect(r).toMatchObject({ violations: [], undecidable: false, notApplicable: false });
  });

  it("passes when publiclyAccessible is omitted (AWS default false)", async () => {
    const { publiclyAccessible: _omit, ...props } = compliant();
    expect((await runResourcePolicy(rdsNotPublic, { type: TYPE, props })).violations).toEqual([]);
  });

  it("blocks publiclyAccessible: true as mandatory", async () => {
    const r = await runResourcePolicy(rdsNotPublic, { type: TYPE, props: { ...compliant(), publiclyAccessible: true } });
    expect(r.violations).toEqual(["publiclyAccessible is true: the database gets a public endpoint."]);
    expect(r.findings[0].level).toBe("mandatory");
  });

  it("is not applicable to other types", async () => {
    const r = await runResourcePolicy(rdsNotPublic, { type: "aws:rds/cluster:Cluster", props: { publiclyAccessible: true } });
    expect(r).toMatchObject({ violations: [], notApplicable: true });
  });

  it("decides at preview when the security value is a literal, even if other inputs are unknown", async () => {
    const r = await runResourcePolicy(
      rdsNotPublic,
      { type: TYPE, props: { ...compliant(), dbSubnetGroupName: UNKNOWN, publiclyAccessible: true } },
      { preview: true },
    );
    expect(r.violations).toHaveLength(1);
    expect(r.undecidable).toBe(false);
  });

  it("says explicitly it decides at up when publiclyAccessible is unknown at preview", async () => {
    const r = await runResourcePolicy(rdsNotPublic, { type: TYPE, props: { ...compliant(), publiclyAccessible: UNKNOWN } }, { preview: true });
    expect(r.violations).toEqual([]);
    expect(r.undecidable).toBe(true);
    expect(r.findings[0].level).toBe("advisory");
    expect(r.findings[0].message).toMatch(/publiclyAccessible is unknown during preview; decided at `pulumi up`/);
  });

  it("rejects UNKNOWN outside preview", async () => {
    await expect(runResourcePolicy(rdsNotPublic, { type: TYPE, props: { publiclyAccessible: UNKNOWN } })).rejects.toThrow(/preview: true/);
  });
});
