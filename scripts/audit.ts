// npm run audit -- <export.json | -> [--json] [--policy-pack-config <file>]
// Audits an existing stack offline: the JSON of `pulumi stack export` (deployment v3) or of
// `pulumi preview --json`, evaluated by the real policy pack through the analyzer protocol.
// Exit 0: no mandatory violation; 1: at least one; 2: unreadable input or the pack could not run.
import { readFileSync } from "fs";
import { PolicyConfigError, PolicyPackConfigFile } from "./lib/analyzer/config";
import { evaluatePack } from "./lib/analyzer/evaluate";
import { InputError, parseDeploymentText } from "./lib/analyzer/input";
import { AnalyzerStartError } from "./lib/analyzer/process";
import { exitCode, jsonReport, summary, table } from "./lib/analyzer/report";

const USAGE = `usage: npm run audit -- <stack-export.json | preview.json | -> [--json] [--policy-pack-config <file>]
  input: the JSON of \`pulumi stack export\` or of \`pulumi preview --json --show-sames\`; - reads stdin
  --json                       machine-readable result
  --policy-pack-config <file>  the same file as pulumi preview --policy-pack-config
exit: 0 no mandatory violation, 1 a mandatory violation, 2 unreadable input, bad arguments or the pack could not run`;

class UsageError extends Error {}

interface Args {
  input: string;
  json: boolean;
  configFile?: string;
}

function parseArgs(argv: string[]): Args {
  let input: string | undefined;
  let json = false;
  let configFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") json = true;
    else if (a === "--policy-pack-config") configFile = argv[++i] ?? "";
    else if (a.startsWith("--policy-pack-config=")) configFile = a.slice("--policy-pack-config=".length);
    else if (a === "-" || !a.startsWith("-")) {
      if (input !== undefined) throw new UsageError(`more than one input given (${input}, ${a})`);
      input = a;
    } else throw new UsageError(`unknown option ${a}`);
  }
  if (input === undefined) throw new UsageError("no input given");
  if (configFile === "") throw new UsageError("--policy-pack-config needs a file");
  return { input, json, configFile };
}

function readInput(input: string): string {
  try {
    return readFileSync(input === "-" ? 0 : input, "utf8");
  } catch (err) {
    throw new InputError(`cannot read ${input === "-" ? "stdin" : input}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function readConfig(file: string | undefined): PolicyPackConfigFile | undefined {
  if (file === undefined) return undefined;
  const text = readInput(file);
  try {
    return JSON.parse(text) as PolicyPackConfigFile;
  } catch (err) {
    throw new InputError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const args = parseArgs(argv);
  const deployment = parseDeploymentText(readInput(args.input));
  const result = await evaluatePack(deployment, { policyConfig: readConfig(args.configFile) });
  if (args.json) {
    process.stdout.write(`${JSON.stringify(jsonReport(result))}\n`);
  } else {
    if (result.violations.length > 0) process.stdout.write(`${table(result.violations)}\n\n`);
    process.stdout.write(`${summary(result)}\n`);
  }
  return exitCode(result);
}

const EXPECTED = [UsageError, InputError, PolicyConfigError, AnalyzerStartError];

// process.exit() right after a write to a pipe can cut the output short: exit once it is flushed.
function exitAfterFlush(code: number): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

main(process.argv.slice(2)).then(
  (code) => exitAfterFlush(code),
  (err: unknown) => {
    const known = EXPECTED.some((E) => err instanceof E);
    // Expected failures get one clear line; anything else still no stack trace, but says it is unexpected.
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`audit: ${known ? "" : "unexpected error: "}${message}\n`);
    if (err instanceof UsageError) process.stderr.write(`${USAGE}\n`);
    exitAfterFlush(2);
  },
);
