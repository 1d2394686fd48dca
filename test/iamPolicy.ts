/**
 * A small IAM policy evaluator for tests: does this identity policy allow this request? It follows
 * IAM's rules for what the project's documents use (Action/Resource wildcards, explicit deny wins,
 * the String/Arn condition operators, ForAnyValue, missing keys) and throws on anything else, so a
 * document that outgrows it fails loudly instead of being judged wrongly.
 */
import type * as aws from "@pulumi/aws";

export type Decision = "allow" | "deny" | "implicit-deny";

export interface IamRequest {
  action: string;
  resource: string;
  /** Request context keys (`aws:RequestedRegion`, `iam:PassedToService`, ...). */
  context?: Record<string, string | string[]>;
}

type Statement = aws.iam.PolicyStatement & Record<string, unknown>;
type Values = string | string[] | undefined;

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** IAM wildcards: `*` any run of characters, `?` one character; everything else literal. */
export function iamGlob(pattern: string, value: string, caseInsensitive = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, caseInsensitive ? "i" : "").test(value);
}

function expand(pattern: string, ctx: Record<string, string | string[]>): string {
  return pattern.replace(/\$\{([^}]+)\}/g, (_, key: string) => {
    const v = ctx[key];
    if (typeof v !== "string") throw new Error(`policy variable \${${key}} is not in the request context`);
    return v;
  });
}

const OPERATORS: Record<string, (expected: string, actual: string) => boolean> = {
  StringEquals: (e, a) => e === a,
  StringLike: (e, a) => iamGlob(e, a),
  ArnEquals: (e, a) => e === a,
  ArnLike: (e, a) => iamGlob(e, a),
};
const NEGATED: Record<string, string> = { StringNotEquals: "StringEquals", StringNotLike: "StringLike", ArnNotEquals: "ArnEquals", ArnNotLike: "ArnLike" };

function conditionHolds(operator: string, key: string, expectedRaw: Values, ctx: Record<string, string | string[]>): boolean {
  const [qualifier, op] = operator.includes(":") ? operator.split(":") : ["", operator];
  const negatedBase = NEGATED[op];
  const base = negatedBase ?? op;
  const test = OPERATORS[base];
  if (!test) throw new Error(`condition operator ${operator} is not supported by the test evaluator`);
  const expected = list(expectedRaw).map((e) => expand(e, ctx));
  const actual = ctx[key];
  const values = list(actual);
  const matchesAny = (a: string) => expected.some((e) => test(e, a));
  let result: boolean;
  if (qualifier === "ForAnyValue") result = values.some(matchesAny);
  else if (qualifier === "ForAllValues") result = values.every(matchesAny);
  else if (qualifier === "") {
    if (Array.isArray(actual)) throw new Error(`condition key ${key} is multivalued: use ForAnyValue/ForAllValues`);
    // A missing key fails a positive operator; a negated one is then true (IAM semantics).
    if (actual === undefined) return negatedBase !== undefined;
    result = matchesAny(actual);
  } else throw new Error(`condition qualifier ${qualifier} is not supported by the test evaluator`);
  return negatedBase ? !result : result;
}

function statementApplies(s: Statement, req: IamRequest): boolean {
  for (const unsupported of ["NotAction", "NotResource", "NotPrincipal", "Principal"]) {
    if (s[unsupported] !== undefined) throw new Error(`${unsupported} is not supported by the test evaluator (identity policies only)`);
  }
  const ctx = req.context ?? {};
  if (!list(s.Action).some((a) => iamGlob(a, req.action, true))) return false;
  if (!list(s.Resource).some((r) => iamGlob(expand(r, ctx), req.resource))) return false;
  const conditions = (s.Condition ?? {}) as Record<string, Record<string, Values>>;
  return Object.entries(conditions).every(([operator, keys]) => Object.entries(keys).every(([key, expected]) => conditionHolds(operator, key, expected, ctx)));
}

/** The decision of one identity policy for one request: an explicit deny wins over any allow. */
export function evaluate(doc: aws.iam.PolicyDocument, req: IamRequest): Decision {
  const applicable = (doc.Statement as Statement[]).filter((s) => statementApplies(s, req));
  if (applicable.some((s) => s.Effect === "Deny")) return "deny";
  return applicable.some((s) => s.Effect === "Allow") ? "allow" : "implicit-deny";
}

/** Sids of the statements that allow the request (to show which grant covers it). */
export function allowingSids(doc: aws.iam.PolicyDocument, req: IamRequest): string[] {
  return (doc.Statement as Statement[]).filter((s) => s.Effect === "Allow" && statementApplies(s, req)).map((s) => String(s.Sid ?? "(no sid)"));
}
