import { catalystResourcePolicy, decideAtUp, forTypes, peek, UNKNOWN } from "./lib";
import { LISTENER_TYPES, listenerProtocol } from "./lib/alb";

/** One year, the seed's HSTS max-age and the minimum the HSTS preload list accepts. */
export const HSTS_MIN_MAX_AGE = 31536000;

const HEADER = {
  hsts: "routingHttpResponseStrictTransportSecurityHeaderValue",
  frameOptions: "routingHttpResponseXFrameOptionsHeaderValue",
  contentTypeOptions: "routingHttpResponseXContentTypeOptionsHeaderValue",
  server: "routingHttpResponseServerEnabled",
} as const;

/** Problems of a Strict-Transport-Security value (directive names are case-insensitive). */
export function hstsProblems(value: string): string[] {
  const directives = value
    .split(";")
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);
  const maxAge = directives.map((d) => /^max-age\s*=\s*"?(\d+)"?$/.exec(d)).find(Boolean);
  const problems: string[] = [];
  if (!maxAge) problems.push("has no max-age");
  else if (Number(maxAge[1]) < HSTS_MIN_MAX_AGE) problems.push(`max-age=${maxAge[1]} is below ${HSTS_MIN_MAX_AGE} (one year)`);
  if (!directives.includes("includesubdomains")) problems.push("lacks includeSubDomains");
  if (!directives.includes("preload")) problems.push("lacks preload");
  return problems;
}

type HeaderCheck = (value: unknown) => string | undefined;

const show = (value: unknown): string => (value === undefined || value === null ? "unset" : `"${String(value)}"`);

const CHECKS: [string, HeaderCheck][] = [
  [
    HEADER.hsts,
    (v) => {
      if (typeof v !== "string" || !v.trim()) return `${HEADER.hsts} is unset: browsers are not told to insist on HTTPS (HSTS).`;
      const problems = hstsProblems(v);
      return problems.length > 0 ? `${HEADER.hsts} "${v}" ${problems.join(", ")}.` : undefined;
    },
  ],
  [
    HEADER.frameOptions,
    (v) =>
      typeof v === "string" && ["DENY", "SAMEORIGIN"].includes(v.trim().toUpperCase())
        ? undefined
        : `${HEADER.frameOptions} is ${show(v)}; it must be SAMEORIGIN or DENY (clickjacking).`,
  ],
  [
    HEADER.contentTypeOptions,
    (v) =>
      typeof v === "string" && v.trim().toLowerCase() === "nosniff"
        ? undefined
        : `${HEADER.contentTypeOptions} is ${show(v)}; it must be nosniff (MIME sniffing).`,
  ],
  [
    HEADER.server,
    (v) =>
      v === false
        ? undefined
        : `${HEADER.server} is ${v === undefined ? "unset (true)" : String(v)}; set it to false so responses do not advertise the server.`,
  ],
];

/**
 * The ALB sets these response headers itself and overwrites a same-named header from the target,
 * so configuring them on the HTTPS listener covers both apps and every error page.
 */
export const albSecurityHeaders = catalystResourcePolicy({
  name: "alb-security-headers",
  description: "HTTPS listeners must set HSTS (1 year, includeSubDomains, preload), X-Frame-Options, X-Content-Type-Options and hide the Server header.",
  severity: "high",
  remediationSteps:
    `On the HTTPS aws.lb.Listener set ${HEADER.hsts}: "max-age=31536000; includeSubDomains; preload", ` +
    `${HEADER.frameOptions}: "SAMEORIGIN" (or "DENY"), ${HEADER.contentTypeOptions}: "nosniff" and ${HEADER.server}: false, as literals.`,
  checklist: ["Security headers configured (HSTS, X-Frame-Options, etc.)"],
  validateResource: forTypes(LISTENER_TYPES, (props, args, reportViolation) => {
    const protocol = listenerProtocol(props);
    if (protocol === UNKNOWN) decideAtUp("protocol", "the listener protocol must be a literal in the program");
    if (protocol !== "HTTPS") args.notApplicable(`${protocol} listener: response headers are set on the HTTPS listener`);
    const unknown: string[] = [];
    for (const [key, check] of CHECKS) {
      const value = peek(props, key);
      if (value === UNKNOWN) unknown.push(key);
      else {
        const problem = check(value);
        if (problem) reportViolation(problem);
      }
    }
    if (unknown.length > 0) decideAtUp(unknown.join(", "), "header values must be literals in the program");
  }),
});
