// verify:db against a real MariaDB (TLS with a test CA, require_secure_transport=ON): compliant and
// over-privileged accounts, a server that accepts plaintext, and the guarantee that verification
// never changes data — the rows of catalyst.accounts are compared after every test, and the server's
// general log must show no write statement while an over-privileged account is verified.
import { readFileSync, statSync } from "node:fs";
import { TestPki } from "../../../test/services/certs";
import { runScript } from "../../../test/services/cli";
import { MariaDb, startMariaDb } from "../../../test/services/mariadb";
import { RunContext } from "../cli";
import { Check, Report, exitCodeOf } from "../report";
import { runDb } from ".";

jest.setTimeout(120000);

const PASSWORD = "S3cr#t:p@ss/w0rd?x";
let pki: TestPki;
let db: MariaDb;
let before: string;

const url = (user: string, password = PASSWORD, port = db.port) => `mysql://${user}:${encodeURIComponent(password)}@localhost:${port}/catalyst`;

async function verify(user: string, role = "runtime", extra: string[] = []): Promise<Report> {
  const ctx: RunContext = { secrets: new Set() };
  return runDb(["--url", url(user), "--ca", pki.caPath, "--role", role, ...extra], ctx);
}

const byId = (report: Report, id: string): Check | undefined => report.checks.find((c) => c.id === id);
const failed = (report: Report) => report.checks.filter((c) => c.status === "fail").map((c) => c.id);

async function createUser(name: string, grants: string[], requireSsl = true): Promise<void> {
  const require = requireSsl ? " REQUIRE SSL" : "";
  await db.admin(`CREATE USER '${name}'@'%' IDENTIFIED BY '${PASSWORD.replace(/'/g, "''")}'${require}; ${grants.join("; ")};`);
}

const snapshot = () =>
  db.admin(
    "SELECT id, email, balance FROM catalyst.accounts ORDER BY id; CHECKSUM TABLE catalyst.accounts EXTENDED; " +
      "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'catalyst'",
  );
const scratchLeft = () =>
  db.admin(
    "SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_NAME LIKE '\\_catalyst\\_verify\\_%' " +
      "UNION SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '\\_catalyst\\_verify\\_%'",
  );

/** Statements the server logged while `action` ran (the general log is on for this server). */
async function loggedDuring(action: () => Promise<unknown>): Promise<string> {
  const start = statSync(db.generalLogPath).size;
  await action();
  return readFileSync(db.generalLogPath).subarray(start).toString("utf8");
}
const WRITE_STATEMENT = /\bQuery\s+(CREATE|INSERT|UPDATE|DELETE|DROP|ALTER|GRANT|REVOKE|REPLACE|TRUNCATE|RENAME)\b/i;

