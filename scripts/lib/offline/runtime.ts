/**
 * Runs a Pulumi program in-process under the SDK's mock monitor and records every registration the
 * way the engine would store it: serialized inputs and outputs (secrets as secret objects, unknowns
 * as the engine's sentinel), parent, protect, provider and dependencies. Each run gets its own SDK
 * store (the mechanism inline Automation API programs use), so one process can run many programs.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CallRecord, createMocks, providerId } from "./mocks";

// Internal SDK modules, used deliberately: they are how the SDK's own tests and the Automation API
// isolate runs and wait for outstanding registrations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const state = require("@pulumi/pulumi/runtime/state");

export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_VALUE_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const RESOURCE_REF_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface CapturedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  id?: string;
  parent?: string;
  protect: boolean;
  provider?: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  /** Serialized as the engine stores them: secrets as {sig, value}, unknowns as the UNKNOWN sentinel. */
  inputs: Record<string, Json>;
  outputs: Record<string, Json>;
}

export interface OfflineRunOptions {
  project: string;
  stack: string;
  /** Full keys (`catalyst:domain`, `aws:region`) to string values, as `pulumi config` holds them. */
  config: Record<string, string>;
  secretKeys?: string[];
  preview?: boolean;
  /** The program; its resolved return value becomes the stack's outputs. */
  program: () => Promise<Record<string, unknown> | void>;
}

export interface OfflineRun {
  resources: CapturedResource[];
  /** Stack outputs as the engine serializes them (secret outputs stay secret objects). */
  stackOutputs: Record<string, Json>;
  /** Provider functions the program called that the mocks do not know (a test should fail on these). */
  unknownCalls: string[];
}

/** Resource references become what the engine stores for them: the id of a custom resource, else its URN. */
function normalize(value: unknown): Json {
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SECRET_SIG] === RESOURCE_REF_SIG) return (obj.id as string | undefined) || (obj.urn as string);
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, normalize(v)]));
  }
  return value as Json;
}

function structToJson(struct: { toJavaScript(): unknown } | undefined): Record<string, Json> {
  return struct ? (normalize(struct.toJavaScript()) as Record<string, Json>) : {};
}

function packageVersion(pkg: string): string {
  const file = path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "..", pkg, "package.json");
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version : "0.0.0";
}

/** The default provider the engine would create for a package, and the reference resources hold to it. */
function defaultProvider(project: string, stack: string, pkg: string, config: Record<string, string>): CapturedResource {
  const version = packageVersion(pkg);
  const type = `pulumi:providers:${pkg}`;
  const name = `default_${version.replace(/\./g, "_")}`;
  const inputs = Object.fromEntries(
    Object.entries(config)
      .filter(([k]) => k.startsWith(`${pkg}:`))
      .map(([k, v]) => [k.slice(pkg.length + 1), v]),
  );
  return {
    urn: `urn:pulumi:${stack}::${project}::${type}::${name}`,
    type,
    name,
    custom: true,
    id: providerId(type, name),
    protect: false,
    dependencies: [],
    propertyDependencies: {},
    inputs: { ...inputs, version },
    outputs: { ...inputs, version },
  };
}

interface MonitorRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProtect(): boolean | undefined;
  getProvider(): string;
  getDependenciesList(): string[];
  getObject(): { toJavaScript(): unknown } | undefined;
  getPropertydependenciesMap(): { forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void };
  getAdditionalsecretoutputsList(): string[];
  getUrn(): string;
  getOutputs(): { toJavaScript(): unknown } | undefined;
}
interface MonitorResponse {
  getUrn(): string;
  getId(): string;
  getObject(): { toJavaScript(): unknown } | undefined;
}
type Callback = (err: Error | null, resp?: MonitorResponse) => void;

/** Wraps the mock monitor so each registration is recorded as the engine would see it. */
function recordRegistrations(
  monitor: Record<string, (req: MonitorRequest, cb: Callback) => unknown>,
  byUrn: Map<string, CapturedResource>,
  errors: Error[],
  record: CallRecord,
): void {
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    record.secretOutputs = req.getAdditionalsecretoutputsList();
    return register(req, (err, resp) => {
      if (err || !resp) {
        errors.push(err ?? new Error(`registration of ${req.getType()} ${req.getName()} failed`));
      } else {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((v, k) => (propertyDependencies[k] = v.getUrnsList()));
        const inputs = structToJson(req.getObject());
        byUrn.set(resp.getUrn(), {
          urn: resp.getUrn(),
          type: req.getType(),
          name: req.getName(),
          custom: req.getCustom(),
          id: resp.getId() || undefined,
          parent: req.getParent() || undefined,
          protect: req.getProtect() === true,
          provider: req.getProvider() || undefined,
          dependencies: req.getDependenciesList(),
          propertyDependencies,
          inputs,
          // Engine state carries a custom resource's id among its outputs too.
          outputs: req.getCustom() ? { ...(resp.getId() ? { id: resp.getId() } : {}), ...structToJson(resp.getObject()) } : {},
        });
      }
      cb(err, resp);
    });
  };
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, cb) => {
    const captured = byUrn.get(req.getUrn());
    if (captured) captured.outputs = structToJson(req.getOutputs());
    return registerOutputs(req, cb);
  };
}

