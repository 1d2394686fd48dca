// verify:edge — what a browser actually gets from the public endpoint: redirect, TLS versions,
// certificate, and the security headers on every path.
import { checkServerIdentity } from "node:tls";
import type { SecureVersion } from "node:tls";
import { isIP } from "node:net";
import { parseOptions, positiveInt, readPem } from "../args";
import type { RunContext } from "../cli";
import { Check, ConnectError, Report, UsageError, fail, notTested, pass, warn } from "../report";
import { HEADER_RULES, RuleResult } from "./headers";
import { Endpoint, Handshake, HttpResponse, get, handshake } from "./net";

export const EDGE_USAGE = `usage: npm run verify:edge -- --url https://host[:port] [--http-url http://host[:port]] [--ca <pem>]
         [--paths /,/agent,/api/auth/health] [--resolve <ip>] [--timeout <ms>] [--json]
  --http-url   where plain HTTP is served (default: http://<host of --url>)
  --ca         trust only this CA bundle (default: the system trust store)
  --resolve    connect to this address instead of resolving the host (SNI, certificate name and Host stay the host)
exit: 0 all checks hold, 1 findings (each with its fix), 2 cannot connect or bad arguments
`;

const OPTIONS = {
  url: { type: "string" },
  "http-url": { type: "string" },
  ca: { type: "string" },
  paths: { type: "string", default: "/,/agent,/api/auth/health" },
  resolve: { type: "string" },
  timeout: { type: "string" },
  json: { type: "boolean" },
} as const;

export const EXPIRY_WARN_DAYS = 30;
/** Lets OpenSSL 3 offer TLS 1.0/1.1 at all (they need SHA-1 signatures, refused at level 1+). */
export const LEGACY_CIPHERS = "DEFAULT@SECLEVEL=0";

export interface EdgeDeps {
  /** Cipher string offered with TLS 1.0/1.1 (tests use a level at which OpenSSL cannot offer them). */
  legacyCiphers?: string;
  now?: () => Date;
}

interface Target {
  https: URL;
  http: URL;
  paths: string[];
  ep: Endpoint;
}

function parseUrl(value: string | undefined, flag: string, protocol: string): URL {
  if (!value) throw new UsageError(`${flag} is required`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} "${value}" is not a URL`);
  }
  if (url.protocol !== protocol) throw new UsageError(`${flag} must be a ${protocol}// URL, got "${value}"`);
  if (url.username || url.password) throw new UsageError(`${flag} must not contain credentials`);
  return url;
}