beforeAll(async () => {
  pki = new TestPki();
  const leaf = pki.leaf("mariadb", { names: ["localhost", "127.0.0.1", "db.catalyst.test"] });
  db = await startMariaDb({ tls: { caPath: pki.caPath, certPath: leaf.certPath, keyPath: leaf.keyPath } });
  await db.admin(
    "CREATE DATABASE catalyst; CREATE DATABASE other; " +
      "CREATE TABLE catalyst.accounts (id INT PRIMARY KEY, email VARCHAR(100) NOT NULL, balance DECIMAL(10,2)); " +
      "INSERT INTO catalyst.accounts VALUES (1, 'ada@example.com', 10.50), (2, 'grace@example.com', 0), (3, 'linus@example.com', 99.99); " +
      "CREATE TABLE other.t (id INT); " +
      "CREATE ROLE app_rw; GRANT SELECT, INSERT, UPDATE, DELETE ON catalyst.* TO app_rw; " +
      "CREATE ROLE schema_admin; GRANT DROP, ALTER ON catalyst.* TO schema_admin;",
  );
  const dml = "SELECT, INSERT, UPDATE, DELETE";
  await createUser("rt_ok", [`GRANT ${dml} ON catalyst.* TO 'rt_ok'@'%'`]);
  await createUser("mig_ok", [`GRANT ${dml}, CREATE, ALTER, DROP, INDEX, REFERENCES ON catalyst.* TO 'mig_ok'@'%'`]);
  await createUser("mig_all", ["GRANT ALL ON catalyst.* TO 'mig_all'@'%'"]);
  await createUser("rt_all", ["GRANT ALL ON catalyst.* TO 'rt_all'@'%'"]);
  await createUser("rt_global", [`GRANT ${dml} ON catalyst.* TO 'rt_global'@'%'`, "GRANT FILE, PROCESS ON *.* TO 'rt_global'@'%'"]);
  await createUser("mig_global", [
    `GRANT ${dml}, CREATE, ALTER, DROP, INDEX, REFERENCES ON catalyst.* TO 'mig_global'@'%'`,
    "GRANT SUPER, CREATE USER, SHUTDOWN ON *.* TO 'mig_global'@'%'",
  ]);
  await createUser("rt_grantopt", [`GRANT ${dml} ON catalyst.* TO 'rt_grantopt'@'%' WITH GRANT OPTION`]);
  await createUser("rt_nossl", [`GRANT ${dml} ON catalyst.* TO 'rt_nossl'@'%'`], false);
  await createUser("rt_other", [`GRANT ${dml} ON catalyst.* TO 'rt_other'@'%'`, "GRANT SELECT ON other.* TO 'rt_other'@'%'"]);
  await createUser("rt_readonly", ["GRANT SELECT ON catalyst.* TO 'rt_readonly'@'%'"]);
  await createUser("rt_proxy", [`GRANT ${dml} ON catalyst.* TO 'rt_proxy'@'%'`, "GRANT PROXY ON 'rt_ok'@'%' TO 'rt_proxy'@'%'"]);
  await createUser("rt_role", ["GRANT app_rw TO 'rt_role'@'%'", "SET DEFAULT ROLE app_rw FOR 'rt_role'@'%'"]);
  await createUser("rt_role_extra", [
    "GRANT app_rw TO 'rt_role_extra'@'%'",
    "SET DEFAULT ROLE app_rw FOR 'rt_role_extra'@'%'",
    "GRANT schema_admin TO 'rt_role_extra'@'%'",
  ]);
  before = await snapshot();
});

afterAll(async () => {
  await db?.stop();
  pki?.cleanup();
});

afterEach(async () => {
  expect(await snapshot()).toBe(before);
  expect(await scratchLeft()).toBe("");
});

describe("compliant accounts", () => {
  it("passes a runtime user with exactly SELECT, INSERT, UPDATE, DELETE and REQUIRE SSL, reporting TLS version and cipher", async () => {
    const report = await verify("rt_ok");
    expect(failed(report)).toEqual([]);
    expect(exitCodeOf(report)).toBe(0);
    expect(byId(report, "tls.connection")?.message).toMatch(/connected with TLSv1\.[23], cipher \S+; server certificate verified against --ca/);
    expect(byId(report, "tls.plaintext-refused")?.status).toBe("pass");
    expect(byId(report, "account.require-ssl")?.status).toBe("pass");
    expect(byId(report, "grants")?.message).toContain("SELECT, INSERT, UPDATE, DELETE on `catalyst` only");
    expect(byId(report, "probe.ddl-refused")).toMatchObject({ status: "pass", message: expect.stringContaining("ER_TABLEACCESS_DENIED_ERROR") });
  });

  it("passes a runtime user whose privileges come from a default role", async () => {
    const report = await verify("rt_role");
    expect(failed(report)).toEqual([]);
    expect(byId(report, "grants")?.message).toContain("role `app_rw`");
  });

  it("passes a migration user with DDL and DML on the app schema, proving DDL on a scratch table it then drops", async () => {
    const report = await verify("mig_ok", "migrate");
    expect(failed(report)).toEqual([]);
    expect(byId(report, "probe.migrate-ddl")?.status).toBe("pass");
    expect(byId(report, "probe.create-database-refused")?.status).toBe("pass");
  });

  it("passes a migration user with ALL on the app schema only (DDL and DML, no global privilege)", async () => {
    const report = await verify("mig_all", "migrate");
    expect(failed(report)).toEqual([]);
  });
});

