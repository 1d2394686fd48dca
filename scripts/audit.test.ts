// The audit CLI end to end (real pack, real analyzer process): exit codes and output as CI sees them.
import { spawnSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { ENCRYPTED, exported, grant, mysqlUser, ONLY_DATA_POLICIES, PREFIX, UNKNOWN_VALUE } from "./lib/analyzer/fixtures";

const ROOT = path.resolve(__dirname, "..");
const dir = mkdtempSync(path.join(tmpdir(), "audit-test-"));

function audit(args: string[], stdin?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["scripts/ts.js", "scripts/audit.ts", ...args], { cwd: ROOT, input: stdin, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, json: unknown): string {
  const p = path.join(dir, name);
  writeFileSync(p, typeof json === "string" ? json : JSON.stringify(json));
  return p;
}

// Only the data policies these fixtures exercise are on, so the exit codes do not depend on unrelated
// checks (the whole pack runs on the real synth in its own test).
const CONFIG = ["--policy-pack-config", file("only-data.json", ONLY_DATA_POLICIES)];
const GRANT_URN = `${PREFIX}mysql:index/grant:Grant::app-grant`;
const STACK_URN = `${PREFIX}pulumi:pulumi:Stack::catalyst-prod`;

describe("npm run audit", () => {
  it("exits 0 and prints PASSED for a compliant export", () => {
    const r = audit([file("ok.json", exported(grant(["SELECT", "INSERT", "UPDATE", "DELETE"]), mysqlUser("SSL"))), ...CONFIG]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PASSED: 0 mandatory violation\(s\), 0 advisory, 0 undecidable .* 3 resources, /m);
  });

  it("exits 1 on a mandatory violation; the table shows policy, level, URN, message, and undecidable rows", () => {
    const input = exported(grant(["SELECT", "DROP"]), mysqlUser(ENCRYPTED));
    const r = audit([file("bad.json", input), ...CONFIG]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^POLICY\s+LEVEL\s+URN\s+MESSAGE$/m);
    expect(r.stdout).toContain(
      `mysql-runtime-grant-dml-only  mandatory               ${GRANT_URN}  'catalyst_app'@'%': the runtime user holds DROP; only SELECT, INSERT, UPDATE, DELETE are allowed.`,
    );
    expect(r.stdout).toMatch(/^mysql-user-require-ssl\s+advisory \(undecidable\)\s+\S+app-user\s+can't run policy 'mysql-user-require-ssl'/m);
    expect(r.stdout).toMatch(/^BLOCKED: 1 mandatory violation\(s\), 0 advisory, 1 undecidable \(not compliant/m);
  });

  it("reads stdin with '-' and prints the --json shape; unknowns and ciphertext are undecidable, not compliant", () => {
    const r = audit(["-", "--json", ...CONFIG], JSON.stringify(exported(grant(["ALL"]), grant([UNKNOWN_VALUE], "other"), mysqlUser(ENCRYPTED))));
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { violations: Record<string, unknown>[]; resources: number; undecidable: number };
    expect(Object.keys(json).sort()).toEqual(["resources", "undecidable", "violations"]);
    expect(json.resources).toBe(4);
    expect(json.undecidable).toBe(2);
    expect(json.violations[0]).toEqual({
      policy: "mysql-runtime-grant-dml-only",
      level: "mandatory",
      urn: GRANT_URN,
      message: "'catalyst_app'@'%': the runtime user holds ALL; only SELECT, INSERT, UPDATE, DELETE are allowed.",
    });
    expect(json.violations.slice(1).map((v) => [v.policy, v.level, Object.keys(v).sort().join()])).toEqual([
      ["mysql-runtime-grant-dml-only", "advisory", "level,message,policy,urn"],
      ["mysql-user-require-ssl", "advisory", "level,message,policy,urn"],
    ]);
  });

  it.each([
    ["invalid JSON", () => [file("broken.json", "{ not json")], /^audit: input is not valid JSON: /],
    ["not an export or preview", () => [file("other.json", { hello: 1 })], /^audit: input has neither "deployment"/],
    ["an old deployment version", () => [file("v1.json", { version: 1, deployment: {} })], /^audit: unsupported deployment version 1: expected 3/],
    ["a missing file", () => [path.join(dir, "missing.json")], /^audit: cannot read .*missing\.json: ENOENT/],
    ["empty stdin", () => ["-"], /^audit: input is not valid JSON: /],
    ["no input", () => [], /^audit: no input given\nusage: npm run audit/],
    ["an unknown option", () => ["--yaml", "x.json"], /^audit: unknown option --yaml\nusage:/],
    [
      "a preview without --show-sames",
      () => [
        file("partial.json", {
          steps: [{ op: "update", urn: STACK_URN, newState: exported().deployment.resources[0] }],
          changeSummary: { same: 7, update: 1 },
        }),
      ],
      /^audit: 7 unchanged resource\(s\) are not in the preview: re-run `pulumi preview --json --show-sames`/,
    ],
    [
      "a bad policy config",
      () => [file("ok2.json", exported()), "--policy-pack-config", file("cfg.json", { "no-such-policy": "advisory" })],
      /^audit: invalid policy pack config:\n  no-such-policy: no policy of that name in the pack/,
    ],
  ])("exits 2 on %s, with a clear message and no stack trace", (_label, args, message) => {
    const r = audit(args(), "");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
  });
});