function parseTarget(argv: string[]): Target {
  const o = parseOptions(argv, OPTIONS);
  const httpsUrl = parseUrl(o.url, "--url", "https:");
  const httpUrl = parseUrl(o["http-url"] ?? `http://${httpsUrl.hostname.includes(":") ? `[${httpsUrl.hostname}]` : httpsUrl.hostname}`, "--http-url", "http:");
  const paths = (o.paths ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (paths.length === 0 || paths.some((p) => !p.startsWith("/")))
    throw new UsageError(`--paths must be a comma-separated list of paths starting with "/", got "${o.paths}"`);
  if (o.resolve !== undefined && !isIP(o.resolve)) throw new UsageError(`--resolve must be an IP address, got "${o.resolve}"`);
  const ep: Endpoint = {
    hostname: httpsUrl.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: Number(httpsUrl.port || 443),
    connectTo: o.resolve,
    ca: readPem(o.ca),
    timeoutMs: positiveInt(o.timeout, "--timeout", 10000),
  };
  return { https: httpsUrl, http: httpUrl, paths, ep };
}

function certificateChecks(h: Handshake & { outcome: "accepted" }, hostname: string, now: Date): Check[] {
  const identity = checkServerIdentity(hostname, h.cert);
  const trustError = h.authorizationError === "CERT_HAS_EXPIRED" ? undefined : h.authorizationError;
  const subject = `certificate for ${h.cert.subjectaltname ?? h.cert.subject?.CN ?? "unknown names"} issued by ${h.cert.issuer?.CN ?? h.cert.issuer?.O ?? "unknown"}`;
  const trust =
    trustError || identity
      ? fail(
          "tls.certificate",
          `${subject}: ${[trustError && `not trusted (${trustError})`, identity?.message].filter(Boolean).join("; ")}`,
          "Serve a certificate from a trusted CA that covers this host name (ACM certificate for the domain on the HTTPS listener / Cloudflare edge certificate).",
        )
      : pass("tls.certificate", `${subject}: trusted and valid for ${hostname}`);
  return [trust, expiryCheck(new Date(h.cert.valid_from), new Date(h.cert.valid_to), now)];
}

function expiryCheck(validFrom: Date, validTo: Date, now: Date): Check {
  const days = Math.floor((validTo.getTime() - now.getTime()) / 86400000);
  const until = `valid until ${validTo.toISOString()}`;
  const renew = "Renew the certificate (ACM renews DNS-validated certificates automatically while the validation CNAME stays in DNS).";
  if (validTo.getTime() <= now.getTime()) return fail("tls.certificate-expiry", `certificate expired (${until})`, renew);
  if (validFrom.getTime() > now.getTime()) return fail("tls.certificate-expiry", `certificate not valid before ${validFrom.toISOString()}`, renew);
  if (days < EXPIRY_WARN_DAYS) return warn("tls.certificate-expiry", `certificate expires in ${days} days (${until}), under ${EXPIRY_WARN_DAYS}`, renew);
  return pass("tls.certificate-expiry", `${days} days to expiry (${until})`);
}

const VERSION_FIX =
  "Use an SSL policy that allows exactly TLS 1.2 and 1.3 (ALB: ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09; Cloudflare: minimum TLS version 1.2, TLS 1.3 on).";
const VERSIONS: Array<{ version: SecureVersion; label: string; allowed: boolean }> = [
  { version: "TLSv1.3", label: "1.3", allowed: true },
  { version: "TLSv1.2", label: "1.2", allowed: true },
  { version: "TLSv1.1", label: "1.1", allowed: false },
  { version: "TLSv1", label: "1.0", allowed: false },
];

function versionCheck(label: string, allowed: boolean, h: Handshake): Check {
  const id = `tls.version-${label}`;
  if (h.outcome === "unsupported-locally")
    return notTested(
      id,
      `the local TLS library (OpenSSL ${process.versions.openssl}) cannot offer TLS ${label}, so the server's answer is unknown (${h.reason})`,
    );
  if (h.outcome === "unreachable") return notTested(id, `no answer to a TLS ${label} handshake (${h.reason})`);
  if (h.outcome === "accepted") {
    return allowed ? pass(id, `TLS ${label} accepted (${h.cipher})`) : fail(id, `TLS ${label} accepted by the server (${h.cipher})`, VERSION_FIX);
  }
  return allowed ? fail(id, `TLS ${label} refused by the server (${h.reason})`, VERSION_FIX) : pass(id, `TLS ${label} refused by the server (${h.reason})`);
}

async function tlsChecks(t: Target, deps: EdgeDeps): Promise<Check[]> {
  const first = await handshake(t.ep);
  if (first.outcome === "unreachable") throw new ConnectError(`${t.https.origin}${t.ep.connectTo ? ` via ${t.ep.connectTo}` : ""}: ${first.reason}`);
  const checks =
    first.outcome === "accepted"
      ? certificateChecks(first, t.ep.hostname, (deps.now ?? (() => new Date()))())
      : [fail("tls.certificate", `no TLS handshake completed with default settings (${first.reason})`, VERSION_FIX)];
  for (const v of VERSIONS) {
    const h = await handshake(t.ep, { version: v.version, ciphers: v.allowed ? undefined : (deps.legacyCiphers ?? LEGACY_CIPHERS) });
    checks.push(versionCheck(v.label, v.allowed, h));
  }
  return checks;
}

function redirectProblem(res: HttpResponse, requested: URL): string | undefined {
  const location = res.headers.get("location")?.[0];
  if (res.status !== 301) return `status ${res.status}${location ? ` to ${location}` : ""} (expected 301)`;
  if (!location) return "301 without a Location header";
  let target: URL;
  try {
    target = new URL(location);
  } catch {
    return `Location "${location}" is not an absolute URL`;
  }
  const problems = [
    target.protocol !== "https:" && `not https (${target.protocol})`,
    target.hostname !== requested.hostname && `other host ${target.hostname}`,
    target.port !== requested.port && `other port ${target.port || "443"}`,
    `${target.pathname}${target.search}` !== `${requested.pathname}${requested.search}` && `other path ${target.pathname}${target.search}`,
  ].filter(Boolean);
  return problems.length ? `Location ${location}: ${problems.join(", ")}` : undefined;
}

async function redirectCheck(t: Target): Promise<Check> {
  const httpEp: Endpoint = { ...t.ep, hostname: t.http.hostname, port: Number(t.http.port || 80) };
  const problems: string[] = [];
  for (const path of t.paths) {
    const from = new URL(path, t.http);
    const problem = await get(from, httpEp).then(
      (res) => redirectProblem(res, new URL(path, t.https)),
      (err: NodeJS.ErrnoException) => `cannot connect (${err.code ?? err.message})`,
    );
    if (problem) problems.push(`${from.href}: ${problem}`);
  }
  return problems.length
    ? fail(
        "redirect.http-to-https",
        problems.join("; "),
        'Answer every plain-HTTP request with 301 to https://#{host}:443/#{path}?#{query} (ALB HTTP listener redirect action; Cloudflare "Always Use HTTPS").',
      )
    : pass("redirect.http-to-https", `301 to the same host and path on https for ${t.paths.join(", ")}`);
}

/** "/, /agent: detail A; /api: detail B" — paths that got the same verdict share one entry. */
function byDetail(results: Array<{ path: string; result: RuleResult }>): string {
  const groups = new Map<string, string[]>();
  for (const { path, result } of results) groups.set(result.detail, [...(groups.get(result.detail) ?? []), path]);
  return [...groups].map(([detail, paths]) => `${paths.join(", ")}: ${detail}`).join("; ");
}

function mergeRule(rule: (typeof HEADER_RULES)[number], results: Array<{ path: string; result: RuleResult }>): Check {
  if (results.length === 0) return notTested(rule.id, "no path answered");
  const failures = results.filter((r) => !r.result.ok);
  return failures.length > 0 ? fail(rule.id, byDetail(failures), rule.fix) : pass(rule.id, byDetail(results));
}

async function headerChecks(t: Target): Promise<Check[]> {
  const responses: Array<{ path: string; res: HttpResponse }> = [];
  const unreachable: string[] = [];
  for (const path of t.paths) {
    await get(new URL(path, t.https), t.ep).then(
      (res) => responses.push({ path, res }),
      (err: NodeJS.ErrnoException) => unreachable.push(`${path}: ${err.code ?? err.message}`),
    );
  }
  const checks = HEADER_RULES.map((rule) =>
    mergeRule(
      rule,
      responses.map(({ path, res }) => ({ path, result: rule.judge(res.headers, res.status) })),
    ),
  );
  if (unreachable.length > 0)
    checks.unshift(
      fail("http.fetch", `no HTTPS response for ${unreachable.join("; ")}`, "Check the listener, target groups and the application for these paths."),
    );
  return checks;
}

export async function runEdge(argv: string[], _ctx: RunContext, deps: EdgeDeps = {}): Promise<Report> {
  const t = parseTarget(argv);
  const via = t.ep.connectTo ? ` (connecting to ${t.ep.connectTo})` : "";
  const checks = [...(await tlsChecks(t, deps)), await redirectCheck(t), ...(await headerChecks(t))];
  return { tool: "verify-edge", target: `${t.https.origin}${via}, paths ${t.paths.join(", ")}`, checks };
}
