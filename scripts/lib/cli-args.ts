// Argument handling shared by the small npm scripts (checklist, docs:config, bench): `--help` and an
// unknown argument must never run the command (one rewrites README.md, one runs the whole gate).

export interface ArgSpec {
  /** Flags without a value, e.g. --check. */
  flags?: string[];
  /** Options followed by a value, e.g. --runs 3. */
  options?: string[];
}

/**
 * Checks argv against the spec before any work starts. Returns the exit code when the script must stop
 * (0 after printing the usage for --help/-h, 2 after a usage error), or undefined to go on.
 */
export function preflight(name: string, usage: string, argv: string[], spec: ArgSpec): number | undefined {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const problem = firstProblem(argv, spec);
  if (problem === undefined) return undefined;
  process.stderr.write(`${name}: ${problem}\n${usage}\n`);
  return 2;
}

function firstProblem(argv: string[], spec: ArgSpec): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (spec.flags?.includes(arg)) continue;
    if (!spec.options?.includes(arg)) return `unknown argument ${JSON.stringify(arg)}`;
    if (argv[i + 1] === undefined) return `${arg} needs a value`;
    i++;
  }
  return undefined;
}
