import { secretsRecoveryWindow } from "./secrets-recovery-window";
import { runResourcePolicy, UNKNOWN } from "./testing";

const TYPE = "aws:secretsmanager/secret:Secret";
const sec = (over: Record<string, unknown> = {}) => ({
  type: TYPE,
  props: { name: "catalyst/prod/app", kmsKeyId: "arn:aws:kms:eu-west-1:1:key/k", recoveryWindowInDays: 30, ...over },
});

describe("secrets-recovery-window", () => {
  it("passes 30 days, 7 days and the AWS default (unset = 30)", async () => {
    for (const days of [30, 7, undefined]) {
      expect((await runResourcePolicy(secretsRecoveryWindow, sec({ recoveryWindowInDays: days }))).violations).toEqual([]);
    }
  });

  it.each([
    [{ recoveryWindowInDays: 0 }, "recoveryWindowInDays is 0; a deleted secret must stay recoverable for at least 7 days."],
    [{ recoveryWindowInDays: 6 }, "recoveryWindowInDays is 6; a deleted secret must stay recoverable for at least 7 days."],
  ])("blocks %j", async (change, message) => {
    expect((await runResourcePolicy(secretsRecoveryWindow, sec(change))).violations).toEqual([message]);
  });

  it("honours a stricter minimum from policy config", async () => {
    expect((await runResourcePolicy(secretsRecoveryWindow, sec({ recoveryWindowInDays: 14 }), { config: { minimumDays: 30 } })).violations).toHaveLength(1);
  });

  it("is not applicable to secret versions", async () => {
    expect((await runResourcePolicy(secretsRecoveryWindow, { type: "aws:secretsmanager/secretVersion:SecretVersion", props: {} })).notApplicable).toBe(true);
  });

  it("decides at preview on the literal; explicit when it is unknown", async () => {
    expect((await runResourcePolicy(secretsRecoveryWindow, sec({ kmsKeyId: UNKNOWN }), { preview: true })).undecidable).toBe(false);
    expect((await runResourcePolicy(secretsRecoveryWindow, sec({ recoveryWindowInDays: UNKNOWN }), { preview: true })).undecidable).toBe(true);
  });
});
