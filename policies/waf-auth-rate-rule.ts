import { catalystResourcePolicy, decideAtUp, forTypes, peek, UNKNOWN } from "./lib";
import { evaluateStatement, ProbeRequest, Verdict } from "./lib/waf";

/** Better Auth's credential sign-in endpoint, for the frontend and for the agent served under /agent. */
export const DEFAULT_SIGN_IN_PATHS = ["/api/auth/sign-in/email", "/agent/api/auth/sign-in/email"];
/** Highest accepted request limit per evaluation window (WAF's lowest is 10; the stack uses 10 per 600 s). */
export const DEFAULT_MAX_LIMIT = 100;

interface Config {
  maxLimit?: number;
  signInPaths?: string[];
}

interface RuleOutcome {
  name: string;
  /** WAF evaluates rules by ascending priority; UNKNOWN when not known at preview. */
  priority: number | typeof UNKNOWN;
  /** Why the rule cannot count, if it cannot. */
  problem?: string;
  /** Per probe path: does the rule's scope-down statement match it? */
  covers: Map<string, Verdict>;
}

interface AllowRule {
  name: string;
  priority: number | typeof UNKNOWN;
  statement: unknown;
  path: string;
}

function priorityOf(rule: unknown): number | typeof UNKNOWN {
  const priority = peek(rule, "priority");
  return priority === UNKNOWN ? UNKNOWN : Number(priority ?? 0);
}

/** `unreadable` collects rules that may be rate-based but are unknown at preview. */
function ruleOutcome(rule: unknown, index: number, probes: ProbeRequest[], maxLimit: number, unknown: string[], unreadable: string[]): RuleOutcome | undefined {
  const path = `rules[${index}]`;
  if (rule === UNKNOWN) {
    unreadable.push(path);
    return undefined;
  }
  const statement = peek(rule, "statement");
  if (statement === UNKNOWN) {
    unreadable.push(`${path}.statement`);
    return undefined;
  }
  const name = String(peek(rule, "name") ?? path);
  const rate = peek(statement, "rateBasedStatement");
  if (rate === undefined) return undefined;
  if (rate === UNKNOWN) {
    unreadable.push(`${path}.statement.rateBasedStatement`);
    return undefined;
  }
  const outcome: RuleOutcome = { name, priority: priorityOf(rule), covers: new Map() };
  const block = peek(peek(rule, "action"), "block");
  const limit = peek(rate, "limit");
  if (block === UNKNOWN || limit === UNKNOWN) unknown.push(`${path} action/limit`);
  else if (block === undefined || block === null) outcome.problem = "its action is not block";
  else if (typeof limit !== "number" || limit > maxLimit) outcome.problem = `its limit ${String(limit)} exceeds ${maxLimit}`;
  for (const probe of probes) {
    outcome.covers.set(probe.uriPath, evaluateStatement(peek(rate, "scopeDownStatement"), probe, `${path}.scopeDownStatement`));
  }
  return outcome;
}

/** Rules whose action is allow: a match ends WAF's evaluation, so rules after them never see the request. */
function allowRules(rules: unknown, count: number, unknown: string[]): AllowRule[] {
  const out: AllowRule[] = [];
  for (let i = 0; i < count; i++) {
    const rule = peek(rules, i);
    if (rule === UNKNOWN) continue; // reported by ruleOutcome
    const action = peek(rule, "action");
    const allow = peek(action, "allow");
    if (action === UNKNOWN || allow === UNKNOWN) unknown.push(`rules[${i}].action`);
    else if (allow !== undefined && allow !== null) {
      out.push({
        name: String(peek(rule, "name") ?? `rules[${i}]`),
        priority: priorityOf(rule),
        statement: peek(rule, "statement"),
        path: `rules[${i}].statement`,
      });
    }
  }
  return out;
}

/** An allow rule that WAF evaluates before `outcome` and that matches the probe: the rate rule never sees the request. */
function bypass(outcome: RuleOutcome, allows: readonly AllowRule[], probe: ProbeRequest): { by: AllowRule } | { unknown: string } | undefined {
  for (const allow of allows) {
    if (allow.priority === UNKNOWN || outcome.priority === UNKNOWN) return { unknown: `${allow.path} priority` };
    if (allow.priority >= outcome.priority) continue;
    const verdict = evaluateStatement(allow.statement, probe, allow.path);
    if (verdict === true) return { by: allow };
    if (typeof verdict === "object" && "unknown" in verdict) return verdict;
  }
  return undefined;
}

function why(outcome: RuleOutcome, probe: string, bypassed?: { by: AllowRule } | { unknown: string }): string {
  if (outcome.problem) return `rule ${outcome.name}: ${outcome.problem}`;
  if (bypassed && "by" in bypassed) {
    return `rule ${outcome.name}: allow rule ${bypassed.by.name} (priority ${String(bypassed.by.priority)}) lets the request through before it`;
  }
  const verdict = outcome.covers.get(probe);
  if (verdict === false) return `rule ${outcome.name}: its scope-down statement does not match ${probe}`;
  return `rule ${outcome.name}: ${typeof verdict === "object" && "undetermined" in verdict ? verdict.undetermined : "cannot be evaluated"}`;
}

