// Process wrapper shared by the verifiers: maps outcomes to exit codes (0 ok, 1 findings, 2 cannot
// run) and redacts everything it writes.
import { ConnectError, EXIT_CANNOT_RUN, Report, UsageError, exitCodeOf, renderJson, renderText } from "./report";
import { redact } from "./redact";

export interface RunContext {
  /** Secrets discovered while running (e.g. a password read from Secrets Manager), hidden from all output. */
  secrets: Set<string>;
}

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

function errorMessage(err: unknown): string {
  if (err instanceof UsageError) return `error: ${err.message}`;
  if (err instanceof ConnectError) return `cannot connect: ${err.message}`;
  return `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
}

export async function runCli(argv: string[], run: (argv: string[], ctx: RunContext) => Promise<Report>, usage: string, io: Io = processIo): Promise<number> {
  const ctx: RunContext = { secrets: new Set() };
  const json = argv.includes("--json");
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(usage);
    return 0;
  }
  try {
    const report = await run(argv, ctx);
    io.stdout(redact(json ? renderJson(report) : renderText(report), ctx.secrets));
    return exitCodeOf(report);
  } catch (err) {
    const message = redact(errorMessage(err), ctx.secrets);
    if (json) io.stdout(JSON.stringify({ error: message, exitCode: EXIT_CANNOT_RUN }, null, 2) + "\n");
    io.stderr(message + (err instanceof UsageError ? `\n\n${usage}` : "\n"));
    return EXIT_CANNOT_RUN;
  }
}

/** Entry-point helper: run and exit with the verifier's code. */
export function main(run: (argv: string[], ctx: RunContext) => Promise<Report>, usage: string): void {
  runCli(process.argv.slice(2), run, usage).then(
    (code) => process.exit(code),
    () => process.exit(EXIT_CANNOT_RUN),
  );
}
