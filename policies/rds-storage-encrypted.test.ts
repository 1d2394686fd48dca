import { rdsStorageEncrypted } from "./rds-storage-encrypted";
import { runResourcePolicy, UNKNOWN } from "./testing";

const TYPE = "aws:rds/instance:Instance";
const db = (over: Record<string, unknown> = {}) => ({
  type: TYPE,
  props: { engine: "mysql", storageEncrypted: true, kmsKeyId: "arn:aws:kms:eu-west-1:1:key/k", ...over },
});

describe("rds-storage-encrypted", () => {
  it("passes an encrypted instance", async () => {
    expect(await runResourcePolicy(rdsStorageEncrypted, db())).toMatchObject({ violations: [], undecidable: false });
  });

  it.each([
    [{ storageEncrypted: false }, "storageEncrypted is false: data, snapshots and backups are stored unencrypted."],
    [{ storageEncrypted: undefined }, "storageEncrypted is not set (AWS default: false): data, snapshots and backups are stored unencrypted."],
  ])("blocks %j", async (change, message) => {
    const r = await runResourcePolicy(rdsStorageEncrypted, db(change));
    expect(r.violations).toEqual([message]);
    expect(r.findings[0].level).toBe("mandatory");
  });

  it("is not applicable to other resource types", async () => {
    expect((await runResourcePolicy(rdsStorageEncrypted, { type: "aws:s3/bucketV2:BucketV2", props: {} })).notApplicable).toBe(true);
  });

  it("decides at preview when only other inputs are unknown", async () => {
    const r = await runResourcePolicy(rdsStorageEncrypted, db({ kmsKeyId: UNKNOWN, storageEncrypted: false }), { preview: true });
    expect(r).toMatchObject({ undecidable: false, violations: [expect.stringContaining("storageEncrypted is false")] });
  });

  it("reports explicitly when storageEncrypted itself is unknown at preview", async () => {
    const r = await runResourcePolicy(rdsStorageEncrypted, db({ storageEncrypted: UNKNOWN }), { preview: true });
    expect(r).toMatchObject({ undecidable: true, violations: [] });
    expect(r.findings[0].message).toMatch(/storageEncrypted is unknown during preview; decided at `pulumi up`/);
  });
});
