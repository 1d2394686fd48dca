// The npm scripts' argument handling as an engineer first meets it: `--help` prints the usage and
// exits 0, an unknown argument exits 2 with the usage, and neither one runs the command (no README
// rewritten, no two-minute benchmark).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const GENERATED = ["README.md", "docs/checklist.md", "docs/architecture.md"];

const SCRIPTS: [npmScript: string, file: string][] = [
  ["synth", "scripts/synth.ts"],
  ["audit", "scripts/audit.ts"],
  ["checklist", "scripts/checklist.ts"],
  ["docs:config", "scripts/config-reference.ts"],
  ["bench", "scripts/bench.ts"],
];

function run(file: string, args: string[]) {
  const before = GENERATED.map((f) => fs.statSync(path.join(ROOT, f)).mtimeMs);
  const r = spawnSync(process.execPath, ["scripts/ts.js", file, ...args], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
  const after = GENERATED.map((f) => fs.statSync(path.join(ROOT, f)).mtimeMs);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, wrote: before.some((t, i) => t !== after[i]) };
}

describe.each(SCRIPTS)("npm run %s", (npmScript, file) => {
  it.each(["--help", "-h"])("%s prints the usage on stdout and exits 0 without running anything", (flag) => {
    const r = run(file, [flag]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: npm run ${npmScript}\\b`));
    expect(r.stderr).toBe("");
    expect(r.wrote).toBe(false);
  });

  it("refuses an unknown argument with exit 2 and the usage, without running anything", () => {
    const r = run(file, ["--no-such-option"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--no-such-option");
    expect(r.stderr).toMatch(new RegExp(`\\nusage: npm run ${npmScript}\\b`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
    expect(r.wrote).toBe(false);
  });
});
