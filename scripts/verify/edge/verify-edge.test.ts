// verify:edge against real HTTPS/HTTP servers on 127.0.0.1 with certificates from a test CA: one
// compliant edge, then one server per broken check. The host name is catalyst.test, reached with
// --resolve 127.0.0.1, so SNI, certificate name and Host header behave as in production.
import { TestPki, Leaf } from "../../../test/services/certs";
import { runScript } from "../../../test/services/cli";
import { EdgeServer, EdgeServerOptions, startEdgeServer } from "../../../test/services/edge-server";
import { freePort } from "../../../test/services/mariadb";
import { RunContext } from "../cli";
import { Check, Report, exitCodeOf } from "../report";
import { EdgeDeps, runEdge } from ".";

jest.setTimeout(60000);

const HOST = "catalyst.test";
let pki: TestPki;
let good: Leaf;
let compliant: EdgeServer;
const servers: EdgeServer[] = [];

function args(server: EdgeServer, extra: string[] = [], o: { httpPort?: number; trustTestCa?: boolean } = {}): string[] {
  const ca = o.trustTestCa === false ? [] : ["--ca", pki.caPath];
  const httpUrl = `http://${HOST}:${o.httpPort ?? server.httpPort}`;
  return ["--url", `https://${HOST}:${server.httpsPort}`, "--http-url", httpUrl, "--resolve", "127.0.0.1", ...ca, "--timeout", "5000", ...extra];
}

async function verify(server: EdgeServer, extra: string[] = [], deps: EdgeDeps = {}): Promise<Report> {
  const ctx: RunContext = { secrets: new Set() };
  return runEdge(args(server, extra), ctx, deps);
}

async function serve(overrides: Partial<EdgeServerOptions> = {}): Promise<EdgeServer> {
  const server = await startEdgeServer({ cert: good.cert, key: good.key, ...overrides });
  servers.push(server);
  return server;
}

const byId = (report: Report, id: string): Check | undefined => report.checks.find((c) => c.id === id);
const failed = (report: Report) => report.checks.filter((c) => c.status === "fail").map((c) => c.id);

beforeAll(async () => {
  pki = new TestPki();
  good = pki.leaf("good", { names: [HOST], days: 90 });
  compliant = await serve();
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  pki?.cleanup();
});

describe("a compliant edge", () => {
  it("passes every check on every path", async () => {
    const report = await verify(compliant);
    expect(report.checks.filter((c) => c.status !== "pass")).toEqual([]);
    expect(exitCodeOf(report)).toBe(0);
    expect(report.checks.map((c) => c.id)).toEqual([
      "tls.certificate",
      "tls.certificate-expiry",
      "tls.version-1.3",
      "tls.version-1.2",
      "tls.version-1.1",
      "tls.version-1.0",
      "redirect.http-to-https",
      "headers.hsts",
      "headers.x-frame-options",
      "headers.x-content-type-options",
      "headers.referrer-policy",
      "headers.permissions-policy",
      "headers.csp",
      "headers.version-leak",
      "http.status",
    ]);
    expect(byId(report, "tls.version-1.0")?.message).toMatch(/^TLS 1\.0 refused by the server/);
    expect(byId(report, "tls.certificate-expiry")?.message).toMatch(/^(89|90) days to expiry/);
    expect(byId(report, "headers.hsts")?.message).toBe("/, /agent, /api/auth/health: max-age=31536000; includeSubDomains; preload");
  });
});

