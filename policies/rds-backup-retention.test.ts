import { rdsBackupRetention } from "./rds-backup-retention";
import { runResourcePolicy, UNKNOWN } from "./testing";

const TYPE = "aws:rds/instance:Instance";
const db = (over: Record<string, unknown> = {}) => ({
  type: TYPE,
  props: { engine: "mysql", backupRetentionPeriod: 14, backupWindow: "02:00-03:00", ...over },
});

describe("rds-backup-retention", () => {
  it("passes 14 days, and exactly 7", async () => {
    expect((await runResourcePolicy(rdsBackupRetention, db())).violations).toEqual([]);
    expect((await runResourcePolicy(rdsBackupRetention, db({ backupRetentionPeriod: 7 }))).violations).toEqual([]);
  });

  it.each([
    [{ backupRetentionPeriod: 6 }, "backupRetentionPeriod is 6; at least 7 days are required."],
    [{ backupRetentionPeriod: 0 }, "backupRetentionPeriod is 0; at least 7 days are required."],
    [{ backupRetentionPeriod: undefined }, "backupRetentionPeriod is not set (AWS default: 1 day); at least 7 days are required."],
  ])("blocks %j", async (change, message) => {
    const r = await runResourcePolicy(rdsBackupRetention, db(change));
    expect(r.violations).toEqual([message]);
    expect(r.findings[0].level).toBe("mandatory");
  });

  it("honours a stricter minimum from policy config", async () => {
    const r = await runResourcePolicy(rdsBackupRetention, db(), { config: { minimumDays: 30 } });
    expect(r.violations).toEqual(["backupRetentionPeriod is 14; at least 30 days are required."]);
  });

  it("is not applicable to other resource types", async () => {
    expect((await runResourcePolicy(rdsBackupRetention, { type: "aws:rds/cluster:Cluster", props: { backupRetentionPeriod: 0 } })).notApplicable).toBe(true);
  });

  it("decides at preview on the literal, and says so when it is unknown", async () => {
    expect(await runResourcePolicy(rdsBackupRetention, db({ identifier: UNKNOWN }), { preview: true })).toMatchObject({ violations: [], undecidable: false });
    const r = await runResourcePolicy(rdsBackupRetention, db({ backupRetentionPeriod: UNKNOWN }), { preview: true });
    expect(r).toMatchObject({ violations: [], undecidable: true });
    expect(r.findings[0].message).toMatch(/backupRetentionPeriod is unknown during preview/);
  });
});
