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
  /** Why the rule cannot count, if it cannot. */
  problem?: string;
  /** Per probe path: does the rule's scope-down statement match it? */
  covers: Map<string, Verdict>;
}

function ruleOutcome(rule: unknown, index: number, probes: ProbeRequest[], maxLimit: number, unknown: string[]): RuleOutcome | undefined {
  const path = `rules[${index}]`;
  const name = String(peek(rule, "name") ?? path);
  const rate = peek(peek(rule, "statement"), "rateBasedStatement");
  if (rate === undefined) return undefined;
  if (rate === UNKNOWN) {
    unknown.push(`${path}.statement.rateBasedStatement`);
    return undefined;
  }
  const outcome: RuleOutcome = { name, covers: new Map() };
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

function why(outcome: RuleOutcome, probe: string): string {
  if (outcome.problem) return `rule ${outcome.name}: ${outcome.problem}`;
  const verdict = outcome.covers.get(probe);
  if (verdict === false) return `rule ${outcome.name}: its scope-down statement does not match ${probe}`;
  return `rule ${outcome.name}: ${typeof verdict === "object" && "undetermined" in verdict ? verdict.undetermined : "cannot be evaluated"}`;
}

/**
 * WAF on an ALB sees requests, not responses, so "5 failed logins per 15 minutes" cannot be
 * expressed here: the closest is a rate-based block on the sign-in path (the stack uses 10 requests
 * per 600 s); failure-based lockout stays with the app. This policy checks the WAF half by
 * evaluating each rate-based rule's scope-down statement against POST requests to the sign-in paths.
 */
export const wafAuthRateRule = catalystResourcePolicy({
  name: "waf-auth-rate-rule",
  description: "The regional web ACL must block sign-in requests above a low rate (a rate-based rule scoped to the sign-in paths, action block).",
  severity: "high",
  remediationSteps:
    "Add a rule to the REGIONAL aws.wafv2.WebAcl: action { block: {} }, statement.rateBasedStatement { limit: 10, evaluationWindowSec: 600, " +
    'aggregateKeyType: "IP" (or FORWARDED_IP behind a proxy), scopeDownStatement: a byteMatchStatement on uriPath (STARTS_WITH "/api/auth/sign-in") ' +
    'OR one for "/agent/api/auth/sign-in" }. Declare rules with `rules` (rules given only as `ruleJson` are not inspected).',
  checklist: ["Rate limiting configured on auth endpoints", "Better Auth Configuration › Rate limiting on authentication endpoints"],
  configSchema: {
    properties: {
      maxLimit: { type: "integer", minimum: 10, default: DEFAULT_MAX_LIMIT },
      signInPaths: { type: "array", items: { type: "string" }, default: DEFAULT_SIGN_IN_PATHS },
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
    for (let i = 0; i < count; i++) {
      const outcome = ruleOutcome(peek(rules, i), i, probes, maxLimit, unknown);
      if (outcome) outcomes.push(outcome);
    }
    for (const { uriPath } of probes) {
      const qualifying = outcomes.filter((o) => !o.problem);
      if (qualifying.some((o) => o.covers.get(uriPath) === true)) continue;
      const open = qualifying.map((o) => o.covers.get(uriPath)).find((v) => typeof v === "object" && "unknown" in v);
      if (open && typeof open === "object" && "unknown" in open) {
        unknown.push(open.unknown);
        continue;
      }
      const reasons =
        outcomes.length > 0
          ? outcomes.map((o) => why(o, uriPath)).join("; ")
          : peek(props, "ruleJson") !== undefined && count === 0
            ? "rules are given only as ruleJson, which this policy does not inspect"
            : "the web ACL has no rate-based rule";
      reportViolation(`No rate-based rule blocks POST ${uriPath} above ${maxLimit} requests per window (${reasons}).`);
    }
    if (unknown.length > 0) decideAtUp([...new Set(unknown)].join(", "), "rate-based rules must be literals in the program");
  }),
});
