// Reads everything that decides the account's effective privileges, with statements any account may
// run on itself (no SELECT on the mysql schema needed):
//   SHOW GRANTS                      own grants and role memberships (both dialects);
//   MariaDB: SHOW GRANTS FOR <role>  per directly granted role (output includes nested roles);
//   MySQL:   SHOW GRANTS FOR CURRENT_USER() USING <roles>  (granted + mandatory roles);
//   information_schema *_PRIVILEGES / APPLICABLE_ROLES   second source, catches what a parse missed;
//   SHOW CREATE USER CURRENT_USER   the account's REQUIRE clause.
import type mysql from "mysql2/promise";
import type { Role } from "./credentials";
import { Level, PrivilegeGrant, TlsRequirement, parseGrantStatement, parseTlsRequirement, tokenize } from "./grants";
import type { GrantEvidence, SourcedStatement } from "./policy";
import { Session, accountFromCurrentUser, query, quoteId } from "./session";

async function showGrants(conn: mysql.Connection, sql: string): Promise<string[]> {
  const rows = await query(conn, sql);
  return rows.map((row) => String(Object.values(row)[0]));
}

function directRoles(statements: SourcedStatement[], account: string): string[] {
  return statements.flatMap(({ statement: s }) => (s.kind === "role" && s.grantee === account ? s.roles : []));
}

/** `r1`@`%`,r2 (the mandatory_roles format) → [`r1`@`%`, `r2`@`%`]. */
export function parseRoleList(value: string): string[] {
  if (!value.trim()) return [];
  return value.split(",").map((item) => {
    const parts = tokenize(item.trim())
      .filter((t) => t.v !== "@")
      .map((t) => t.v);
    return `${quoteId(parts[0])}@${quoteId(parts[1] ?? "%")}`;
  });
}

async function mariadbRoleRoles(conn: mysql.Connection, session: Session, statements: SourcedStatement[]): Promise<string[]> {
  const rows = await query<{ GRANTEE: string; ROLE_NAME: string }>(conn, "SELECT GRANTEE, ROLE_NAME FROM information_schema.APPLICABLE_ROLES");
  const fromSchema = rows.filter((r) => accountFromCurrentUser(r.GRANTEE) === session.account).map((r) => quoteId(r.ROLE_NAME));
  return [...new Set([...directRoles(statements, session.account), ...fromSchema])];
}

async function roleStatements(session: Session, own: SourcedStatement[], errors: string[]): Promise<SourcedStatement[]> {
  const { conn } = session;
  const out: SourcedStatement[] = [];
  const record = (source: string, lines: string[]) => lines.forEach((l) => out.push({ source, statement: parseGrantStatement(l) }));
  if (session.dialect === "mariadb") {
    // MariaDB shows a role's grants only while it is the session's current role; SET ROLE changes
    // nothing but this session, and SHOW GRANTS then includes the roles nested in it.
    const [{ r: initial }] = await query<{ r: string | null }>(conn, "SELECT CURRENT_ROLE() AS r");
    for (const role of await mariadbRoleRoles(conn, session, own)) {
      await query(conn, `SET ROLE ${role}`)
        .then(() => showGrants(conn, "SHOW GRANTS"))
        .then(
          (lines) => record(`role ${role}`, lines),
          (err: Error) => errors.push(`SET ROLE ${role}; SHOW GRANTS: ${err.message}`),
        );
    }
    await query(conn, `SET ROLE ${initial ? quoteId(initial) : "NONE"}`);
    return out;
  }
  const [{ m }] = await query<{ m: string | null }>(conn, "SELECT @@GLOBAL.mandatory_roles AS m");
  const roles = [...new Set([...directRoles(own, session.account), ...parseRoleList(m ?? "")])];
  if (roles.length === 0) return out;
  const sql = `SHOW GRANTS FOR CURRENT_USER() USING ${roles.join(", ")}`;
  await showGrants(conn, sql).then(
    (lines) => record(`roles ${roles.join(", ")}`, lines),
    (err: Error) => errors.push(`${sql}: ${err.message}`),
  );
  return out;
}

