import { spawnSync } from "child_process";
import * as path from "path";
import { declarationProblems, declaredKeys, readKeys, renderReference } from "./config-reference";

describe("configuration reference", () => {
  it("Pulumi.yaml declares exactly the keys stacks/config.ts reads, with types and descriptions", () => {
    expect(declarationProblems(readKeys(), declaredKeys())).toEqual([]);
  });

  it("reports a key the code reads but Pulumi.yaml does not declare", () => {
    const keys = readKeys();
    expect(declarationProblems(keys, {})).toContain("Pulumi.yaml does not declare catalyst:domain (read by stacks/config.ts)");
    expect(declarationProblems(keys, { "catalyst:domain": { type: "integer", description: "x" } })).toContain(
      "Pulumi.yaml: catalyst:domain has type integer, the code reads string",
    );
  });

  it("renders required keys, defaults and secrets", () => {
    const table = renderReference(readKeys(), {});
    expect(table).toContain("| `catalyst:domain` | string | **required** |");
    expect(table).toContain("| `catalyst:dbBackupRetentionDays` | integer | `14` |");
    expect(table).toContain("| `catalyst:oncallHttpsEndpoints` | array (secret) | `[]` |");
  });

  it("README.md is up to date (npm run docs:config -- --check exits 0)", () => {
    const r = spawnSync(process.execPath, ["scripts/ts.js", "scripts/config-reference.ts", "--check"], {
      cwd: path.resolve(__dirname, ".."),
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
