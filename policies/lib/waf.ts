// A small evaluator of WAFv2 match statements (pulumi-aws v7 shape) against a concrete request, so a
// policy can ask "does this scope-down statement match POST /api/auth/sign-in/email?" instead of
// grepping search strings. Three-valued: a statement it cannot model (header, IP set, geo, ...) is
// "undetermined" rather than guessed, and a value unknown at preview is "unknown".
import { keysOf } from "./resources";
import { peek, UNKNOWN } from "./preview";

export interface ProbeRequest {
  uriPath: string;
  method: string;
}

export type Verdict = true | false | { undetermined: string } | { unknown: string };

const isUnknownVerdict = (v: Verdict): v is { unknown: string } => typeof v === "object" && "unknown" in v;
const isUndetermined = (v: Verdict): v is { undetermined: string } => typeof v === "object" && "undetermined" in v;

/** The first unknown, else the first undetermined, else undefined. */
function firstOpen(verdicts: Verdict[]): Verdict | undefined {
  return verdicts.find(isUnknownVerdict) ?? verdicts.find(isUndetermined);
}

function and(verdicts: Verdict[]): Verdict {
  if (verdicts.includes(false)) return false;
  return firstOpen(verdicts) ?? true;
}

function or(verdicts: Verdict[]): Verdict {
  if (verdicts.includes(true)) return true;
  return firstOpen(verdicts) ?? false;
}

function not(verdict: Verdict): Verdict {
  return typeof verdict === "boolean" ? !verdict : verdict;
}

// Transformations that leave a plain lower-case ASCII path unchanged (the probes are such paths).
const IDENTITY_ON_PROBES = [
  "NONE",
  "NORMALIZE_PATH",
  "NORMALIZE_PATH_WIN",
  "COMPRESS_WHITE_SPACE",
  "REMOVE_NULLS",
  "REPLACE_NULLS",
  "HTML_ENTITY_DECODE",
  "JS_DECODE",
  "CSS_DECODE",
  "ESCAPE_SEQ_DECODE",
  "REPLACE_COMMENTS",
  "UTF8_TO_UNICODE",
];

function transform(value: string, type: string): string | undefined {
  if (IDENTITY_ON_PROBES.includes(type)) return value;
  if (type === "LOWERCASE" || type === "CMD_LINE") return value.toLowerCase();
  if (type === "URL_DECODE" || type === "URL_DECODE_UNI") {
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}

type Read = { value: unknown } | { unknown: string };

function read(obj: unknown, key: string, path: string): Read {
  const value = peek(obj, key);
  return value === UNKNOWN ? { unknown: `${path}.${key}` } : { value };
}

function field(statement: unknown, request: ProbeRequest, path: string): string | Exclude<Verdict, boolean> {
  const f = read(statement, "fieldToMatch", path);
  if ("unknown" in f) return f;
  const keys = keysOf(f.value).filter((k) => peek(f.value, k) !== undefined);
  if (keys.length === 1 && keys[0] === "uriPath") return request.uriPath;
  if (keys.length === 1 && keys[0] === "method") return request.method;
  return { undetermined: `${path} matches ${keys.join(", ") || "no field"}, not the URI path or method` };
}

function transformed(statement: unknown, input: string, path: string): string | Exclude<Verdict, boolean> {
  const list = read(statement, "textTransformations", path);
  if ("unknown" in list) return list;
  const items = Array.isArray(list.value) ? list.value.map((_, i) => peek(list.value, i)) : [];
  if (items.includes(UNKNOWN)) return { unknown: `${path}.textTransformations` };
  const ordered = [...items].sort((a, b) => Number(peek(a, "priority") ?? 0) - Number(peek(b, "priority") ?? 0));
  let value = input;
  for (const t of ordered) {
    const type = String(peek(t, "type"));
    const next = transform(value, type);
    if (next === undefined) return { undetermined: `${path} uses text transformation ${type}` };
    value = next;
  }
  return value;
}

const WORD = /[A-Za-z0-9_]/;

function positional(value: string, search: string, constraint: string): boolean | undefined {
  switch (constraint) {
    case "EXACTLY":
      return value === search;
    case "STARTS_WITH":
      return value.startsWith(search);
    case "ENDS_WITH":
      return value.endsWith(search);
    case "CONTAINS":
      return value.includes(search);
    case "CONTAINS_WORD":
      for (let at = value.indexOf(search); at >= 0; at = value.indexOf(search, at + 1)) {
        const before = value[at - 1];
        const after = value[at + search.length];
        if ((!before || !WORD.test(before)) && (!after || !WORD.test(after))) return true;
      }
      return false;
    default:
      return undefined;
  }
}

function byteMatch(statement: unknown, request: ProbeRequest, path: string): Verdict {
  const input = field(statement, request, path);
  if (typeof input !== "string") return input;
  const value = transformed(statement, input, path);
  if (typeof value !== "string") return value;
  const search = read(statement, "searchString", path);
  const constraint = read(statement, "positionalConstraint", path);
  if ("unknown" in search) return search;
  if ("unknown" in constraint) return constraint;
  const result = positional(value, String(search.value), String(constraint.value));
  return result ?? { undetermined: `${path} uses positional constraint ${String(constraint.value)}` };
}

function regexMatch(statement: unknown, request: ProbeRequest, path: string): Verdict {
  const input = field(statement, request, path);
  if (typeof input !== "string") return input;
  const value = transformed(statement, input, path);
  if (typeof value !== "string") return value;
  const regex = read(statement, "regexString", path);
  if ("unknown" in regex) return regex;
  try {
    // WAF uses PCRE; the simple path patterns this is meant for behave the same in JavaScript.
    return new RegExp(String(regex.value)).test(value);
  } catch {
    return { undetermined: `${path}.regexString is not a pattern this policy can evaluate` };
  }
}

function nested(statement: unknown, path: string, request: ProbeRequest): Verdict[] | { unknown: string } {
  const list = read(statement, "statements", path);
  if ("unknown" in list) return list;
  const items = Array.isArray(list.value) ? list.value : [];
  return items.map((_, i) => evaluateStatement(peek(list.value, i), request, `${path}.statements[${i}]`));
}

/** Evaluates a WAFv2 statement against `request`. An absent statement matches everything. */
export function evaluateStatement(statement: unknown, request: ProbeRequest, path: string): Verdict {
  if (statement === UNKNOWN) return { unknown: path };
  if (statement === undefined || statement === null) return true;
  const kinds = keysOf(statement).filter((k) => peek(statement, k) !== undefined);
  if (kinds.length !== 1) return { undetermined: `${path} has ${kinds.length} statement kinds` };
  const kind = kinds[0];
  const inner = peek(statement, kind);
  const at = `${path}.${kind}`;
  if (inner === UNKNOWN) return { unknown: at };
  switch (kind) {
    case "byteMatchStatement":
      return byteMatch(inner, request, at);
    case "regexMatchStatement":
      return regexMatch(inner, request, at);
    case "andStatement":
    case "orStatement": {
      const verdicts = nested(inner, at, request);
      if (!Array.isArray(verdicts)) return verdicts;
      return kind === "andStatement" ? and(verdicts) : or(verdicts);
    }
    case "notStatement":
      return peek(inner, "statement") === undefined
        ? { undetermined: `${at} has no statement` }
        : not(evaluateStatement(peek(inner, "statement"), request, `${at}.statement`));
    default:
      return { undetermined: `${at} is not modelled (only byte/regex matches on the URI path or method, and/or/not)` };
  }
}
