// Pulumi's property-value wire format (sdk/nodejs/runtime/rpc.ts, sdk/go/common/resource/plugin/rpc.go).
// Duplicated here as plain constants so the analyzer client does not load the whole Pulumi runtime;
// wire.test.ts pins them to @pulumi/pulumi's own values.
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
/** The engine's unknown ("computed") sentinel, as it appears in exports, previews and on the wire. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A secret as the engine stores it: with a plaintext value, or encrypted (ciphertext). */
export function isSecretValue(value: unknown): value is Obj {
  return isObject(value) && value[SIG_KEY] === SECRET_SIG;
}

function secretPlaintext(secret: Obj): { known: true; value: unknown } | { known: false } {
  if ("value" in secret) return { known: true, value: secret.value };
  // `pulumi stack export --show-secrets` writes the plaintext as a JSON-encoded string.
  if (typeof secret.plaintext === "string") return { known: true, value: JSON.parse(secret.plaintext) };
  return { known: false };
}

function wrapSecret(value: Json): Json {
  return { [SIG_KEY]: SECRET_SIG, value };
}

function marshalSpecial(value: Obj): Json {
  switch (value[SIG_KEY]) {
    case SECRET_SIG: {
      const plain = secretPlaintext(value);
      // An encrypted secret cannot be read offline: it must stay undecidable, never compliant.
      return wrapSecret(plain.known ? (marshalValue(plain.value) ?? null) : UNKNOWN_VALUE);
    }
    case ASSET_SIG:
    case ARCHIVE_SIG: {
      const hasContent = ["path", "text", "uri", "assets"].some((k) => value[k] !== undefined);
      return hasContent ? (marshalObject(value, false) as Json) : UNKNOWN_VALUE;
    }
    case RESOURCE_SIG:
      // The engine sends references to the analyzer as plain values (KeepResources=false):
      // a custom resource's id, or a component's URN.
      return "id" in value ? (marshalValue(value.id) ?? UNKNOWN_VALUE) : (marshalValue(value.urn) ?? UNKNOWN_VALUE);
    case OUTPUT_VALUE_SIG: {
      const inner = "value" in value ? (marshalValue(value.value) ?? null) : UNKNOWN_VALUE;
      return value.secret === true ? wrapSecret(inner) : inner;
    }
    default:
      throw new Error(`unrecognized property signature ${JSON.stringify(value[SIG_KEY])}`);
  }
}

// SkipInternalKeys: the engine drops keys starting with "__" (e.g. the bridge's `__defaults`).
function marshalObject(value: Obj, skipInternal: boolean): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [key, v] of Object.entries(value)) {
    if (skipInternal && key.startsWith("__")) continue;
    const m = marshalValue(v);
    if (m !== undefined) out[key] = m;
  }
  return out;
}

/**
 * A state/preview JSON value as the engine marshals it for the analyzer
 * (KeepUnknowns, KeepSecrets, SkipInternalKeys; resource references and output values flattened).
 * `undefined` means "absent" and is dropped by the caller.
 */
export function marshalValue(value: unknown): Json | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map((v) => marshalValue(v) ?? null);
  if (isObject(value)) return SIG_KEY in value ? marshalSpecial(value) : marshalObject(value, true);
  throw new Error(`cannot marshal a ${typeof value} property value`);
}

/** A property map as the engine marshals it for Analyze/AnalyzeStack. */
export function marshalProperties(props: unknown): { [key: string]: Json } {
  return isObject(props) ? marshalObject(props, true) : {};
}
