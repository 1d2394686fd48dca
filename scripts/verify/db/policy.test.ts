// Privilege rules on parsed grants, including MySQL 8.4 shapes the live MariaDB cannot produce
// (RDS master user, dynamic privileges, roles expanded with SHOW GRANTS ... USING).
import { parseGrantStatement } from "./grants";
import { GrantEvidence, evaluateAccountTls, evaluateGrants } from "./policy";

const APP = "`app`@`%`";

function evidence(role: "runtime" | "migrate", lines: string[], extra: Partial<GrantEvidence> = {}): GrantEvidence {
  return {
    account: APP,
    schema: "catalyst",
    role,
    statements: lines.map((l) => ({ source: "SHOW GRANTS", statement: parseGrantStatement(l) })),
    errors: [],
    ...extra,
  };
}
const ids = (e: GrantEvidence) => evaluateGrants(e).map((c) => `${c.status}:${c.id}`);

describe("runtime", () => {
  it("passes exactly the four DML privileges on the app schema (MySQL 8.4 output)", () => {
    const e = evidence("runtime", ["GRANT USAGE ON *.* TO `app`@`%`", "GRANT SELECT, INSERT, UPDATE, DELETE ON `catalyst`.* TO `app`@`%`"]);
    expect(evaluateGrants(e)).toEqual([
      { id: "grants", status: "pass", message: "runtime privileges are SELECT, INSERT, UPDATE, DELETE on `catalyst` only (read from SHOW GRANTS)" },
    ]);
  });

  it("passes when the privileges come from a MySQL role expanded with USING", () => {
    const e = evidence("runtime", ["GRANT USAGE ON *.* TO `app`@`%`", "GRANT `app_rw`@`%` TO `app`@`%`"]);
    e.statements.push({ source: "roles `app_rw`@`%`", statement: parseGrantStatement("GRANT SELECT, INSERT, UPDATE, DELETE ON `catalyst`.* TO `app`@`%`") });
    expect(ids(e)).toEqual(["pass:grants"]);
  });

  it("extra table-level privilege inside the app schema fails grants.app-schema", () => {
    const e = evidence("runtime", ["GRANT SELECT, INSERT, UPDATE, DELETE ON `catalyst`.* TO `app`@`%`", "GRANT DROP ON `catalyst`.`users` TO `app`@`%`"]);
    const [check] = evaluateGrants(e);
    expect(check).toMatchObject({ id: "grants.app-schema", status: "fail", message: expect.stringContaining("DROP ON `catalyst`.`users` TO `app`@`%`") });
  });

  it("a subset of DML at table level is allowed, but the schema-level four are still required", () => {
    expect(ids(evidence("runtime", ["GRANT SELECT ON `catalyst`.`users` TO `app`@`%`"]))).toEqual(["fail:grants.missing"]);
  });

  it("EXECUTE on a routine of the app schema is beyond DML", () => {
    const e = evidence("runtime", [
      "GRANT SELECT, INSERT, UPDATE, DELETE ON `catalyst`.* TO `app`@`%`",
      "GRANT EXECUTE ON PROCEDURE `catalyst`.`p` TO `app`@`%`",
    ]);
    expect(ids(e)).toEqual(["fail:grants.app-schema"]);
  });

  it("a wildcard schema pattern is out of scope even when it matches the app schema", () => {
    const e = evidence("runtime", ["GRANT SELECT, INSERT, UPDATE, DELETE ON `catalyst`.* TO `app`@`%`", "GRANT SELECT ON `catalys_`.* TO `app`@`%`"]);
    const checks = evaluateGrants(e);
    expect(checks.map((c) => c.id)).toEqual(["grants.scope"]);
    expect(checks[0].message).toContain("wildcard matching other schemas");
  });

  it("a global grant with only GRANT OPTION is still a finding", () => {
    const e = evidence("runtime", ["GRANT USAGE ON *.* TO `app`@`%` WITH GRANT OPTION", "GRANT SELECT, INSERT, UPDATE, DELETE ON `catalyst`.* TO `app`@`%`"]);
    expect(ids(e)).toEqual(["fail:grants.grant-option"]);
  });

  it("ADMIN OPTION on a role lets the account hand the role on", () => {
    const e = evidence("runtime", ["GRANT `app_rw`@`%` TO `app`@`%` WITH ADMIN OPTION", "GRANT SELECT, INSERT, UPDATE, DELETE ON `catalyst`.* TO `app`@`%`"]);
    expect(evaluateGrants(e)[0]).toMatchObject({ id: "grants.grant-option", message: expect.stringContaining("WITH ADMIN OPTION on role `app_rw`@`%`") });
  });

  it("unparsed lines and unreadable roles fail rather than pass silently", () => {
    const e = evidence("runtime", ["GRANT SELECT, INSERT, UPDATE, DELETE ON `catalyst`.* TO `app`@`%`", "GRANT SOMETHING NEW TO"], {
      errors: ["SHOW GRANTS FOR CURRENT_USER() USING `r`@`%`: denied"],
    });
    expect(ids(e)).toEqual(["fail:grants.unparsed", "fail:grants.unreadable"]);
  });
});