describe("over-privileged accounts: a named finding with its fix, and no write attempted", () => {
  const cases: Array<[string, string, string, RegExp, RegExp]> = [
    [
      "rt_all",
      "runtime",
      "grants.app-schema",
      /beyond SELECT, INSERT, UPDATE, DELETE: .*CREATE.*DROP.*ON `catalyst`\.\*/,
      /REVOKE ALL PRIVILEGES ON `catalyst`\.\* FROM `rt_all`@`%`/,
    ],
    [
      "rt_global",
      "runtime",
      "grants.global",
      /including FILE, PROCESS|including PROCESS, FILE/,
      /REVOKE (PROCESS, FILE|FILE, PROCESS) ON \*\.\* FROM `rt_global`@`%`;/,
    ],
    ["mig_global", "migrate", "grants.global", /including SUPER, CREATE USER, SHUTDOWN|including .*SUPER/, /REVOKE .*ON \*\.\* FROM `mig_global`@`%`;/],
    ["rt_grantopt", "runtime", "grants.grant-option", /WITH GRANT OPTION on `catalyst`\.\*/, /REVOKE GRANT OPTION ON `catalyst`\.\* FROM `rt_grantopt`@`%`;/],
    ["rt_nossl", "runtime", "account.require-ssl", /does not require TLS/, /ALTER USER `rt_nossl`@`%` REQUIRE SSL;/],
    ["rt_other", "runtime", "grants.scope", /outside the app schema `catalyst`.*SELECT ON `other`\.\*/, /REVOKE SELECT ON `other`\.\* FROM `rt_other`@`%`;/],
    [
      "rt_readonly",
      "runtime",
      "grants.missing",
      /lacks INSERT, UPDATE, DELETE/,
      /GRANT SELECT, INSERT, UPDATE, DELETE ON `catalyst`\.\* TO `rt_readonly`@`%`;/,
    ],
    [
      "rt_proxy",
      "runtime",
      "grants.proxy",
      /act as another account: PROXY ON `rt_ok`@`%` TO `rt_proxy`@`%`/,
      /REVOKE PROXY ON `rt_ok`@`%` FROM `rt_proxy`@`%`;/,
    ],
    ["rt_role_extra", "runtime", "grants.app-schema", /DROP, ALTER ON `catalyst`\.\* TO `schema_admin` \(role `schema_admin`\)/, /FROM `schema_admin`;/],
  ];

  it.each(cases)("%s (%s) fails %s", async (user, role, id, message, fix) => {
    let report: Report | undefined;
    const log = await loggedDuring(async () => (report = await verify(user, role)));
    const check = byId(report as Report, id);
    expect(check).toMatchObject({ status: "fail" });
    expect(check?.message).toMatch(message);
    expect(check?.fix).toMatch(fix);
    expect(exitCodeOf(report as Report)).toBe(1);
    expect(byId(report as Report, "probe")).toMatchObject({ status: "not-tested", message: expect.stringContaining("nothing is written") });
    expect(log).toContain("SHOW GRANTS");
    expect(log).not.toMatch(WRITE_STATEMENT);
    expect(log).not.toContain("_catalyst_verify_");
  });

  it("an inactive role counts: its privileges are read even though SHOW GRANTS of the session does not show them", async () => {
    const report = await verify("rt_role_extra");
    expect(failed(report)).toEqual(["grants.app-schema"]);
  });
});

describe("a server that accepts plaintext", () => {
  beforeAll(() => db.admin("SET GLOBAL require_secure_transport = OFF"));
  afterAll(() => db.admin("SET GLOBAL require_secure_transport = ON"));

  it("fails tls.plaintext-refused for an account without REQUIRE SSL", async () => {
    const report = await verify("rt_nossl");
    expect(byId(report, "tls.plaintext-refused")).toMatchObject({
      status: "fail",
      message: "the server accepted a plaintext (non-TLS) connection for `rt_nossl`@`%`",
      fix: expect.stringContaining("require_secure_transport=1"),
    });
  });

  it("still passes an account with REQUIRE SSL: the account refuses plaintext itself", async () => {
    const report = await verify("rt_ok");
    expect(byId(report, "tls.plaintext-refused")?.status).toBe("pass");
    expect(failed(report)).toEqual([]);
  });
});

