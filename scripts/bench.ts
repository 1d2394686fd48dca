/**
 * `npm run bench [-- --runs N] [--skip-gate]`: prints figures as `name: value unit` lines.
 * - floor: a bare process that loads @pulumi/aws and sets mocks (what every synth/test pays first);
 * - synth: `npm run synth` of the prod stack, end to end (program + export + policy pack);
 * - gate: the full `npm test` (typecheck + lint + jest), once.
 * Medians over N runs (default 3) of wall-clock time; a benchmark, not a test: nothing is asserted.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { preflight } from "./lib/cli-args";

const ROOT = path.resolve(__dirname, "..");
const USAGE = `usage: npm run bench [-- --runs N] [--skip-gate]
  prints the floor (load @pulumi/aws + setMocks) and the prod synth, medians of N runs (default 3),
  then the full gate (npm test, about 2 minutes) once unless --skip-gate`;

function timeOnce(cmd: string, args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], env: process.env });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr.toString().slice(-500)}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function bench(name: string, runs: number, cmd: string, args: string[]): void {
  const times = Array.from({ length: runs }, () => timeOnce(cmd, args));
  console.log(`${name}: ${(median(times) / 1000).toFixed(2)} s (median of ${runs}, min ${(Math.min(...times) / 1000).toFixed(2)} s)`);
}

function main(): void {
  const argv = process.argv.slice(2);
  const stop = preflight("bench", USAGE, argv, { flags: ["--skip-gate"], options: ["--runs"] });
  if (stop !== undefined) process.exit(stop);
  const runsArg = argv.indexOf("--runs");
  const runs = runsArg >= 0 ? Number(argv[runsArg + 1]) : 3;
  if (!Number.isInteger(runs) || runs < 1) {
    console.error(`bench: --runs needs a positive whole number\n${USAGE}`);
    process.exit(2);
  }
  const floor = `require("@pulumi/aws"); require("@pulumi/pulumi").runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: () => ({}) });`;
  bench("floor (load @pulumi/aws + setMocks)", runs, process.execPath, ["-e", floor]);
  bench("synth prod (program + export + policy pack)", runs, process.execPath, ["scripts/ts.js", "scripts/synth.ts", "--stack", "prod"]);
  if (!argv.includes("--skip-gate")) bench("gate (npm test)", 1, "npm", ["test", "--silent"]);
}

main();