describe("migrate", () => {
  const ddl = "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX, REFERENCES, CREATE VIEW ON `catalyst`.* TO `app`@`%`";

  it("passes DDL and DML on the app schema", () => {
    expect(ids(evidence("migrate", ["GRANT USAGE ON *.* TO `app`@`%`", ddl]))).toEqual(["pass:grants"]);
  });

  it("an RDS-master-like account fails on global privileges, naming the dangerous ones, and on GRANT OPTION", () => {
    const e = evidence("migrate", [
      "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, RELOAD, PROCESS, REFERENCES, INDEX, ALTER, SHOW DATABASES, CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE, REPLICATION SLAVE, REPLICATION CLIENT, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, CREATE USER, EVENT, TRIGGER ON *.* TO `app`@`%` WITH GRANT OPTION",
      "GRANT BACKUP_ADMIN,CONNECTION_ADMIN,ROLE_ADMIN,SYSTEM_VARIABLES_ADMIN ON *.* TO `app`@`%` WITH GRANT OPTION",
    ]);
    const checks = evaluateGrants(e);
    expect(checks.map((c) => c.id)).toEqual(["grants.global", "grants.grant-option", "grants.missing"]);
    expect(checks[0].message).toContain("including PROCESS, CREATE USER");
    expect(checks[0].fix).toContain("REVOKE BACKUP_ADMIN, CONNECTION_ADMIN, ROLE_ADMIN, SYSTEM_VARIABLES_ADMIN ON *.* FROM `app`@`%`;");
  });

  it("FILE and SUPER at global level are named", () => {
    const checks = evaluateGrants(evidence("migrate", [ddl, "GRANT FILE, SUPER, SHUTDOWN ON *.* TO `app`@`%`"]));
    expect(checks[0]).toMatchObject({ id: "grants.global", message: expect.stringContaining("including FILE, SUPER, SHUTDOWN") });
  });

  it("DDL on another schema is out of scope", () => {
    expect(ids(evidence("migrate", [ddl, "GRANT CREATE, DROP ON `mysql`.* TO `app`@`%`"]))).toEqual(["fail:grants.scope"]);
  });

  it("PROXY fails", () => {
    expect(ids(evidence("migrate", [ddl, "GRANT PROXY ON ``@`` TO `app`@`%`"]))).toEqual(["fail:grants.proxy"]);
  });
});

describe("account TLS requirement", () => {
  it.each([
    ["ssl", "pass"],
    ["x509", "pass"],
    ["specified", "pass"],
    ["none", "fail"],
    [undefined, "fail"],
  ] as const)("REQUIRE %s → %s", (requirement, status) => {
    expect(evaluateAccountTls(APP, { requirement })).toMatchObject({ id: "account.require-ssl", status });
  });

  it("an unreadable requirement is a finding, with the statement to run", () => {
    expect(evaluateAccountTls(APP, { error: "denied" })).toMatchObject({ status: "fail", fix: expect.stringContaining("SHOW CREATE USER `app`@`%`") });
  });
});