/**
 * The SDK's mock monitor names resources its own way (a `pulumi:pulumi:Stack$` prefix on top-level
 * children, only the last parent type for nested ones). The engine qualifies a child's type with the
 * full chain of its parents' types, the root stack excluded (`createUrn` in @pulumi/pulumi). Rewrites
 * every URN — and every reference to one — to the engine's form, so URNs from a synth work with the
 * real CLI (`--target`, `--exclude`, `state delete`, `import --parent`).
 */
function withEngineUrns(resources: CapturedResource[], project: string, stack: string): CapturedResource[] {
  const byMockUrn = new Map(resources.map((r) => [r.urn, r]));
  const engineUrn = new Map<string, string>();
  const urnOf = (r: CapturedResource): string => {
    const known = engineUrn.get(r.urn);
    if (known) return known;
    const parent = r.parent ? byMockUrn.get(r.parent) : undefined;
    const chain = parent && parent.type !== "pulumi:pulumi:Stack" ? `${urnOf(parent).split("::")[2]}$${r.type}` : r.type;
    const urn = `urn:pulumi:${stack}::${project}::${chain}::${r.name}`;
    engineUrn.set(r.urn, urn);
    return urn;
  };
  resources.forEach(urnOf);
  const remap = (urn: string) => engineUrn.get(urn) ?? urn;
  const remapRef = (ref: string) => {
    const i = ref.lastIndexOf("::");
    return engineUrn.has(ref.slice(0, i)) ? `${remap(ref.slice(0, i))}${ref.slice(i)}` : ref;
  };
  const remapValues = (v: Json): Json =>
    typeof v === "string"
      ? remap(v)
      : Array.isArray(v)
        ? v.map(remapValues)
        : v && typeof v === "object"
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, remapValues(x)]))
          : v;
  return resources.map((r) => ({
    ...r,
    urn: remap(r.urn),
    parent: r.parent && remap(r.parent),
    provider: r.provider && remapRef(r.provider),
    dependencies: r.dependencies.map(remap),
    propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, urns]) => [k, urns.map(remap)])),
    inputs: remapValues(r.inputs) as Record<string, Json>,
    outputs: remapValues(r.outputs) as Record<string, Json>,
  }));
}

export async function runOffline(opts: OfflineRunOptions): Promise<OfflineRun> {
  const region = opts.config["aws:region"] ?? "us-east-1";
  const record: CallRecord = { unknownTokens: new Set<string>() };
  const byUrn = new Map<string, CapturedResource>();
  const errors: Error[] = [];
  let programError: unknown;

  await state.withLocalStorage(async () => {
    pulumi.runtime.setAllConfig(opts.config, opts.secretKeys);
    await pulumi.runtime.setMocks(createMocks({ region, preview: opts.preview === true }, record), opts.project, opts.stack, opts.preview === true);
    recordRegistrations(settings.getMonitor(), byUrn, errors, record);
    // A program error is kept and rethrown after the run has settled: a rejection inside the Stack
    // resource would otherwise surface as an unhandled rejection and kill the process (or jest worker).
    await pulumi.runtime.runInPulumiStack(async () => {
      try {
        return (await opts.program()) ?? {};
      } catch (e) {
        programError = e;
        return {};
      }
    });
    await settings.waitForRPCs();
  });
  if (programError !== undefined) throw programError;
  if (errors.length) throw new Error(`registration failed: ${errors.map((e) => e.message).join("; ")}`);

  const resources = withEngineUrns([...byUrn.values()], opts.project, opts.stack);
  const defaults = new Map<string, CapturedResource>();
  for (const r of resources) {
    if (!r.custom || r.provider || r.type.startsWith("pulumi:providers:")) continue;
    const pkg = r.type.split(":")[0];
    if (!defaults.has(pkg)) defaults.set(pkg, defaultProvider(opts.project, opts.stack, pkg, opts.config));
    const p = defaults.get(pkg)!;
    r.provider = `${p.urn}::${p.id}`;
  }
  const stackResource = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  // The stack's outputs as the engine records them (serialized, secrets kept secret).
  const serializedOutputs = stackResource?.outputs ?? {};
  return {
    resources: stackResource ? [stackResource, ...defaults.values(), ...resources.filter((r) => r !== stackResource)] : [...defaults.values(), ...resources],
    stackOutputs: serializedOutputs,
    unknownCalls: [...record.unknownTokens].sort(),
  };
}