describe("the real CLI", () => {
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runScript("scripts/verify-db.ts", args, env);

  it("exits 0 for a compliant account read from an environment variable, never printing the password", async () => {
    const r = await cli(["--url-env", "APP_DB", "--ca", pki.caPath], { APP_DB: url("rt_ok") });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("from environment variable APP_DB");
    expect(r.stdout).toMatch(/\d+ passed, 0 failed/);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(r.stdout + r.stderr).not.toContain(encodeURIComponent(PASSWORD));
  });

  it("exits 1 with --json for an over-privileged migration user", async () => {
    const r = await cli(["--url", url("mig_global"), "--ca", pki.caPath, "--role", "migrate", "--json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ tool: "verify-db", exitCode: 1 });
    expect(out.target).toContain("mysql://mig_global:***@localhost");
    expect(out.checks.find((c: Check) => c.id === "grants.global").fix).toContain("REVOKE");
    expect(r.stdout + r.stderr).not.toContain(encodeURIComponent(PASSWORD));
  });

  it("exits 2 when the server certificate is not signed by the given CA", async () => {
    const stranger = new TestPki("Some Other CA");
    try {
      const r = await cli(["--url", url("rt_ok"), "--ca", stranger.caPath]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/cannot connect: TLS connection to localhost:\d+ as rt_ok failed: .*(self-signed|unable to|verify)/i);
      expect(r.stderr).toContain("pass --ca");
      expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    } finally {
      stranger.cleanup();
    }
  });

  it("exits 2 on a wrong password without echoing either password", async () => {
    const r = await cli(["--url", url("rt_ok", "wrong-Pa55word"), "--ca", pki.caPath]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("ER_ACCESS_DENIED_ERROR");
    expect(r.stderr).not.toContain("wrong-Pa55word");
  });

  it("exits 2 on bad arguments", async () => {
    const r = await cli(["--url", url("rt_ok"), "--role", "admin"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--role must be runtime or migrate, got "admin"');
  });
});

describe("--connect-to (e.g. through an SSM port-forward)", () => {
  const viaTunnel = (host: string) =>
    runDb(["--url", `mysql://rt_ok:${encodeURIComponent(PASSWORD)}@${host}:3306/catalyst`, "--connect-to", `127.0.0.1:${db.port}`, "--ca", pki.caPath], {
      secrets: new Set(),
    });

  it("dials the given address but verifies the certificate for the URL's host", async () => {
    const report = await viaTunnel("db.catalyst.test");
    expect(failed(report)).toEqual([]);
    expect(report.target).toBe(`mysql://rt_ok:***@db.catalyst.test:3306/catalyst (role runtime, from --url, via 127.0.0.1:${db.port})`);
  });

  it("checks an IP-literal host against the certificate's IP names too (mysql2 only checks DNS names)", async () => {
    expect(failed(await viaTunnel("127.0.0.1"))).toEqual([]);
    await expect(viaTunnel("127.0.0.2")).rejects.toThrow(/IP: 127\.0\.0\.2 is not in the cert's list/);
  });

  it("refuses to go on when the certificate does not name the URL's host", async () => {
    await expect(viaTunnel("other.catalyst.test")).rejects.toThrow(
      /TLS connection to other\.catalyst\.test:3306 via 127\.0\.0\.1:\d+ as rt_ok failed: .*not in the cert's altnames/,
    );
  });
});

describe("cannot connect", () => {
  it("raises a ConnectError (exit 2) when nothing listens on the port", async () => {
    const ctx: RunContext = { secrets: new Set() };
    await expect(runDb(["--url", url("rt_ok", PASSWORD, 1), "--ca", pki.caPath, "--timeout", "3000"], ctx)).rejects.toThrow(/ECONNREFUSED/);
  });
});
