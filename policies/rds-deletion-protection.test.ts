import { rdsDeletionProtection } from "./rds-deletion-protection";
import { runResourcePolicy, UNKNOWN } from "./testing";

const TYPE = "aws:rds/instance:Instance";
const db = (over: Record<string, unknown> = {}) => ({
  type: TYPE,
  props: { engine: "mysql", deletionProtection: true, skipFinalSnapshot: false, finalSnapshotIdentifier: "catalyst-final", ...over },
});

describe("rds-deletion-protection", () => {
  it("passes a protected instance that keeps a final snapshot", async () => {
    expect(await runResourcePolicy(rdsDeletionProtection, db())).toMatchObject({ violations: [], undecidable: false });
  });

  it.each([
    [{ deletionProtection: false }, "deletionProtection is false: the database can be deleted by one API call."],
    [{ deletionProtection: undefined }, "deletionProtection is not set (AWS default: false): the database can be deleted by one API call."],
    [{ skipFinalSnapshot: true }, "skipFinalSnapshot is true: deleting the instance destroys its data without a final snapshot."],
  ])("blocks %j", async (change, message) => {
    expect((await runResourcePolicy(rdsDeletionProtection, db(change))).violations).toEqual([message]);
  });

  it("can be made advisory for a non-production stack through policy config", async () => {
    const r = await runResourcePolicy(rdsDeletionProtection, db({ deletionProtection: false }), { config: { enforcementLevel: "advisory" } });
    expect(r.findings.map((f) => f.level)).toEqual(["advisory"]);
  });

  it("is not applicable to other resource types", async () => {
    expect((await runResourcePolicy(rdsDeletionProtection, { type: "aws:kms/key:Key", props: {} })).notApplicable).toBe(true);
  });

  it("reports decided problems at preview and names the unknown one explicitly", async () => {
    const r = await runResourcePolicy(rdsDeletionProtection, db({ skipFinalSnapshot: true, deletionProtection: UNKNOWN }), { preview: true });
    expect(r.violations).toEqual([expect.stringContaining("skipFinalSnapshot is true")]);
    expect(r.undecidable).toBe(true);
    expect(r.findings.find((f) => f.undecidable)?.message).toMatch(/deletionProtection is unknown during preview/);
  });
});
