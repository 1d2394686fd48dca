// The grant parser on the exact line formats of both dialects. MariaDB lines are as printed by the
// 10.11 server the live tests start; MySQL 8.4 lines follow its SHOW GRANTS / SHOW CREATE USER output
// (production is RDS MySQL 8.4, which cannot run here).
import { parseGrantStatement, parseTlsRequirement, sanitize } from "./grants";

const HASH = "*075E82768118204D954F6102566226AC2E58FB08";

describe("MariaDB SHOW GRANTS lines", () => {
  it("USAGE line with password hash and REQUIRE SSL: no privileges, TLS required, hash never kept", () => {
    const line = `GRANT USAGE ON *.* TO \`rt\`@\`%\` IDENTIFIED BY PASSWORD '${HASH}' REQUIRE SSL`;
    const parsed = parseGrantStatement(line);
    expect(parsed).toEqual({ kind: "privileges", privileges: [{ name: "USAGE" }], level: { kind: "global" }, grantee: "`rt`@`%`", grantOption: false });
    expect(JSON.stringify(parsed)).not.toContain(HASH);
    expect(parseTlsRequirement(line)).toBe("ssl");
  });

  it("schema grant", () => {
    expect(parseGrantStatement("GRANT SELECT, INSERT, UPDATE, DELETE ON `catalyst`.* TO `rt`@`%`")).toMatchObject({
      privileges: [{ name: "SELECT" }, { name: "INSERT" }, { name: "UPDATE" }, { name: "DELETE" }],
      level: { kind: "schema", schema: "catalyst", pattern: false },
    });
  });

  it("ALL PRIVILEGES with GRANT OPTION", () => {
    expect(parseGrantStatement("GRANT ALL PRIVILEGES ON `catalyst`.* TO `ns`@`%` WITH GRANT OPTION")).toMatchObject({
      privileges: [{ name: "ALL PRIVILEGES" }],
      grantOption: true,
    });
  });

  it("column grants on a table", () => {
    expect(parseGrantStatement("GRANT SELECT (`v`), UPDATE (`id`, `v`) ON `catalyst`.`t` TO `ns`@`%`")).toMatchObject({
      privileges: [
        { name: "SELECT", columns: ["v"] },
        { name: "UPDATE", columns: ["id", "v"] },
      ],
      level: { kind: "table", schema: "catalyst", table: "t" },
    });
  });

  it("multi-word privileges", () => {
    expect(parseGrantStatement("GRANT CREATE TEMPORARY TABLES, LOCK TABLES, SHOW VIEW, DELETE HISTORY ON `catalyst`.* TO `m`@`%`")).toMatchObject({
      privileges: [{ name: "CREATE TEMPORARY TABLES" }, { name: "LOCK TABLES" }, { name: "SHOW VIEW" }, { name: "DELETE HISTORY" }],
    });
  });

  it("role membership without host, and a role granted to a role", () => {
    expect(parseGrantStatement("GRANT `app_rw` TO `rr`@`%`")).toEqual({ kind: "role", roles: ["`app_rw`"], grantee: "`rr`@`%`", adminOption: false });
    expect(parseGrantStatement("GRANT `extra` TO `app_rw` WITH ADMIN OPTION")).toEqual({
      kind: "role",
      roles: ["`extra`"],
      grantee: "`app_rw`",
      adminOption: true,
    });
  });

  it("SET DEFAULT ROLE is recognised and ignored", () => {
    expect(parseGrantStatement("SET DEFAULT ROLE `app_rw` FOR `rr`@`%`").kind).toBe("ignored");
  });

  it("PROXY with single-quoted accounts", () => {
    expect(parseGrantStatement("GRANT PROXY ON ''@'%' TO 'root'@'localhost' WITH GRANT OPTION")).toMatchObject({
      level: { kind: "proxy", account: "``@`%`" },
      grantOption: true,
    });
  });

  it("routine grant", () => {
    expect(parseGrantStatement("GRANT EXECUTE, ALTER ROUTINE ON PROCEDURE `catalyst`.`cleanup` TO `m`@`%`")).toMatchObject({
      level: { kind: "routine", type: "PROCEDURE", schema: "catalyst", name: "cleanup" },
    });
  });

  it("escaped underscore is a literal; an unescaped one is a wildcard pattern", () => {
    expect(parseGrantStatement("GRANT SELECT ON `catalyst\\_prod`.* TO `a`@`%`")).toMatchObject({ level: { schema: "catalyst_prod", pattern: false } });
    expect(parseGrantStatement("GRANT SELECT ON `catalyst_prod`.* TO `a`@`%`")).toMatchObject({ level: { schema: "catalyst_prod", pattern: true } });
    expect(parseGrantStatement("GRANT SELECT ON `cat%`.* TO `a`@`%`")).toMatchObject({ level: { pattern: true } });
  });

  it("unix_socket / ed25519 authentication clauses are skipped", () => {
    const line = "GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` IDENTIFIED VIA unix_socket OR mysql_native_password USING 'invalid' WITH GRANT OPTION";
    expect(parseGrantStatement(line)).toMatchObject({ level: { kind: "global" }, grantOption: true });
  });
});

