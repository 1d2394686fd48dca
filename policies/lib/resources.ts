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
