import { PolicyResource } from "@pulumi/policy";
import { peek, UNKNOWN } from "./preview";

/** Resources of one type token, in stack order. */
export function ofType(resources: readonly PolicyResource[], type: string): PolicyResource[] {
  return resources.filter((r) => r.type === type);
}

/** Resources by URN. */
export function byUrn(resources: readonly PolicyResource[]): Map<string, PolicyResource> {
  return new Map(resources.map((r) => [r.urn, r]));
}

/**
 * Property keys of a (possibly proxied) object without reading values, so an unknown value does
 * not throw; pair with `peek` to test each value.
 */
export function keysOf(obj: unknown): string[] {
  return obj !== null && typeof obj === "object" ? Object.keys(obj) : [];
}

/** Known string values of a map-like property (e.g. `tags`); unknown entries are reported apart. */
export function stringEntries(obj: unknown): { known: [string, string][]; unknown: string[] } {
  const known: [string, string][] = [];
  const unknown: string[] = [];
  for (const key of keysOf(obj)) {
    const value = peek(obj, key);
    if (value === UNKNOWN) unknown.push(key);
    else if (typeof value === "string") known.push([key, value]);
  }
  return { known, unknown };
}

/**
 * The resources a property refers to, as the engine records them (propertyDependencies). Known at
 * preview even when the referenced ids are not, so stack policies can follow references decisively.
 */
export function referencedBy(resource: PolicyResource, property: string, type?: string | readonly string[]): PolicyResource[] {
  const deps = resource.propertyDependencies[property] ?? [];
  if (type === undefined) return deps;
  const types = typeof type === "string" ? [type] : type;
  return deps.filter((d) => types.includes(d.type));
}

/**
 * Resolves a reference property to resources of `type`: through propertyDependencies when the
 * program passed an output, else by matching the property's known value against `keys` of the
 * candidates (e.g. id, name, arn). `undefined` means the value is unknown and no dependency says
 * which resource it is (undecidable at preview); `[]` means it names nothing in the stack.
 */
export function resolveReference(
  resource: PolicyResource,
  property: string,
  candidates: readonly PolicyResource[],
  keys: readonly string[] = ["id", "name", "arn"],
): PolicyResource[] | undefined {
  const types = new Set(candidates.map((c) => c.type));
  const viaDeps = referencedBy(resource, property).filter((d) => types.has(d.type));
  // A dependency on a resource of the candidates' type decides it, even when it is another one.
  if (viaDeps.length > 0) return candidates.filter((c) => viaDeps.some((d) => d.urn === c.urn));
  const value = peek(resource.props, property);
  if (value === UNKNOWN) return undefined;
  const wanted = Array.isArray(value) ? value : [value];
  const known = wanted.filter((w): w is string => typeof w === "string" && w !== "");
  return candidates.filter((c) =>
    keys.some((k) => {
      const v = peek(c.props, k);
      return typeof v === "string" && known.includes(v);
    }),
  );
}
