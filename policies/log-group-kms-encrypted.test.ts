import { logGroupKmsEncrypted } from "./log-group-kms-encrypted";
import { runResourcePolicy, UNKNOWN } from "./testing";

const TYPE = "aws:cloudwatch/logGroup:LogGroup";
const logGroup = (): Record<string, unknown> => ({ name: "/catalyst/agent", retentionInDays: 90, kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/1" });
const run = (props: Record<string, unknown>, type = TYPE) => runResourcePolicy(logGroupKmsEncrypted, { type, props });
const MESSAGE = "kmsKeyId is not set: the logs are encrypted only with a key AWS controls, and anyone with log read access reads them.";

describe("log-group-kms-encrypted", () => {
  it("passes a log group with a KMS key", async () => {
    expect(await run(logGroup())).toMatchObject({ violations: [], undecidable: false, notApplicable: false });
  });

  it("blocks a log group without kmsKeyId, or with an empty one", async () => {
    const { kmsKeyId: _omit, ...props } = logGroup();
    const r = await run(props);
    expect(r.violations).toEqual([MESSAGE]);
    expect(r.findings[0].level).toBe("mandatory");
    expect((await run({ ...logGroup(), kmsKeyId: "" })).violations).toEqual([MESSAGE]);
  });

  it("is not applicable to other types", async () => {
    expect(await run({}, "aws:kms/key:Key")).toMatchObject({ violations: [], notApplicable: true });
  });

  it("decides at preview: a key ARN that is unknown still is a key", async () => {
    expect(await runResourcePolicy(logGroupKmsEncrypted, { type: TYPE, props: { ...logGroup(), kmsKeyId: UNKNOWN } }, { preview: true })).toMatchObject({
      violations: [],
      undecidable: false,
    });
    const { kmsKeyId: _omit, ...props } = logGroup();
    expect((await runResourcePolicy(logGroupKmsEncrypted, { type: TYPE, props: { ...props, name: UNKNOWN } }, { preview: true })).violations).toEqual([
      MESSAGE,
    ]);
  });
});
