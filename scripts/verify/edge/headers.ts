// Response-header rules of the checklist ("Security Headers", "Content Security Policy"), judged the
// way browsers read the headers: HSTS/X-Frame-Options sent twice are ambiguous, Referrer-Policy uses
// the last recognised token, several CSPs are all enforced (a script must pass every one of them).

/** Header name (lower case) → every value received, in order. */
export type Headers = Map<string, string[]>;

export interface RuleResult {
  ok: boolean;
  detail: string;
}

export interface HeaderRule {
  id: string;
  fix: string;
  judge(headers: Headers, status: number): RuleResult;
}

const ONE_YEAR = 31536000;
const ok = (detail: string): RuleResult => ({ ok: true, detail });
const bad = (detail: string): RuleResult => ({ ok: false, detail });
const short = (v: string) => (v.length > 160 ? `${v.slice(0, 157)}...` : v);

function single(headers: Headers, name: string): RuleResult | string {
  const values = headers.get(name) ?? [];
  if (values.length === 0) return bad(`${name} missing`);
  if (values.length > 1) return bad(`${name} sent ${values.length} times (${values.map(short).join(" | ")})`);
  return values[0].trim();
}

function hsts(headers: Headers): RuleResult {
  const value = single(headers, "strict-transport-security");
  if (typeof value !== "string") return value;
  const directives = value.split(";").map((d) => d.trim().toLowerCase());
  const maxAge = directives.map((d) => /^max-age\s*=\s*"?(\d+)"?$/.exec(d)).find(Boolean);
  const problems = [
    !maxAge && "no max-age",
    maxAge && Number(maxAge[1]) < ONE_YEAR && `max-age ${maxAge[1]} < ${ONE_YEAR}`,
    !directives.includes("includesubdomains") && "no includeSubDomains",
    !directives.includes("preload") && "no preload",
  ].filter(Boolean);
  return problems.length ? bad(`"${value}": ${problems.join(", ")}`) : ok(value);
}

function frameOptions(headers: Headers): RuleResult {
  const value = single(headers, "x-frame-options");
  if (typeof value !== "string") return value;
  return ["DENY", "SAMEORIGIN"].includes(value.toUpperCase()) ? ok(value) : bad(`"${value}" is neither DENY nor SAMEORIGIN`);
}

function contentTypeOptions(headers: Headers): RuleResult {
  const value = single(headers, "x-content-type-options");
  if (typeof value !== "string") return value;
  return value.toLowerCase() === "nosniff" ? ok(value) : bad(`"${value}" is not nosniff`);
}

const STRICT_REFERRER = ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"];
const KNOWN_REFERRER = [...STRICT_REFERRER, "no-referrer-when-downgrade", "origin", "origin-when-cross-origin", "unsafe-url"];

function referrerPolicy(headers: Headers): RuleResult {
  const values = headers.get("referrer-policy") ?? [];
  const tokens = values.flatMap((v) => v.split(",")).map((t) => t.trim().toLowerCase());
  const effective = tokens.filter((t) => KNOWN_REFERRER.includes(t)).at(-1);
  if (!effective) return bad(values.length ? `no recognised policy in "${values.join(", ")}"` : "referrer-policy missing");
  return STRICT_REFERRER.includes(effective) ? ok(effective) : bad(`effective policy "${effective}" is weaker than strict-origin-when-cross-origin`);
}

const DISABLED_FEATURES = ["camera", "microphone", "geolocation"];

function permissionsPolicy(headers: Headers): RuleResult {
  const values = headers.get("permissions-policy") ?? [];
  if (values.length === 0) return bad("permissions-policy missing");
  const entries = new Map<string, string>();
  for (const item of values.join(",").split(",")) {
    const m = /^\s*([a-z0-9-]+)\s*=\s*(.*?)\s*$/i.exec(item);
    if (m && !entries.has(m[1].toLowerCase())) entries.set(m[1].toLowerCase(), m[2].replace(/\s+/g, ""));
  }
  const problems = DISABLED_FEATURES.filter((f) => entries.get(f) !== "()").map((f) =>
    entries.has(f) ? `${f}=${entries.get(f)} (must be ${f}=())` : `${f} not disabled`,
  );
  return problems.length ? bad(problems.join(", ")) : ok(DISABLED_FEATURES.map((f) => `${f}=()`).join(", "));
}