/**
 * WAF on an ALB sees requests, not responses, so "5 failed logins per 15 minutes" cannot be
 * expressed here: the closest is a rate-based block on the sign-in path (the stack uses 10 requests
 * per 600 s); failure-based lockout stays with the app. This policy checks the WAF half by
 * evaluating each rate-based rule's scope-down statement against POST requests to the sign-in paths,
 * and any allow rule WAF evaluates first (a match there ends evaluation, so the rate rule is bypassed).
 */
export const wafAuthRateRule = catalystResourcePolicy({
  name: "waf-auth-rate-rule",
  description: "The regional web ACL must block sign-in requests above a low rate (a rate-based rule scoped to the sign-in paths, action block).",
  severity: "high",
  remediationSteps:
    "Add a rule to the REGIONAL aws.wafv2.WebAcl: action { block: {} }, statement.rateBasedStatement { limit: 10, evaluationWindowSec: 600, " +
    'aggregateKeyType: "IP" (or FORWARDED_IP behind a proxy), scopeDownStatement: a byteMatchStatement on uriPath (STARTS_WITH "/api/auth/sign-in") ' +
    'OR one for "/agent/api/auth/sign-in" }. No allow rule may match the sign-in paths at a lower priority number (allow ends evaluation). ' +
    "Declare rules with `rules` (rules given only as `ruleJson` are not inspected).",
  checklist: ["Rate limiting configured on auth endpoints", "Better Auth Configuration › Rate limiting on authentication endpoints"],
  configSchema: {
    properties: {
      maxLimit: { type: "integer", minimum: 10, default: DEFAULT_MAX_LIMIT },
      signInPaths: { type: "array", minItems: 1, items: { type: "string" }, default: DEFAULT_SIGN_IN_PATHS },
    },
  },
  validateResource: forTypes("aws:wafv2/webAcl:WebAcl", (props, args, reportViolation) => {
    const scope = peek(props, "scope");
    if (scope === UNKNOWN) decideAtUp("scope", "the web ACL scope must be a literal in the program");
    if (scope !== "REGIONAL") args.notApplicable(`${String(scope)} web ACL: the load balancer's web ACL is REGIONAL`);
    const config = args.getConfig<Config>();
    const maxLimit = config.maxLimit ?? DEFAULT_MAX_LIMIT;
    const probes = (config.signInPaths ?? DEFAULT_SIGN_IN_PATHS).map((uriPath) => ({ uriPath, method: "POST" }));
    const rules = peek(props, "rules");
    if (rules === UNKNOWN) decideAtUp("rules", "the web ACL rules must be literals in the program");
    const unknown: string[] = [];
    const count = Array.isArray(rules) ? rules.length : 0;
    const outcomes: RuleOutcome[] = [];
    const unreadable: string[] = [];
    for (let i = 0; i < count; i++) {
      const outcome = ruleOutcome(peek(rules, i), i, probes, maxLimit, unknown, unreadable);
      if (outcome) outcomes.push(outcome);
    }
    const allows = allowRules(rules, count, unknown);
    for (const probe of probes) {
      const { uriPath } = probe;
      const covering = outcomes.filter((o) => !o.problem && o.covers.get(uriPath) === true);
      const bypasses = covering.map((o) => ({ outcome: o, bypass: bypass(o, allows, probe) }));
      if (bypasses.some((b) => b.bypass === undefined)) continue;
      const open =
        bypasses.map((b) => b.bypass).find((b) => b !== undefined && "unknown" in b) ??
        outcomes
          .filter((o) => !o.problem)
          .map((o) => o.covers.get(uriPath))
          .find((v) => typeof v === "object" && "unknown" in v);
      if (open && typeof open === "object" && "unknown" in open) {
        unknown.push(open.unknown);
        continue;
      }
      // A rule unknown at preview may be the one that covers the path: undecidable, not missing.
      if (unreadable.length > 0) {
        unknown.push(...unreadable);
        continue;
      }
      const reasons =
        outcomes.length > 0
          ? outcomes.map((o) => why(o, uriPath, bypasses.find((b) => b.outcome === o)?.bypass)).join("; ")
          : peek(props, "ruleJson") !== undefined && count === 0
            ? "rules are given only as ruleJson, which this policy does not inspect"
            : "the web ACL has no rate-based rule";
      reportViolation(`No rate-based rule blocks POST ${uriPath} above ${maxLimit} requests per window (${reasons}).`);
    }
    if (unknown.length > 0) decideAtUp([...new Set(unknown)].join(", "), "rate-based rules must be literals in the program");
  }),
});
