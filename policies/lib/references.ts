// Which resource of the stack another one points at. At preview the ids and ARNs a program passes
// between resources are unknown, so the engine's property dependencies are the only evidence; at
// `pulumi up` (and in exported state) the output values are known too, so a literal id or ARN that
// equals another resource's output also counts.
import { PolicyResource } from "@pulumi/policy";
import { peek, UNKNOWN } from "./preview";
import { keysOf } from "./resources";

/** `from` takes `property` from `to` (an output of `to` flows into that input of `from`). */
export function dependsThrough(from: PolicyResource, property: string, to: PolicyResource): boolean {
  return (from.propertyDependencies[property] ?? []).some((r) => r.urn === to.urn);
}

/** Known, non-empty strings of a string or string-array property; unknown elements are skipped. */
export function knownStrings(value: unknown): string[] {
  if (typeof value === "string") return value ? [value] : [];
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const element = peek(value, i);
    if (typeof element === "string" && element) out.push(element);
  }
  return out;
}

/** `to.props[output]` when it is a known, non-empty string. */
export function knownOutput(to: PolicyResource, output: string): string | undefined {
  const value = peek(to.props, output);
  return typeof value === "string" && value ? value : undefined;
}

/**
 * `from.props[property]` (a string or a list of strings) names `to`: through a property dependency,
 * or because it holds `to`'s `output` (e.g. "id", "arn") literally.
 */
export function refersTo(from: PolicyResource, property: string, to: PolicyResource, output: string): boolean {
  if (dependsThrough(from, property, to)) return true;
  const target = knownOutput(to, output);
  return target !== undefined && knownStrings(peek(from.props, property)).includes(target);
}

/** True when `value` (possibly proxied) contains the string `needle` anywhere; unknown parts are skipped. */
export function containsString(value: unknown, needle: string): boolean {
  if (value === UNKNOWN) return false;
  if (typeof value === "string") return value === needle;
  if (value === null || typeof value !== "object") return false;
  return keysOf(value).some((key) => containsString(peek(value, key), needle));
}