describe("MySQL 8.4 SHOW GRANTS lines", () => {
  it("static global privileges are listed one by one", () => {
    expect(parseGrantStatement("GRANT SELECT, RELOAD, PROCESS, SHOW DATABASES, REPLICATION CLIENT ON *.* TO `admin`@`%` WITH GRANT OPTION")).toMatchObject({
      privileges: [{ name: "SELECT" }, { name: "RELOAD" }, { name: "PROCESS" }, { name: "SHOW DATABASES" }, { name: "REPLICATION CLIENT" }],
      level: { kind: "global" },
      grantOption: true,
    });
  });

  it("dynamic privileges (comma without space)", () => {
    expect(parseGrantStatement("GRANT BACKUP_ADMIN,CONNECTION_ADMIN,SYSTEM_VARIABLES_ADMIN ON *.* TO `admin`@`%`")).toMatchObject({
      privileges: [{ name: "BACKUP_ADMIN" }, { name: "CONNECTION_ADMIN" }, { name: "SYSTEM_VARIABLES_ADMIN" }],
    });
  });

  it("several roles with hosts on one line", () => {
    expect(parseGrantStatement("GRANT `app_read`@`%`,`app_write`@`%` TO `app`@`%`")).toEqual({
      kind: "role",
      roles: ["`app_read`@`%`", "`app_write`@`%`"],
      grantee: "`app`@`%`",
      adminOption: false,
    });
  });

  it("partial revoke", () => {
    expect(parseGrantStatement("REVOKE INSERT ON `mysql`.* FROM `u`@`%`")).toMatchObject({ kind: "revoke", level: { kind: "schema", schema: "mysql" } });
  });

  it("PROXY with backticks", () => {
    expect(parseGrantStatement("GRANT PROXY ON ``@`` TO `root`@`localhost` WITH GRANT OPTION")).toMatchObject({ level: { kind: "proxy" } });
  });

  it("SHOW CREATE USER: REQUIRE NONE / SSL, and PASSWORD REQUIRE CURRENT is not a TLS clause", () => {
    const tail = "PASSWORD EXPIRE DEFAULT ACCOUNT UNLOCK PASSWORD HISTORY DEFAULT PASSWORD REUSE INTERVAL DEFAULT PASSWORD REQUIRE CURRENT DEFAULT";
    const auth = "IDENTIFIED WITH 'caching_sha2_password' AS '$A$005$x\\'y\\\\z0123456789abcdefghijklmnopqrstuv'";
    expect(parseTlsRequirement(`CREATE USER \`app\`@\`%\` ${auth} REQUIRE NONE ${tail}`)).toBe("none");
    expect(parseTlsRequirement(`CREATE USER \`app\`@\`%\` ${auth} REQUIRE SSL ${tail}`)).toBe("ssl");
    expect(parseTlsRequirement(`CREATE USER \`app\`@\`%\` ${auth} REQUIRE ISSUER '/CN=ca' AND SUBJECT '/CN=app' ${tail}`)).toBe("specified");
  });

  it("MariaDB SHOW CREATE USER without REQUIRE means none", () => {
    expect(parseTlsRequirement(`CREATE USER \`ns\`@\`%\` IDENTIFIED BY PASSWORD '${HASH}'`)).toBeUndefined();
    expect(parseTlsRequirement(`CREATE USER \`rt\`@\`%\` IDENTIFIED BY PASSWORD '${HASH}' REQUIRE X509`)).toBe("x509");
  });
});

describe("lines the parser does not understand", () => {
  it("are reported as unparsed with credentials removed", () => {
    const parsed = parseGrantStatement(`GRANT SELECT ON \`catalyst\` TO \`a\`@\`%\` IDENTIFIED BY PASSWORD '${HASH}'`);
    expect(parsed.kind).toBe("unparsed");
    expect(JSON.stringify(parsed)).not.toContain(HASH);
    expect(parsed).toMatchObject({ text: expect.stringContaining("'<redacted>'") });
  });

  it("sanitize drops every string after IDENTIFIED (both dialects)", () => {
    expect(sanitize(`GRANT USAGE ON *.* TO \`rt\`@\`%\` IDENTIFIED BY PASSWORD '${HASH}' REQUIRE SSL`)).toBe(
      "GRANT USAGE ON *.* TO `rt`@`%` IDENTIFIED BY PASSWORD '<redacted>' REQUIRE SSL",
    );
    expect(sanitize("CREATE USER `a`@`%` IDENTIFIED WITH 'caching_sha2_password' AS '$A$005$secret' REQUIRE NONE")).not.toContain("secret");
    expect(sanitize("GRANT PROXY ON ''@'%' TO 'root'@'localhost'")).toBe("GRANT PROXY ON ''@'%' TO 'root'@'localhost'");
  });

  it("an unterminated quote is never echoed", () => {
    expect(sanitize("GRANT USAGE ON *.* TO `a`@`%` IDENTIFIED BY PASSWORD 'abc")).not.toContain("abc");
  });
});
