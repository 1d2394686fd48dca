import { logGroupRetention } from "./log-group-retention";
import { runResourcePolicy, UNKNOWN } from "./testing";

const TYPE = "aws:cloudwatch/logGroup:LogGroup";
const logGroup = (): Record<string, unknown> => ({ name: "/catalyst/frontend", retentionInDays: 90, kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/1" });
const run = (props: Record<string, unknown>, config?: Record<string, unknown>, type = TYPE) =>
  runResourcePolicy(logGroupRetention, { type, props }, { config });

describe("log-group-retention", () => {
  it("passes 90 days and exactly the 30-day minimum", async () => {
    expect(await run(logGroup())).toMatchObject({ violations: [], undecidable: false, notApplicable: false });
    expect((await run({ ...logGroup(), retentionInDays: 30 })).violations).toEqual([]);
  });

  it("blocks unset retention and 0 (never expire)", async () => {
    const message = "retentionInDays is not set: the log group keeps everything forever.";
    const { retentionInDays: _omit, ...props } = logGroup();
    const r = await run(props);
    expect(r.violations).toEqual([message]);
    expect(r.findings[0].level).toBe("mandatory");
    expect((await run({ ...logGroup(), retentionInDays: 0 })).violations).toEqual([message]);
  });

  it("blocks retention below the minimum, which policy config can raise", async () => {
    expect((await run({ ...logGroup(), retentionInDays: 7 })).violations).toEqual(["retentionInDays is 7; it must be at least 30."]);
    expect((await run(logGroup(), { minRetentionDays: 365 })).violations).toEqual(["retentionInDays is 90; it must be at least 365."]);
  });

  it("is not applicable to other types", async () => {
    expect(await run({}, undefined, "aws:cloudwatch/logStream:LogStream")).toMatchObject({ violations: [], notApplicable: true });
  });

  it("decides at preview while the KMS key is unknown", async () => {
    const r = await runResourcePolicy(logGroupRetention, { type: TYPE, props: { ...logGroup(), kmsKeyId: UNKNOWN, retentionInDays: 1 } }, { preview: true });
    expect(r).toMatchObject({ undecidable: false, violations: ["retentionInDays is 1; it must be at least 30."] });
  });

  it("says explicitly that a computed retention is decided at pulumi up", async () => {
    const r = await runResourcePolicy(logGroupRetention, { type: TYPE, props: { ...logGroup(), retentionInDays: UNKNOWN } }, { preview: true });
    expect(r).toMatchObject({ violations: [], undecidable: true });
    expect(r.findings[0].message).toMatch(/retentionInDays is unknown during preview; decided at `pulumi up`/);
  });
});
