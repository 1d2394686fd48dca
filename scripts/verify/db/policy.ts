// The privilege rules of the checklist ("Database user privileges verified"):
//   runtime  = exactly SELECT, INSERT, UPDATE, DELETE on the app schema, nothing else;
//   migrate  = DDL and DML on the app schema only;
//   both     = no global privilege, no GRANT OPTION, no PROXY, account requires TLS.
// Input is every grant that applies to the account, including the grants of every role it holds
// (a role that is not active can be activated with SET ROLE at any time, so it counts).
import { Check, fail, pass } from "../report";
import type { Role } from "./credentials";
import { GrantStatement, Level, PrivilegeGrant, TlsRequirement, renderLevel } from "./grants";

export interface SourcedStatement {
  /** Where the line came from, for messages: "SHOW GRANTS", "role `r`", "information_schema". */
  source: string;
  statement: GrantStatement;
}

export interface GrantEvidence {
  account: string;
  schema: string;
  role: Role;
  statements: SourcedStatement[];
  /** Problems met while reading grants (e.g. a role whose grants could not be read). */
  errors: string[];
}

export const DML = ["SELECT", "INSERT", "UPDATE", "DELETE"];
const DDL = [
  "CREATE",
  "ALTER",
  "DROP",
  "INDEX",
  "REFERENCES",
  "CREATE VIEW",
  "SHOW VIEW",
  "CREATE ROUTINE",
  "ALTER ROUTINE",
  "EXECUTE",
  "TRIGGER",
  "EVENT",
  "CREATE TEMPORARY TABLES",
  "LOCK TABLES",
  "DELETE HISTORY",
  "SHOW CREATE ROUTINE",
];
/** What a migration needs at the very least; without it `migrate` cannot run. */
export const MIGRATE_REQUIRED = [...DML, "CREATE", "ALTER", "DROP", "INDEX", "REFERENCES"];
const ALLOWED: Record<Role, string[]> = { runtime: DML, migrate: [...DML, ...DDL] };
const REQUIRED: Record<Role, string[]> = { runtime: DML, migrate: MIGRATE_REQUIRED };

/** What ALL PRIVILEGES means below the global level (the global meaning is irrelevant: any global grant fails). */
const ALL_AT: Record<string, string[]> = {
  schema: [...DML, ...DDL],
  table: [...DML, "CREATE", "DROP", "REFERENCES", "INDEX", "ALTER", "CREATE VIEW", "SHOW VIEW", "TRIGGER", "DELETE HISTORY"],
  routine: ["EXECUTE", "ALTER ROUTINE"],
  global: ["ALL PRIVILEGES"],
  proxy: ["PROXY"],
};
const DANGEROUS_GLOBAL = ["SUPER", "FILE", "PROCESS", "CREATE USER", "SHUTDOWN", "ALL PRIVILEGES"];

function privilegeNames(grant: PrivilegeGrant): string[] {
  const names = grant.privileges.flatMap((p) => (p.name === "ALL PRIVILEGES" ? ALL_AT[grant.level.kind] : [p.name]));
  return [...new Set(names)].filter((n) => n !== "USAGE");
}

function inAppSchema(level: Level, schema: string): boolean {
  if (level.kind === "routine") return level.schema === schema;
  if (level.kind === "schema" || level.kind === "table") return level.schema === schema && !level.pattern;
  return false;
}

function privilegeGrants(evidence: GrantEvidence): Array<PrivilegeGrant & { source: string }> {
  return evidence.statements.flatMap(({ source, statement }) => (statement.kind === "privileges" ? [{ ...statement, source }] : []));
}

const list = (items: string[]) => items.join(", ");
const uniq = (items: string[]) => [...new Set(items)];
const describe = (g: PrivilegeGrant & { source: string }, names = privilegeNames(g)) =>
  `${list(names)} ON ${renderLevel(g.level)} TO ${g.grantee} (${g.source})`;
const revoke = (g: PrivilegeGrant, names: string[]) => `REVOKE ${list(names)} ON ${renderLevel(g.level)} FROM ${g.grantee};`;

function globalCheck(grants: Array<PrivilegeGrant & { source: string }>): Check[] {
  const offending = grants.filter((g) => g.level.kind === "global" && privilegeNames(g).length > 0);
  if (offending.length === 0) return [];
  const names = uniq(offending.flatMap((g) => privilegeNames(g)));
  const dangerous = names.filter((n) => DANGEROUS_GLOBAL.includes(n));
  const note = dangerous.length > 0 ? ` — including ${list(dangerous)}` : "";
  return [
    fail(
      "grants.global",
      `global privileges (apply to every schema, incl. mysql)${note}: ${offending.map((g) => describe(g)).join("; ")}`,
      offending.map((g) => revoke(g, privilegeNames(g))).join(" "),
    ),
  ];
}

function proxyCheck(grants: Array<PrivilegeGrant & { source: string }>): Check[] {
  const offending = grants.filter((g) => g.level.kind === "proxy");
  if (offending.length === 0) return [];
  return [
    fail(
      "grants.proxy",
      `PROXY privilege lets the account act as another account: ${offending.map((g) => describe(g)).join("; ")}`,
      offending.map((g) => revoke(g, ["PROXY"])).join(" "),
    ),
  ];
}

