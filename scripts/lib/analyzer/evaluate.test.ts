// evaluatePack through the real analyzer process (one instance shared by these tests).
import * as path from "path";
import { PolicyConfigError } from "./config";
import { evaluatePack } from "./evaluate";
import { ENCRYPTED, exported, grant, largeExport, mysqlUser, ONLY_DATA_POLICIES, STACK, UNKNOWN_VALUE } from "./fixtures";
import { RunningAnalyzer, startAnalyzer } from "./process";

let analyzer: RunningAnalyzer;
beforeAll(async () => {
  analyzer = await startAnalyzer(path.resolve(__dirname, "../../../policies"));
});
afterAll(async () => analyzer?.stop());

const run = (input: unknown, policyConfig: Record<string, unknown> = ONLY_DATA_POLICIES) => evaluatePack(input, { analyzer, policyConfig });

describe("evaluatePack over the analyzer protocol", () => {
  it("lists the pack's policies with their resolved levels", async () => {
    const r = await run(exported());
    expect(r.policies).toContainEqual({ name: "mysql-runtime-grant-dml-only", type: "resource", level: "mandatory" });
    expect(r.policies).toContainEqual({ name: "rds-isolated-subnets", type: "stack", level: "disabled" });
  });

  it("attributes Analyze findings to the resource and AnalyzeStack findings to the URN the policy names", async () => {
    const leaky = { ...STACK, outputs: { DATABASE_URL: "mysql://app:pw@db/catalyst" } };
    const r = await run({ version: 3, deployment: { resources: [leaky, grant(["DROP"])] } });
    expect(r.violations.map((v) => [v.policy, v.urn, v.level])).toEqual([
      ["mysql-runtime-grant-dml-only", grant([]).urn, "mandatory"],
      ["no-plaintext-secret-outputs", STACK.urn, "mandatory"],
    ]);
    expect(r.mandatory).toBe(2);
  });

  it("never counts an unknown value or an encrypted secret as compliant", async () => {
    const r = await run(exported(grant([UNKNOWN_VALUE]), mysqlUser(ENCRYPTED), { ...STACK, urn: `${STACK.urn}-2`, outputs: { token: ENCRYPTED } }));
    expect(r.undecidable).toBe(3);
    expect(r.mandatory).toBe(0);
    expect(r.violations.every((v) => v.undecidable && v.level === "advisory")).toBe(true);
  });

  it('reads a preview\'s masked "[secret]" values as undecidable: the engine would see the plaintext', async () => {
    // The real engine hands policies the decrypted credential URL and blocks it; the preview JSON only says "[secret]".
    const step = (r: object) => ({ op: "create", newState: r });
    const leaky = { ...STACK, outputs: { connection: "[secret]" } };
    const r = await run({ steps: [step(leaky), step(mysqlUser("[secret]"))], changeSummary: { create: 2 } });
    expect(r.violations.map((v) => [v.policy, v.undecidable, v.level])).toEqual([
      ["mysql-user-require-ssl", true, "advisory"],
      ["no-plaintext-secret-outputs", true, "advisory"],
    ]);
    expect(r.mandatory).toBe(0);
  });

  it("applies per-stack enforcement config (advisory does not block; disabled is silent)", async () => {
    const input = exported(grant(["DROP"]));
    expect((await run(input, { all: "disabled", "mysql-runtime-grant-dml-only": "advisory" })).violations.map((v) => v.level)).toEqual(["advisory"]);
    expect((await run(input, { all: "disabled" })).violations).toEqual([]);
    await expect(run(input, { "mysql-runtime-grant-dml-only": { runtimeUser: 3 } })).rejects.toThrow(PolicyConfigError);
  });

  it("passes policy config properties to the policies", async () => {
    const r = await run(exported(grant(["DROP"])), {
      ...ONLY_DATA_POLICIES,
      "mysql-runtime-grant-dml-only": { enforcementLevel: "mandatory", runtimeUser: "someone_else" },
    });
    expect(r.violations).toEqual([]);
  });

  it("evaluates a 5,000-resource export in seconds (figure printed, not asserted)", async () => {
    const started = Date.now();
    const r = await evaluatePack(largeExport(5000), { analyzer });
    const seconds = (Date.now() - started) / 1000;
    console.log(`evaluatePack: 5,000 resources with ${r.policies.length} policies in ${seconds.toFixed(1)}s (analyzer already running)`);
    expect(r.resources).toBe(5000);
  });
});
