// Preview semantics of the real analyzer (@pulumi/policy server): resource properties reach a
// policy wrapped in `unknownCheckingProxy`; reading a property whose value is an unknown sentinel
// throws `UnknownValueError`, and the server turns that into an ADVISORY "can't run policy ...
// during preview" diagnostic. A mandatory policy that stumbles on an unknown therefore does not
// block. These helpers let a policy look before it reads, and say explicitly when it cannot decide.
import * as proxyModule from "@pulumi/policy/proxy";

interface ProxyInternals {
  UnknownValueError: new (sentinel: string, props: PropertyKey[]) => Error;
  getSpecialProxyTarget: string;
  unknownStringValue: string;
  unknownBooleanValue: string;
  unknownNumberValue: string;
  unknownArrayValue: string;
  unknownAssetValue: string;
  unknownArchiveValue: string;
  unknownObjectValue: string;
}

// The proxy module's exports are marked @internal (absent from its .d.ts) but are what the server
// itself uses; the same module instance is required here, so `instanceof` checks in the server match.
const internals = proxyModule as unknown as ProxyInternals;

/** The engine's unknown sentinels (it sends the string one for every unknown it marshals). */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  internals.unknownStringValue,
  internals.unknownBooleanValue,
  internals.unknownNumberValue,
  internals.unknownArrayValue,
  internals.unknownAssetValue,
  internals.unknownArchiveValue,
  internals.unknownObjectValue,
]);

/** The sentinel the engine uses for an unknown value ("computed" in `pulumi preview --json` too). */
export const UNKNOWN_SENTINEL = internals.unknownStringValue;

/** True for a raw unknown sentinel. A proxied property can't be tested this way: use `peek`/`isKnown`. */
export function isUnknown(value: unknown): boolean {
  return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/** Returned by `peek` for a property whose value is unknown at preview. */
export const UNKNOWN: unique symbol = Symbol("unknown at preview");

function rawTarget(obj: object): Record<PropertyKey, unknown> {
  const target = (obj as Record<string, unknown>)[internals.getSpecialProxyTarget];
  return (target ?? obj) as Record<PropertyKey, unknown>;
}

/**
 * Reads `obj[key]` without tripping the analyzer's unknown check: returns `UNKNOWN` for an unknown
 * value, else the value exactly as a normal read would (nested objects stay proxied, so later reads
 * of unknowns deeper down are still caught). `obj` may be undefined/null (→ undefined).
 */
export function peek(obj: unknown, key: string | number): unknown {
  if (obj === null || typeof obj !== "object") return undefined;
  if (isUnknown(rawTarget(obj)[key])) return UNKNOWN;
  return (obj as Record<string | number, unknown>)[key];
}

/** True when `obj[key]` is known (present or absent); false when it is unknown at preview. */
export function isKnown(obj: unknown, key: string | number): boolean {
  return peek(obj, key) !== UNKNOWN;
}

/**
 * The standard way to say "this policy cannot decide at preview; it decides at `pulumi up`".
 * The analyzer reports it as an advisory "can't run policy ... during preview: <what> is unknown
 * during preview; decided at `pulumi up`: <why>". At `up` every value is known, so a policy only
 * reaches this during preview. Never returns.
 */
export function decideAtUp(what: string, why: string): never {
  const error = new internals.UnknownValueError(internals.unknownStringValue, [what]);
  error.message = `${what} is unknown during preview; decided at \`pulumi up\`: ${why}`;
  throw error;
}

/** `obj[key]`, or an explicit `decideAtUp` when it is unknown at preview. */
export function requireKnown(obj: unknown, key: string | number, why: string, path?: string): unknown {
  const value = peek(obj, key);
  if (value === UNKNOWN) decideAtUp(path ?? String(key), why);
  return value;
}

/** Marker in messages that the analyzer produced for an undecidable (unknown-at-preview) policy. */
export const UNDECIDABLE_PREFIX = "can't run policy";

/** True for an analyzer diagnostic message that reports a policy it could not run at preview. */
export function isUndecidableMessage(message: string): boolean {
  return message.startsWith(UNDECIDABLE_PREFIX);
}

/**
 * Collects what a STACK policy could not decide, so one unknown value does not abort the whole
 * policy: report every decided violation first, then call `settle()`, which raises one explicit
 * `decideAtUp` naming every gap (violations already reported stay reported).
 */
export class PreviewGaps {
  private readonly gaps: string[] = [];

  add(what: string): void {
    this.gaps.push(what);
  }

  get size(): number {
    return this.gaps.length;
  }

  settle(why: string): void {
    if (this.gaps.length > 0) decideAtUp(this.gaps.join(", "), why);
  }
}