function grantOptionCheck(evidence: GrantEvidence): Check[] {
  const found: string[] = [];
  const fixes: string[] = [];
  for (const { source, statement: s } of evidence.statements) {
    if (s.kind === "privileges" && s.grantOption) {
      found.push(`WITH GRANT OPTION on ${renderLevel(s.level)} for ${s.grantee} (${source})`);
      fixes.push(`REVOKE GRANT OPTION ON ${renderLevel(s.level)} FROM ${s.grantee};`);
    }
    if (s.kind === "role" && s.adminOption) {
      found.push(`WITH ADMIN OPTION on role ${list(s.roles)} for ${s.grantee} (${source})`);
      fixes.push(`REVOKE ${list(s.roles)} FROM ${s.grantee}; GRANT ${list(s.roles)} TO ${s.grantee};`);
    }
  }
  if (found.length === 0) return [];
  return [fail("grants.grant-option", `the account can pass its privileges on: ${uniq(found).join("; ")}`, uniq(fixes).join(" "))];
}

function scopeCheck(evidence: GrantEvidence, grants: Array<PrivilegeGrant & { source: string }>): Check[] {
  const offending = grants.filter((g) => g.level.kind !== "global" && g.level.kind !== "proxy" && !inAppSchema(g.level, evidence.schema));
  if (offending.length === 0) return [];
  const patterns = offending.some((g) => "pattern" in g.level && g.level.pattern);
  const hint = patterns ? " (an unescaped _ or % in a granted schema name is a wildcard matching other schemas)" : "";
  return [
    fail(
      "grants.scope",
      `privileges outside the app schema \`${evidence.schema}\`${hint}: ${offending.map((g) => describe(g)).join("; ")}`,
      offending.map((g) => revoke(g, privilegeNames(g).length > 0 ? privilegeNames(g) : ["ALL PRIVILEGES"])).join(" "),
    ),
  ];
}

function appSchemaChecks(evidence: GrantEvidence, grants: Array<PrivilegeGrant & { source: string }>): Check[] {
  const { schema, role, account } = evidence;
  const inApp = grants.filter((g) => inAppSchema(g.level, schema));
  const allowed = ALLOWED[role];
  const extra = inApp.filter((g) => privilegeNames(g).some((n) => !allowed.includes(n)));
  const schemaLevel = new Set(inApp.filter((g) => g.level.kind === "schema").flatMap((g) => privilegeNames(g)));
  const missing = REQUIRED[role].filter((n) => !schemaLevel.has(n));
  const checks: Check[] = [];
  const regrant = `GRANT ${list(REQUIRED[role])} ON \`${schema}\`.* TO ${account};`;
  if (extra.length > 0) {
    const detail = extra
      .map((g) =>
        describe(
          g,
          privilegeNames(g).filter((n) => !allowed.includes(n)),
        ),
      )
      .join("; ");
    checks.push(
      fail(
        "grants.app-schema",
        `${role} user has privileges beyond ${role === "runtime" ? list(DML) : "DDL and DML"}: ${detail}`,
        `${uniq(extra.map((g) => `REVOKE ALL PRIVILEGES ON ${renderLevel(g.level)} FROM ${g.grantee};`)).join(" ")} ${regrant}`,
      ),
    );
  }
  if (missing.length > 0) {
    checks.push(fail("grants.missing", `${role} user lacks ${list(missing)} on \`${schema}\`.*`, regrant));
  }
  return checks;
}

function readabilityChecks(evidence: GrantEvidence): Check[] {
  const unparsed = evidence.statements.flatMap(({ source, statement }) => (statement.kind === "unparsed" ? [`${statement.text} (${source})`] : []));
  const checks: Check[] = [];
  if (unparsed.length > 0) {
    checks.push(
      fail(
        "grants.unparsed",
        `grant lines the verifier cannot interpret (judged unsafe): ${unparsed.join("; ")}`,
        "Review these grants by hand and revoke what is not needed.",
      ),
    );
  }
  if (evidence.errors.length > 0) {
    checks.push(
      fail(
        "grants.unreadable",
        `not all effective privileges could be read: ${evidence.errors.join("; ")}`,
        "Run the verifier with an account allowed to read its own role grants, or revoke the roles.",
      ),
    );
  }
  return checks;
}

export function evaluateGrants(evidence: GrantEvidence): Check[] {
  const grants = privilegeGrants(evidence);
  const findings = [
    ...readabilityChecks(evidence),
    ...globalCheck(grants),
    ...proxyCheck(grants),
    ...grantOptionCheck(evidence),
    ...scopeCheck(evidence, grants),
    ...appSchemaChecks(evidence, grants),
  ];
  if (findings.length > 0) return findings;
  const inApp = grants.filter((g) => inAppSchema(g.level, evidence.schema));
  const names = uniq(inApp.flatMap((g) => privilegeNames(g)));
  const roles = uniq(inApp.map((g) => g.grantee).filter((grantee) => grantee !== evidence.account));
  const via = roles.length > 0 ? `, granted via role ${list(roles)}` : "";
  const sources = uniq(evidence.statements.map((s) => s.source));
  return [pass("grants", `${evidence.role} privileges are ${list(names)} on \`${evidence.schema}\` only${via} (read from ${list(sources)})`)];
}

export function evaluateAccountTls(account: string, found: { requirement?: TlsRequirement; error?: string }): Check {
  const { requirement, error } = found;
  if (error !== undefined) {
    return fail(
      "account.require-ssl",
      `cannot read the account's TLS requirement: ${error}`,
      `Check by hand: SHOW CREATE USER ${account}; and ALTER USER ${account} REQUIRE SSL;`,
    );
  }
  if (requirement && requirement !== "none") {
    return pass("account.require-ssl", `account ${account} requires TLS (REQUIRE ${requirement.toUpperCase()})`);
  }
  return fail(
    "account.require-ssl",
    `account ${account} does not require TLS (REQUIRE NONE): it relies on the server setting alone`,
    `ALTER USER ${account} REQUIRE SSL;`,
  );
}
