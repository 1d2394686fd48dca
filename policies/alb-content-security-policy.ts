import { catalystResourcePolicy, decideAtUp, forTypes, peek, UNKNOWN } from "./lib";
import { LISTENER_TYPES, listenerProtocol } from "./lib/alb";

const CSP = "routingHttpResponseContentSecurityPolicyHeaderValue";

/** Directive name (lower-case) → source list, as written. A repeated directive is ignored by browsers. */
export function parseCsp(value: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of value.split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/).filter(Boolean);
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

// Sources that let any script run: inline/eval escapes, and origins that match any host.
const UNSAFE_SCRIPT_SOURCES = ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "http:", "https:", "data:", "blob:"];
const WILDCARD_ANCESTORS = ["*", "http:", "https:"];

function scriptProblems(csp: Map<string, string[]>): string[] {
  // script-src falls back to default-src; script-src-elem/-attr override script-src for their part.
  const base = csp.has("script-src") ? "script-src" : "default-src";
  if (!csp.has(base)) return ["has neither script-src nor default-src, so scripts may load from anywhere"];
  const problems: string[] = [];
  for (const directive of [base, "script-src-elem", "script-src-attr"]) {
    const unsafe = (csp.get(directive) ?? []).filter((s) => UNSAFE_SCRIPT_SOURCES.includes(s.toLowerCase()));
    if (unsafe.length > 0) problems.push(`${directive} allows ${unsafe.join(" ")}`);
  }
  return problems;
}

function frameAncestorProblems(csp: Map<string, string[]>): string[] {
  const ancestors = csp.get("frame-ancestors");
  if (!ancestors || ancestors.length === 0) return ["has no frame-ancestors (use 'none' or 'self')"];
  const wild = ancestors.filter((s) => WILDCARD_ANCESTORS.includes(s.toLowerCase()));
  return wild.length > 0 ? [`frame-ancestors allows ${wild.join(" ")}`] : [];
}

/** Why a Content-Security-Policy value does not meet the production CSP of the requirements. */
export function cspProblems(value: string): string[] {
  const csp = parseCsp(value);
  return [...scriptProblems(csp), ...frameAncestorProblems(csp)];
}

export const albContentSecurityPolicy = catalystResourcePolicy({
  name: "alb-content-security-policy",
  description: "HTTPS listeners must send a production Content-Security-Policy: no 'unsafe-inline'/'unsafe-eval' for scripts, frame-ancestors set.",
  severity: "high",
  remediationSteps:
    `Set ${CSP} on the HTTPS aws.lb.Listener to the production policy of the requirements, e.g. ` +
    "\"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'\". " +
    "Scripts must not rely on 'unsafe-inline', 'unsafe-eval' or wildcard sources.",
  checklist: ["Content Security Policy configured", "Content Security Policy › Tighten for production: remove 'unsafe-eval' and 'unsafe-inline'"],
  validateResource: forTypes(LISTENER_TYPES, (props, args, reportViolation) => {
    const protocol = listenerProtocol(props);
    if (protocol === UNKNOWN) decideAtUp("protocol", "the listener protocol must be a literal in the program");
    if (protocol !== "HTTPS") args.notApplicable(`${protocol} listener: response headers are set on the HTTPS listener`);
    const value = peek(props, CSP);
    if (value === UNKNOWN) decideAtUp(CSP, "the Content-Security-Policy must be a literal in the program");
    if (typeof value !== "string" || !value.trim()) {
      reportViolation(`${CSP} is unset: responses carry no Content-Security-Policy.`);
      return;
    }
    for (const problem of cspProblems(value)) reportViolation(`Content-Security-Policy ${problem}.`);
  }),
});