type Policy = Map<string, string[]>;

export function parseCsp(values: string[]): Policy[] {
  return values
    .flatMap((v) => v.split(","))
    .map((text) => {
      const policy: Policy = new Map();
      for (const directive of text.split(";")) {
        const [name, ...sources] = directive.trim().split(/\s+/);
        // Browsers ignore a repeated directive: the first one counts.
        if (name && !policy.has(name.toLowerCase()))
          policy.set(
            name.toLowerCase(),
            sources.map((s) => s.toLowerCase()),
          );
      }
      return policy;
    })
    .filter((p) => p.size > 0);
}

function scriptSources(policy: Policy): string[] | undefined {
  return policy.get("script-src") ?? policy.get("default-src");
}

function csp(headers: Headers): RuleResult {
  const policies = parseCsp(headers.get("content-security-policy") ?? []);
  if (policies.length === 0) {
    const reportOnly = headers.has("content-security-policy-report-only") ? " (only Content-Security-Policy-Report-Only, which enforces nothing)" : "";
    return bad(`content-security-policy missing${reportOnly}`);
  }
  // Every enforced policy must let a script through, so a keyword is allowed only if all
  // script-restricting policies list it.
  const restricting = policies.map(scriptSources).filter((s): s is string[] => s !== undefined);
  const allows = (keyword: string) => restricting.length > 0 && restricting.every((s) => s.includes(keyword));
  const problems = [
    restricting.length === 0 && "no script-src or default-src (scripts unrestricted)",
    allows("'unsafe-inline'") && "script-src allows 'unsafe-inline'",
    allows("'unsafe-eval'") && "script-src allows 'unsafe-eval'",
    !policies.some((p) => p.has("frame-ancestors")) && "no frame-ancestors",
  ].filter(Boolean);
  const text = short((headers.get("content-security-policy") ?? []).join(", "));
  return problems.length ? bad(`${problems.join(", ")} in "${text}"`) : ok(text);
}

const VERSION = /\/\s*v?\d|\bv?\d+\.\d+/i;

function versionLeak(headers: Headers): RuleResult {
  const leaks = ["server", "x-powered-by"].flatMap((name) => (headers.get(name) ?? []).filter((v) => VERSION.test(v)).map((v) => `${name}: ${v}`));
  return leaks.length ? bad(leaks.join("; ")) : ok("no version in Server / X-Powered-By");
}

export const HEADER_RULES: HeaderRule[] = [
  {
    id: "headers.hsts",
    judge: hsts,
    fix: 'Send "Strict-Transport-Security: max-age=31536000; includeSubDomains; preload" on every response (ALB: routing.http.response.strict_transport_security.header_value).',
  },
  {
    id: "headers.x-frame-options",
    judge: frameOptions,
    fix: 'Send "X-Frame-Options: SAMEORIGIN" (or DENY) once (ALB: routing.http.response.x_frame_options.header_value).',
  },
  {
    id: "headers.x-content-type-options",
    judge: contentTypeOptions,
    fix: 'Send "X-Content-Type-Options: nosniff" (ALB: routing.http.response.x_content_type_options.header_value).',
  },
  {
    id: "headers.referrer-policy",
    judge: referrerPolicy,
    fix: 'Send "Referrer-Policy: strict-origin-when-cross-origin" (Cloudflare response-header transform rule or the app: ALB cannot set it).',
  },
  {
    id: "headers.permissions-policy",
    judge: permissionsPolicy,
    fix: 'Send "Permissions-Policy: camera=(), microphone=(), geolocation=()" (Cloudflare response-header transform rule or the app).',
  },
  {
    id: "headers.csp",
    judge: csp,
    fix: "Send a Content-Security-Policy whose script-src (or default-src) has no 'unsafe-inline'/'unsafe-eval' and that sets frame-ancestors (e.g. \"default-src 'self'; script-src 'self'; frame-ancestors 'none'\").",
  },
  {
    id: "headers.version-leak",
    judge: versionLeak,
    fix: "Remove versions from Server / X-Powered-By (ALB: routing.http.response.server.enabled=false; Next.js: poweredByHeader: false).",
  },
  {
    id: "http.status",
    judge: (_h, status) => (status >= 500 ? bad(`status ${status}`) : ok(`status ${status}`)),
    fix: "The path answers with a server error: check the target group health and the application logs.",
  },
];
