/**
 * `npm run migrate -- --stack prod`: where the migration task is comes from the stack's outputs
 * (`pulumi stack output --json`), or from flags when Pulumi is not at hand; each flag overrides one
 * field. Usage errors exit 2 before anything runs.
 */
import { execFile } from "node:child_process";
import { parseArgs } from "node:util";
import { ECSClient } from "@aws-sdk/client-ecs";
import { EXIT_CANNOT_RUN, EcsSend, MigrationTarget, runMigration } from "./runner";

export const EXIT_USAGE = 2;
export const STACK_OUTPUT = "migrationTask";
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 900;

export const MIGRATE_USAGE = `usage: npm run migrate -- --stack <name> [--wait-timeout <seconds>] [overrides]

Runs the database migration task once on the stack's ECS cluster (Fargate, private subnets, no public
IP), waits for it to stop and exits with the migration container's exit code. Deploy order: run this,
then roll the services (pulumi up, or a new image digest).

  --stack <name>            Pulumi stack whose output "${STACK_OUTPUT}" describes the task (required unless every override is given)
  --wait-timeout <seconds>  How long to wait for the task to stop (default ${DEFAULT_WAIT_TIMEOUT_SECONDS})
  --cluster, --task-definition, --container, --subnets a,b, --security-groups sg,
  --log-group, --region     Override single fields of the stack output

Exit codes: the container's exit code (0 = migrated); 124 still running at the timeout (left running);
125 the task could not start or is missing; 2 usage error or unreadable stack outputs.
`;

export class UsageError extends Error {}

export interface CliDeps {
  /** `pulumi stack output --json --stack <stack>`, parsed. */
  readStackOutputs: (stack: string) => Promise<Record<string, unknown>>;
  ecsClient: (region: string) => EcsSend;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Waiter poll delays (tests shorten them). */
  pollSeconds?: { min: number; max: number };
}

const OPTIONS = {
  stack: { type: "string" },
  "wait-timeout": { type: "string" },
  cluster: { type: "string" },
  "task-definition": { type: "string" },
  container: { type: "string" },
  subnets: { type: "string" },
  "security-groups": { type: "string" },
  "log-group": { type: "string" },
  region: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Flags = ReturnType<typeof parseFlags>;

function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function waitTimeout(value: string | undefined): number {
  if (value === undefined) return DEFAULT_WAIT_TIMEOUT_SECONDS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 10) throw new UsageError(`--wait-timeout must be a whole number of seconds >= 10, got "${value}"`);
  return n;
}

const csv = (v: string) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

function overrides(flags: Flags): Partial<MigrationTarget> {
  const o: Partial<MigrationTarget> = {};
  if (flags.cluster !== undefined) o.cluster = flags.cluster;
  if (flags["task-definition"] !== undefined) o.taskDefinitionArn = flags["task-definition"];
  if (flags.container !== undefined) o.containerName = flags.container;
  if (flags.subnets !== undefined) o.subnetIds = csv(flags.subnets);
  if (flags["security-groups"] !== undefined) o.securityGroupIds = csv(flags["security-groups"]);
  if (flags["log-group"] !== undefined) o.logGroupName = flags["log-group"];
  if (flags.region !== undefined) o.region = flags.region;
  return o;
}

const FIELDS: (keyof MigrationTarget)[] = ["cluster", "taskDefinitionArn", "containerName", "subnetIds", "securityGroupIds", "logGroupName", "region"];

/** Checks the merged target field by field, so a stale or hand-edited output fails with its name. */
export function validateTarget(value: Record<string, unknown>): MigrationTarget {
  const problems: string[] = [];
  for (const f of FIELDS) {
    const v = value[f];
    const isList = f === "subnetIds" || f === "securityGroupIds";
    const ok = isList ? Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string" && x.length > 0) : typeof v === "string" && v.length > 0;
    if (!ok) problems.push(`${f} is ${v === undefined ? "missing" : `invalid (${JSON.stringify(v)})`}`);
  }
  if (problems.length) throw new UsageError(`migration target incomplete: ${problems.join("; ")}`);
  return value as unknown as MigrationTarget;
}

async function resolveTarget(flags: Flags, deps: CliDeps): Promise<MigrationTarget> {
  const given = overrides(flags);
  if (FIELDS.every((f) => given[f] !== undefined)) return validateTarget(given);
  if (flags.stack === undefined) throw new UsageError("--stack is required (or give every override flag)");
  let outputs: Record<string, unknown>;
  try {
    outputs = await deps.readStackOutputs(flags.stack);
  } catch (err) {
    throw new UsageError(`cannot read the outputs of stack ${flags.stack}: ${(err as Error).message}`);
  }
  const fromStack = outputs[STACK_OUTPUT];
  if (!fromStack || typeof fromStack !== "object")
    throw new UsageError(`stack ${flags.stack} has no "${STACK_OUTPUT}" output (was it deployed with the compute tier?)`);
  return validateTarget({ ...(fromStack as Record<string, unknown>), ...given });
}

/** The whole command; returns the process exit code. */
export async function migrateCli(argv: string[], deps: CliDeps): Promise<number> {
  try {
    const flags = parseFlags(argv);
    if (flags.help) {
      deps.stdout(MIGRATE_USAGE);
      return 0;
    }
    const timeout = waitTimeout(flags["wait-timeout"]);
    const target = await resolveTarget(flags, deps);
    deps.stderr(`running ${target.taskDefinitionArn} on ${target.cluster} (subnets ${target.subnetIds.join(",")}, no public IP); waiting up to ${timeout} s\n`);
    const result = await runMigration(
      deps.ecsClient(target.region),
      target,
      { waitTimeoutSeconds: timeout, minDelaySeconds: deps.pollSeconds?.min, maxDelaySeconds: deps.pollSeconds?.max },
      (line) => deps.stderr(`${line}\n`),
    );
    (result.exitCode === 0 ? deps.stdout : deps.stderr)(`${result.message}\n`);
    return result.exitCode;
  } catch (err) {
    if (err instanceof UsageError) {
      deps.stderr(`error: ${err.message}\n\n${MIGRATE_USAGE}`);
      return EXIT_USAGE;
    }
    // AWS errors (credentials, AccessDenied, throttling): the task may or may not exist; say so.
    deps.stderr(`error: ${(err as Error).name}: ${(err as Error).message}\n`);
    return EXIT_CANNOT_RUN;
  }
}

export function pulumiStackOutputs(stack: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile("pulumi", ["stack", "output", "--json", "--stack", stack], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if ((err as NodeJS.ErrnoException | null)?.code === "ENOENT")
        return reject(new Error("the pulumi CLI is not installed or not on PATH (or pass every override flag instead of --stack)"));
      if (err) return reject(new Error((stderr || err.message).trim()));
      try {
        resolve(JSON.parse(stdout) as Record<string, unknown>);
      } catch {
        reject(new Error("pulumi stack output did not return JSON"));
      }
    });
  });
}

export const realDeps: CliDeps = {
  readStackOutputs: pulumiStackOutputs,
  ecsClient: (region) => new ECSClient({ region }),
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};
