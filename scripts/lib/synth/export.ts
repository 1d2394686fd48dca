/**
 * Turns an offline run into the JSON of `pulumi stack export` (deployment version 3), so the same
 * file can be read by the policy audit, by tests, and by anyone who knows Pulumi's state format.
 * Secret values never reach the file: like real state, they appear as secret objects with ciphertext.
 */
import { CapturedResource, Json, OfflineRun, SECRET_SIG, SECRET_VALUE_SIG } from "../offline/runtime";

export const REDACTED_CIPHERTEXT = "offline-synth:redacted";

export interface ExportedResource {
  urn: string;
  custom: boolean;
  id?: string;
  type: string;
  inputs: Record<string, Json>;
  outputs: Record<string, Json>;
  parent?: string;
  protect?: boolean;
  provider?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
}

export interface StackExport {
  version: 3;
  deployment: {
    manifest: { time: string; magic: string; version: string };
    secrets_providers: { type: string };
    resources: ExportedResource[];
  };
}

/** Replaces every secret's plaintext with ciphertext, as the engine does when it writes state. */
export function redactSecrets(value: Json): Json {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === "object") {
    if (value[SECRET_SIG] === SECRET_VALUE_SIG) return { [SECRET_SIG]: SECRET_VALUE_SIG, ciphertext: REDACTED_CIPHERTEXT };
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v)]));
  }
  return value;
}

function exportResource(r: CapturedResource, redact: boolean): ExportedResource {
  const clean = (o: Record<string, Json>) => (redact ? (redactSecrets(o) as Record<string, Json>) : o);
  return {
    urn: r.urn,
    custom: r.custom,
    ...(r.id ? { id: r.id } : {}),
    type: r.type,
    inputs: clean(r.inputs),
    outputs: clean(r.outputs),
    ...(r.parent ? { parent: r.parent } : {}),
    ...(r.protect ? { protect: true } : {}),
    ...(r.provider ? { provider: r.provider } : {}),
    ...(r.dependencies.length ? { dependencies: r.dependencies } : {}),
    ...(Object.values(r.propertyDependencies).some((d) => d.length) ? { propertyDependencies: r.propertyDependencies } : {}),
  };
}

/**
 * `redact: false` keeps secret plaintext (still marked secret) for in-memory use only — the policy
 * engine receives decrypted secrets from the real engine too. Never write that form to disk.
 */
export function toStackExport(run: OfflineRun, sdkVersion: string, redact = true): StackExport {
  return {
    version: 3,
    deployment: {
      // A fixed time keeps the file byte-identical across runs (diffable, cacheable).
      manifest: { time: "1970-01-01T00:00:00Z", magic: "offline-synth", version: `@pulumi/pulumi ${sdkVersion} (offline synth under mocks)` },
      secrets_providers: { type: "offline-synth" },
      resources: run.resources.map((r) => exportResource(r, redact)),
    },
  };
}

/** Resource counts by top-level component and by type, for the synth summary. */
export function summarize(resources: readonly CapturedResource[]): { byComponent: [string, number][]; byType: [string, number][] } {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const topComponent = (r: CapturedResource): string => {
    let cur = r;
    let top = "(stack)";
    while (cur.parent && byUrn.has(cur.parent)) {
      const parent = byUrn.get(cur.parent)!;
      if (parent.type === "pulumi:pulumi:Stack") break;
      top = `${parent.type} ${parent.name}`;
      cur = parent;
    }
    return top;
  };
  const count = (keys: string[]) =>
    [...keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>())].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const custom = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
  return { byComponent: count(custom.map(topComponent)), byType: count(custom.map((r) => r.type)) };
}