describe("each broken header fails its check, naming the path and the fix", () => {
  const cases: Array<[string, EdgeServerOptions["headers"], string, RegExp]> = [
    ["HSTS missing", { "Strict-Transport-Security": null }, "headers.hsts", /strict-transport-security missing/],
    ["HSTS too short, no preload", { "Strict-Transport-Security": "max-age=300; includeSubDomains" }, "headers.hsts", /max-age 300 < 31536000, no preload/],
    ["HSTS sent twice", { "Strict-Transport-Security": ["max-age=31536000; includeSubDomains; preload", "max-age=0"] }, "headers.hsts", /sent 2 times/],
    ["X-Frame-Options missing", { "X-Frame-Options": null }, "headers.x-frame-options", /x-frame-options missing/],
    ["X-Frame-Options ALLOWALL", { "X-Frame-Options": "ALLOWALL" }, "headers.x-frame-options", /"ALLOWALL" is neither DENY nor SAMEORIGIN/],
    ["X-Content-Type-Options missing", { "X-Content-Type-Options": null }, "headers.x-content-type-options", /missing/],
    ["Referrer-Policy unsafe-url", { "Referrer-Policy": "unsafe-url" }, "headers.referrer-policy", /"unsafe-url" is weaker/],
    [
      "Referrer-Policy weaker last token",
      { "Referrer-Policy": "no-referrer, origin-when-cross-origin" },
      "headers.referrer-policy",
      /"origin-when-cross-origin" is weaker/,
    ],
    [
      "Permissions-Policy allows camera",
      { "Permissions-Policy": "camera=(self), microphone=(), geolocation=()" },
      "headers.permissions-policy",
      /camera=\(self\) \(must be camera=\(\)\)/,
    ],
    ["Permissions-Policy missing geolocation", { "Permissions-Policy": "camera=(), microphone=()" }, "headers.permissions-policy", /geolocation not disabled/],
    [
      "CSP unsafe-inline",
      { "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'" },
      "headers.csp",
      /script-src allows 'unsafe-inline'/,
    ],
    [
      "CSP unsafe-eval via default-src",
      { "Content-Security-Policy": "default-src 'self' 'unsafe-eval'; frame-ancestors 'self'" },
      "headers.csp",
      /script-src allows 'unsafe-eval'/,
    ],
    ["CSP without frame-ancestors", { "Content-Security-Policy": "default-src 'self'; script-src 'self'" }, "headers.csp", /no frame-ancestors/],
    [
      "CSP report-only",
      { "Content-Security-Policy": null, "Content-Security-Policy-Report-Only": "default-src 'self'; frame-ancestors 'none'" },
      "headers.csp",
      /only Content-Security-Policy-Report-Only/,
    ],
    ["Server version", { Server: "nginx/1.22.1" }, "headers.version-leak", /server: nginx\/1\.22\.1/],
    ["X-Powered-By version", { "X-Powered-By": "PHP/8.2.7" }, "headers.version-leak", /x-powered-by: PHP\/8\.2\.7/],
  ];

  it.each(cases)("%s", async (_name, headers, id, message) => {
    const report = await verify(await serve({ headers }));
    expect(failed(report)).toEqual([id]);
    const check = byId(report, id) as Check;
    expect(check.message).toMatch(/^\/, \/agent, \/api\/auth\/health: /);
    expect(check.message).toMatch(message);
    expect(check.fix).toBeTruthy();
    expect(exitCodeOf(report)).toBe(1);
  });

  it("a header missing on one path only names that path", async () => {
    const report = await verify(await serve({ pathHeaders: { "/agent": { "X-Content-Type-Options": null } } }));
    expect(failed(report)).toEqual(["headers.x-content-type-options"]);
    expect(byId(report, "headers.x-content-type-options")?.message).toBe("/agent: x-content-type-options missing");
  });

  it("a path that drops the connection fails http.fetch; the header checks still judge the other paths", async () => {
    const report = await verify(await serve({ hangUp: ["/agent"] }));
    expect(failed(report)).toEqual(["http.fetch"]);
    expect(byId(report, "http.fetch")?.message).toBe("no HTTPS response for /agent: ECONNRESET");
    expect(byId(report, "headers.hsts")?.message).toMatch(/^\/, \/api\/auth\/health: /);
  });

  it("two CSPs are both enforced: unsafe-inline in one is blocked by the other", async () => {
    const headers = { "Content-Security-Policy": ["script-src 'self' 'unsafe-inline'", "default-src 'self'; frame-ancestors 'none'"] };
    expect(failed(await verify(await serve({ headers })))).toEqual([]);
  });

  it("a 5xx on one path fails http.status for that path only", async () => {
    const report = await verify(await serve({ status: { "/api/auth/health": 503 } }));
    expect(failed(report)).toEqual(["http.status"]);
    expect(byId(report, "http.status")?.message).toBe("/api/auth/health: status 503");
  });
});

describe("HTTP to HTTPS redirect", () => {
  const cases: Array<[string, EdgeServerOptions["redirect"], RegExp]> = [
    ["no redirect", () => ({ status: 200 }), /status 200 \(expected 301\)/],
    [
      "302 instead of 301",
      ({ host, path, httpsPort }) => ({ status: 302, location: `https://${host}:${httpsPort}${path}` }),
      /status 302 to https:.* \(expected 301\)/,
    ],
    ["redirect to http", ({ host, path, httpsPort }) => ({ status: 301, location: `http://${host}:${httpsPort}${path}` }), /not https \(http:\)/],
    ["redirect to another host", ({ path, httpsPort }) => ({ status: 301, location: `https://evil.test:${httpsPort}${path}` }), /other host evil\.test/],
    [
      "redirect dropping the path",
      ({ host, httpsPort }) => ({ status: 301, location: `https://${host}:${httpsPort}/` }),
      /^http:\/\/catalyst\.test:\d+\/agent: Location https:\/\/catalyst\.test:\d+\/: other path \/;/,
    ],
    ["relative Location", ({ path }) => ({ status: 301, location: path }), /is not an absolute URL/],
  ];

  it.each(cases)("%s fails redirect.http-to-https", async (_name, redirect, message) => {
    const report = await verify(await serve({ redirect }));
    expect(failed(report)).toEqual(["redirect.http-to-https"]);
    expect(byId(report, "redirect.http-to-https")?.message).toMatch(message);
  });

  it("nothing listening on HTTP is a finding, not a pass", async () => {
    const port = await freePort();
    const report = await runEdge(args(compliant, [], { httpPort: port }), { secrets: new Set() });
    expect(byId(report, "redirect.http-to-https")).toMatchObject({ status: "fail", message: expect.stringContaining("cannot connect (ECONNREFUSED)") });
  });
});

