/**
 * Test helpers: run the real stack program, or a single component, under Pulumi's mocks and inspect
 * every resource it registered. Each run is isolated (its own SDK store), so tests can run the program
 * many times with different config in one file.
 */
import * as pulumi from "@pulumi/pulumi";
import { CapturedResource, Json, OfflineRun, runOffline, SECRET_SIG, UNKNOWN } from "../scripts/lib/offline/runtime";

export type { CapturedResource, Json };
export { SECRET_SIG, UNKNOWN };

export const PROJECT = "catalyst";

export interface Captured extends OfflineRun {
  /** Every resource of one type token, e.g. "aws:rds/instance:Instance". */
  byType(type: string): CapturedResource[];
  /** The single resource of `type` (whose logical name ends with `nameSuffix`, if given); throws otherwise. */
  one(type: string, nameSuffix?: string): CapturedResource;
  /** The resource with this URN; throws if absent. */
  byUrn(urn: string): CapturedResource;
}

function withQueries(run: OfflineRun): Captured {
  const byType = (type: string) => run.resources.filter((r) => r.type === type);
  return {
    ...run,
    byType,
    one(type, nameSuffix) {
      const found = byType(type).filter((r) => nameSuffix === undefined || r.name.endsWith(nameSuffix));
      if (found.length !== 1) {
        throw new Error(
          `expected exactly one ${type}${nameSuffix ? ` named *${nameSuffix}` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`,
        );
      }
      return found[0];
    },
    byUrn(urn) {
      const r = run.resources.find((x) => x.urn === urn);
      if (!r) throw new Error(`no resource with URN ${urn}`);
      return r;
    },
  };
}

/** The prod stack's non-secret config plus the secrets a real stack would hold encrypted. */
export function loadStackConfigFile(stack = "prod"): Record<string, string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readStackConfig } = require("../scripts/lib/stack-config") as typeof import("../scripts/lib/stack-config");
  return readStackConfig(stack).values;
}

export interface ProgramRunOptions {
  stack?: string;
  /** Full config (`catalyst:domain` → value). Defaults to Pulumi.<stack>.yaml. */
  config?: Record<string, string>;
  /** Keys merged over `config` (value undefined removes the key). */
  override?: Record<string, string | undefined>;
  secretKeys?: string[];
  preview?: boolean;
}

/** Runs the real stack program (stacks/index.ts) with the given config. Rejects with the program's error. */
export async function runProgram(opts: ProgramRunOptions = {}): Promise<Captured> {
  const stack = opts.stack ?? "prod";
  const config = { ...(opts.config ?? loadStackConfigFile(stack)) };
  for (const [k, v] of Object.entries(opts.override ?? {})) {
    if (v === undefined) delete config[k];
    else config[k] = v;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require("../stacks/index") as () => Promise<Record<string, unknown>>;
  return withQueries(await runOffline({ project: PROJECT, stack, config, secretKeys: opts.secretKeys, preview: opts.preview, program }));
}

/** Runs a factory (one component and whatever it needs) as a whole program. */
export async function runComponent<T>(
  factory: () => T,
  opts: { config?: Record<string, string>; preview?: boolean; stack?: string } = {},
): Promise<Captured & { component: T }> {
  let component: T | undefined;
  const run = await runOffline({
    project: PROJECT,
    stack: opts.stack ?? "test",
    config: { "aws:region": "eu-west-1", ...(opts.config ?? {}) },
    preview: opts.preview,
    program: async () => {
      component = factory();
      return {};
    },
  });
  return { ...withQueries(run), component: component as T };
}

/**
 * Resolves an Output for assertions. Unlike a bare `apply`, it fails (instead of hanging) when the
 * output rejects or never resolves, and reports unknown values (preview) as UNKNOWN.
 */
export function outputValue<T>(o: pulumi.Output<T> | pulumi.Input<T>, timeoutMs = 10_000): Promise<T> {
  const out = pulumi.output(o) as pulumi.Output<T>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const internal = out as any;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`output did not resolve within ${timeoutMs} ms`)), timeoutMs);
    Promise.all([internal.promise(true), internal.isKnown])
      .then(([value, known]: [T, boolean]) => resolve((known ? value : UNKNOWN) as T))
      .catch((e: unknown) => reject(e instanceof Error ? e : new Error(String(e))))
      .finally(() => clearTimeout(timer));
  });
}

/** The plain value of a serialized property: unwraps secret objects (the test decides whether it must be secret). */
export function plain(value: Json | undefined): Json | undefined {
  if (value && typeof value === "object" && !Array.isArray(value) && value[SECRET_SIG] !== undefined) return (value as { value?: Json }).value;
  return value;
}

export function isSecret(value: Json | undefined): boolean {
  return !!value && typeof value === "object" && !Array.isArray(value) && value[SECRET_SIG] !== undefined;
}

/** Parses a JSON-string property (IAM policies, containerDefinitions); throws if it is unknown or secret. */
export function parseJsonProp<T = unknown>(value: Json | undefined): T {
  if (typeof value !== "string" || value === UNKNOWN) throw new Error(`expected a known JSON string, got ${JSON.stringify(value)?.slice(0, 80)}`);
  return JSON.parse(value) as T;
}
