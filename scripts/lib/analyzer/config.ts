// Policy pack configuration as the Pulumi CLI resolves it for `--policy-pack-config <file>` before
// calling the analyzer's Configure: every policy gets an enforcement level (policy-specific entry,
// else the "all" entry, else the pack's initial config, else the policy's own level) and its
// properties (schema defaults < initial config < file), validated against the policy's schema
// (the server does not validate; the CLI does, with full JSON Schema: types, enums, bounds).
import type { EnforcementLevel } from "./diagnostics";

/** The JSON of a `--policy-pack-config` file: `{ "<policy>|all": level | { enforcementLevel?, ...props } }`. */
export type PolicyPackConfigFile = Record<string, unknown>;

export interface JsonSchemaLite {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  items?: JsonSchemaLite;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

export interface PolicyDescriptor {
  name: string;
  level: EnforcementLevel;
  schema?: { properties?: Record<string, JsonSchemaLite>; required?: string[] };
}

export interface ResolvedPolicyConfig {
  level: EnforcementLevel;
  properties: Record<string, unknown>;
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

interface Entry {
  level?: EnforcementLevel;
  properties: Record<string, unknown>;
}

function parseEntry(key: string, value: unknown, errors: string[]): Entry {
  if (typeof value === "string") {
    if (!LEVELS.includes(value as EnforcementLevel)) errors.push(`${key}: invalid enforcement level "${value}"`);
    return { level: value as EnforcementLevel, properties: {} };
  }
  if (!isRecord(value)) {
    errors.push(`${key}: expected an enforcement level or an object`);
    return { properties: {} };
  }
  const { enforcementLevel, ...properties } = value;
  if (enforcementLevel !== undefined && !LEVELS.includes(enforcementLevel as EnforcementLevel)) {
    errors.push(`${key}: invalid enforcement level ${JSON.stringify(enforcementLevel)}`);
  }
  return { level: enforcementLevel as EnforcementLevel | undefined, properties };
}

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function matchesType(v: unknown, type: string | string[] | undefined): boolean {
  if (type === undefined) return true;
  const actual = typeOf(v);
  return (Array.isArray(type) ? type : [type]).some((t) => t === actual || (t === "number" && actual === "integer"));
}

/** Problems of one value against its schema (the subset of JSON Schema the pack's policies use). */
function valueProblems(value: unknown, s: JsonSchemaLite, path: string): string[] {
  if (!matchesType(value, s.type)) return [`${path}: expected ${String(s.type)}, got ${typeOf(value)}`];
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    return [`${path}: must be one of ${s.enum.map((e) => JSON.stringify(e)).join(", ")}`];
  }
  const problems: string[] = [];
  // A bound the CLI enforces is part of the policy's contract: e.g. minimumDays 0 would let a policy pass anything.
  if (typeof value === "number") {
    if (s.minimum !== undefined && value < s.minimum) problems.push(`${path}: must be at least ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) problems.push(`${path}: must be at most ${s.maximum}`);
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) problems.push(`${path}: must have at least ${s.minItems} item(s)`);
    if (s.maxItems !== undefined && value.length > s.maxItems) problems.push(`${path}: must have at most ${s.maxItems} item(s)`);
    const items = s.items;
    if (items) value.forEach((item, i) => problems.push(...valueProblems(item, items, `${path}[${i}]`)));
  }
  return problems;
}

function validate(policy: PolicyDescriptor, properties: Record<string, unknown>, errors: string[]): void {
  const schema = policy.schema?.properties ?? {};
  for (const name of policy.schema?.required ?? []) {
    if (properties[name] === undefined) errors.push(`${policy.name}: missing required property "${name}"`);
  }
  for (const [name, value] of Object.entries(properties)) {
    const s = schema[name];
    if (s) errors.push(...valueProblems(value, s, `${policy.name}.${name}`));
  }
}

function schemaDefaults(policy: PolicyDescriptor): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(policy.schema?.properties ?? {})) {
    if (s.default !== undefined) out[name] = s.default;
  }
  return out;
}

/** Resolves every policy's config; throws one error listing every problem. */
export function resolvePolicyConfig(
  policies: readonly PolicyDescriptor[],
  initial: PolicyPackConfigFile,
  file: PolicyPackConfigFile,
): Map<string, ResolvedPolicyConfig> {
  const errors: string[] = [];
  const names = new Set(policies.map((p) => p.name));
  for (const key of Object.keys(file)) {
    if (key !== "all" && !names.has(key)) errors.push(`${key}: no policy of that name in the pack`);
  }
  const all = file.all === undefined ? undefined : parseEntry("all", file.all, errors);
  if (all && Object.keys(all.properties).length > 0) errors.push(`all: only an enforcement level can be set for every policy`);
  const resolved = new Map<string, ResolvedPolicyConfig>();
  for (const p of policies) {
    const init = initial[p.name] === undefined ? undefined : parseEntry(p.name, initial[p.name], errors);
    const own = file[p.name] === undefined ? undefined : parseEntry(p.name, file[p.name], errors);
    const properties = { ...schemaDefaults(p), ...init?.properties, ...own?.properties };
    validate(p, properties, errors);
    resolved.set(p.name, { level: own?.level ?? all?.level ?? init?.level ?? p.level, properties });
  }
  if (errors.length > 0) throw new PolicyConfigError(errors);
  return resolved;
}

export class PolicyConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid policy pack config:\n  ${problems.join("\n  ")}`);
  }
}