describe("TLS versions", () => {
  it("a server that still accepts TLS 1.0 and 1.1 fails both checks", async () => {
    const report = await verify(await serve({ tls: { minVersion: "TLSv1", ciphers: "DEFAULT@SECLEVEL=0" } }));
    expect(failed(report)).toEqual(["tls.version-1.1", "tls.version-1.0"]);
    expect(byId(report, "tls.version-1.0")?.message).toMatch(/^TLS 1\.0 accepted by the server/);
  });

  it("reports 'not tested', never a pass, when the local TLS library cannot offer TLS 1.0/1.1", async () => {
    const report = await verify(await serve({ tls: { minVersion: "TLSv1", ciphers: "DEFAULT@SECLEVEL=0" } }), [], { legacyCiphers: "DEFAULT" });
    for (const id of ["tls.version-1.0", "tls.version-1.1"]) {
      expect(byId(report, id)).toMatchObject({ status: "not-tested", message: expect.stringMatching(/cannot offer TLS 1\.[01]/) });
    }
  });

  it("fails tls.version-1.2 when the server only speaks TLS 1.3", async () => {
    const report = await verify(await serve({ tls: { minVersion: "TLSv1.3" } }));
    expect(failed(report)).toEqual(["tls.version-1.2"]);
  });

  it("fails tls.version-1.3 when the server stops at TLS 1.2", async () => {
    const report = await verify(await serve({ tls: { maxVersion: "TLSv1.2" } }));
    expect(failed(report)).toEqual(["tls.version-1.3"]);
  });
});

describe("certificate", () => {
  it("fails an expired certificate", async () => {
    const expired = pki.leaf("expired", { names: [HOST], window: { start: "20240101000000Z", end: "20240301000000Z" } });
    const report = await verify(await serve({ cert: expired.cert, key: expired.key }));
    expect(failed(report)).toEqual(["tls.certificate-expiry"]);
    expect(byId(report, "tls.certificate-expiry")?.message).toBe("certificate expired (valid until 2024-03-01T00:00:00.000Z)");
  });

  it("warns under 30 days to expiry without failing", async () => {
    const soon = pki.leaf("soon", { names: [HOST], days: 10 });
    const report = await verify(await serve({ cert: soon.cert, key: soon.key }));
    expect(byId(report, "tls.certificate-expiry")).toMatchObject({ status: "warn", message: expect.stringMatching(/^certificate expires in (9|10) days/) });
    expect(exitCodeOf(report)).toBe(0);
  });

  it("fails a certificate for another host", async () => {
    const other = pki.leaf("other", { names: ["other.test"] });
    const report = await verify(await serve({ cert: other.cert, key: other.key }));
    expect(failed(report)).toEqual(["tls.certificate"]);
    expect(byId(report, "tls.certificate")?.message).toMatch(/Host: catalyst\.test\. is not in the cert's altnames: DNS:other\.test/);
  });

  it("fails a certificate from a CA the client does not trust", async () => {
    const report = await runEdge(args(compliant, [], { trustTestCa: false }), { secrets: new Set() });
    expect(failed(report)).toEqual(["tls.certificate"]);
    expect(byId(report, "tls.certificate")?.message).toMatch(/issued by Catalyst Verifier Test CA: not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/);
  });
});

describe("the real CLI", () => {
  const cli = (a: string[]) => runScript("scripts/verify-edge.ts", a);

  it("exits 0 on the compliant edge", async () => {
    const r = await cli(args(compliant));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^15 passed, 0 failed, 0 warnings, 0 not tested$/m);
  });

  it("exits 1 with --json on a finding", async () => {
    const r = await cli(args(await serve({ headers: { "X-Frame-Options": null } }), ["--json"]));
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ tool: "verify-edge", exitCode: 1, summary: { fail: 1 } });
    expect(out.checks.find((c: Check) => c.id === "headers.x-frame-options")).toMatchObject({ status: "fail" });
  });

  it("exits 2 when nothing listens on the HTTPS port", async () => {
    const port = await freePort();
    const r = await cli(["--url", `https://${HOST}:${port}`, "--resolve", "127.0.0.1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot connect: https:\/\/catalyst\.test:\d+ via 127\.0\.0\.1: ECONNREFUSED/);
  });

  it("exits 2 on bad arguments", async () => {
    const r = await cli(["--url", "http://catalyst.test"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--url must be a https:// URL, got "http://catalyst.test"');
  });
});