type SchemaRow = { GRANTEE: string; PRIVILEGE_TYPE: string; IS_GRANTABLE: string; TABLE_SCHEMA?: string; TABLE_NAME?: string };

const levelKey = (level: Level) => (level.kind === "schema" ? `s:${level.schema}` : level.kind === "table" ? `t:${level.schema}.${level.table}` : level.kind);

function rowGrant(row: SchemaRow): PrivilegeGrant {
  const level: Level =
    row.TABLE_NAME !== undefined
      ? { kind: "table", schema: row.TABLE_SCHEMA as string, table: row.TABLE_NAME, pattern: false }
      : row.TABLE_SCHEMA !== undefined
        ? { kind: "schema", schema: row.TABLE_SCHEMA, pattern: false }
        : { kind: "global" };
  const grantee = accountFromCurrentUser(row.GRANTEE.replace(/'/g, ""));
  return { kind: "privileges", privileges: [{ name: row.PRIVILEGE_TYPE.toUpperCase() }], level, grantee, grantOption: row.IS_GRANTABLE === "YES" };
}

function covers(statements: SourcedStatement[], g: PrivilegeGrant): boolean {
  const name = g.privileges[0].name;
  return statements.some(({ statement: s }) => {
    if (s.kind !== "privileges" || levelKey(s.level) !== levelKey(g.level)) return false;
    const names = s.privileges.map((p) => p.name);
    return (names.includes(name) || names.includes("ALL PRIVILEGES")) && (s.grantOption || !g.grantOption);
  });
}

const SCHEMA_QUERIES = [
  "SELECT GRANTEE, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.USER_PRIVILEGES",
  "SELECT GRANTEE, TABLE_SCHEMA, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.SCHEMA_PRIVILEGES",
  "SELECT GRANTEE, TABLE_SCHEMA, TABLE_NAME, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.TABLE_PRIVILEGES",
  "SELECT GRANTEE, TABLE_SCHEMA, TABLE_NAME, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.COLUMN_PRIVILEGES",
];

/** Grants visible in information_schema that the SHOW GRANTS parse did not account for. */
async function schemaOnlyStatements(conn: mysql.Connection, known: SourcedStatement[]): Promise<SourcedStatement[]> {
  const out: SourcedStatement[] = [];
  for (const sql of SCHEMA_QUERIES) {
    for (const row of await query<SchemaRow>(conn, sql)) {
      const grant = rowGrant(row);
      if (grant.privileges[0].name === "USAGE" || covers([...known, ...out], grant)) continue;
      out.push({ source: "information_schema, not in SHOW GRANTS", statement: grant });
    }
  }
  return out;
}

function dedupe(statements: SourcedStatement[]): SourcedStatement[] {
  const seen = new Set<string>();
  return statements.filter(({ statement }) => {
    const key = JSON.stringify(statement);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function readGrantEvidence(session: Session, schema: string, role: Role): Promise<GrantEvidence> {
  const errors: string[] = [];
  const own = (await showGrants(session.conn, "SHOW GRANTS")).map((l) => ({ source: "SHOW GRANTS", statement: parseGrantStatement(l) }));
  const fromRoles = await roleStatements(session, own, errors);
  const known = dedupe([...own, ...fromRoles]);
  const statements = [...known, ...(await schemaOnlyStatements(session.conn, known))];
  return { account: session.account, schema, role, statements, errors };
}

export interface TlsRequirementEvidence {
  requirement?: TlsRequirement;
  error?: string;
}

export async function readTlsRequirement(session: Session): Promise<TlsRequirementEvidence> {
  try {
    const [statement] = await showGrants(session.conn, "SHOW CREATE USER CURRENT_USER");
    return { requirement: parseTlsRequirement(statement) ?? "none" };
  } catch (err) {
    return { error: `SHOW CREATE USER CURRENT_USER: ${(err as Error).message}` };
  }
}
