/**
 * `npm run synth [-- --stack <name>] [--preview] [--out <file>] [--no-policy]`
 * The main job on a machine without a cloud: runs the real stack program under Pulumi's mocks with
 * Pulumi.<stack>.yaml, writes out/<stack>.synth.json in the shape of `pulumi stack export`, prints a
 * summary, and judges the result with the policy pack through the analyzer protocol that
 * `pulumi preview --policy-pack ./policies` uses. Exit: 0 ok, 1 mandatory policy violation, 2 the
 * program or its configuration failed.
 */
import * as fs from "fs";
import * as path from "path";
import { runOffline, OfflineRun } from "./lib/offline/runtime";
import { readStackConfig } from "./lib/stack-config";
import { summarize, toStackExport } from "./lib/synth/export";
import { evaluatePack, PackResult } from "./lib/analyzer/evaluate";
import { exitCode, summary, table } from "./lib/analyzer/report";

const ROOT = path.resolve(__dirname, "..");

/**
 * Secret config cannot be decrypted offline. Known secret keys get obviously fake stand-ins so the
 * program runs; they are marked secret exactly like the real values.
 */
export const OFFLINE_SECRET_STANDINS: Record<string, string> = {
  "catalyst:oncallHttpsEndpoints": '["https://paging.invalid/offline-synth-standin"]',
};

export interface SynthOptions {
  stack: string;
  preview: boolean;
  out?: string;
  /** Skip the policy pack (only for inspecting a synth while the pack is being changed). */
  skipPolicy?: boolean;
}

export function parseArgs(argv: string[]): SynthOptions {
  const opts: SynthOptions = { stack: "prod", preview: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--stack" || arg === "-s") opts.stack = argv[++i] ?? "";
    else if (arg === "--preview") opts.preview = true;
    else if (arg === "--out") opts.out = argv[++i];
    else if (arg === "--no-policy") opts.skipPolicy = true;
    else throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(opts.stack)) throw new UsageError("--stack needs a stack name such as prod");
  return opts;
}

class UsageError extends Error {}

const USAGE = `usage: npm run synth [-- --stack <name>] [--preview] [--out <file>] [--no-policy]
  --stack <name>  the stack whose Pulumi.<name>.yaml is used (default prod)
  --preview       computed values unknown, as at pulumi preview (writes out/<stack>.preview.synth.json)
  --out <file>    where to write the stack export (default out/<stack>[.preview].synth.json)
  --no-policy     skip the policy pack
exit: 0 no mandatory violation, 1 a mandatory violation, 2 the program, its configuration or an argument failed`;

export async function synthesize(opts: SynthOptions): Promise<{ run: OfflineRun; file: string }> {
  const { values, secretKeys } = readStackConfig(opts.stack, OFFLINE_SECRET_STANDINS);
  const missing = secretKeys.filter((k) => values[k] === undefined);
  if (missing.length) {
    throw new Error(
      `secret config ${missing.join(", ")} cannot be decrypted offline and has no stand-in (add one to OFFLINE_SECRET_STANDINS in scripts/synth.ts)`,
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require("../stacks/index") as () => Promise<Record<string, unknown>>;
  const run = await runOffline({ project: "catalyst", stack: opts.stack, config: values, secretKeys, preview: opts.preview, program });
  if (run.unknownCalls.length)
    throw new Error(`the mocks do not answer provider function(s) ${run.unknownCalls.join(", ")}: add them to scripts/lib/offline/mocks.ts`);
  const file = opts.out ?? path.join(ROOT, "out", `${opts.stack}${opts.preview ? ".preview" : ""}.synth.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdkVersion = (require("@pulumi/pulumi/package.json") as { version: string }).version;
  fs.writeFileSync(file, JSON.stringify(toStackExport(run, sdkVersion), null, 2) + "\n");
  return { run, file };
}

/** Judges the written file exactly as `npm run audit` would: through the real analyzer. */
export async function judge(file: string): Promise<PackResult> {
  return evaluatePack(JSON.parse(fs.readFileSync(file, "utf8")));
}

function printSummary(run: OfflineRun, file: string): void {
  const { byComponent, byType } = summarize(run.resources);
  const total = byType.reduce((n, [, c]) => n + c, 0);
  console.log(`synth: ${total} cloud resources → ${path.relative(process.cwd(), file)}`);
  console.log("by component:");
  for (const [name, n] of byComponent) console.log(`  ${String(n).padStart(4)}  ${name}`);
  console.log("by type:");
  for (const [type, n] of byType) console.log(`  ${String(n).padStart(4)}  ${type}`);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  let opts: SynthOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    console.error(`synth: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    const { run, file } = await synthesize(opts);
    printSummary(run, file);
    if (opts.skipPolicy) {
      console.log("policy pack: skipped (--no-policy)");
      return 0;
    }
    const result = await judge(file);
    if (result.violations.length) console.log(table(result.violations));
    console.log(`policy pack: ${summary(result)}`);
    return exitCode(result);
  } catch (e) {
    // Config problems and program errors are reported as text; a stack trace helps nobody here.
    console.error(`synth: the ${opts.stack} stack could not be synthesized:\n${(e as Error).message}`);
    return 2;
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
