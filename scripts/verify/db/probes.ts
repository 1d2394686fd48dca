// Behavioural confirmation of the grants, run only when the grants are already clean. Every write
// targets a scratch object whose random name cannot collide with real data (CREATE without
// IF NOT EXISTS fails rather than touch an existing object), and is removed before returning.
import type mysql from "mysql2/promise";
import { Check, fail, pass } from "../report";
import type { Role } from "./credentials";
import { query, quoteId, scratchName } from "./session";

type Step = { label: string; sql: string };

async function tryQuery(conn: mysql.Connection, sql: string): Promise<string | undefined> {
  try {
    await query(conn, sql);
    return undefined;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    return [e.code, e.message].filter(Boolean).join(": ");
  }
}

async function dropScratch(conn: mysql.Connection, kind: "TABLE" | "DATABASE", name: string): Promise<string> {
  const error = await tryQuery(conn, `DROP ${kind} IF EXISTS ${name}`);
  return error
    ? ` — could NOT drop scratch ${kind.toLowerCase()} ${name} (${error}); drop it as an administrator`
    : ` (scratch ${kind.toLowerCase()} ${name} dropped)`;
}

async function runtimeProbe(conn: mysql.Connection, schema: string, account: string): Promise<Check[]> {
  const table = `${quoteId(schema)}.${quoteId(scratchName())}`;
  const error = await tryQuery(conn, `CREATE TABLE ${table} (id INT PRIMARY KEY)`);
  if (error) return [pass("probe.ddl-refused", `runtime user cannot create tables in \`${schema}\` (${error})`)];
  const cleanup = await dropScratch(conn, "TABLE", table);
  return [
    fail("probe.ddl-refused", `runtime user could CREATE TABLE in \`${schema}\`${cleanup}`, `REVOKE CREATE, DROP, ALTER ON \`${schema}\`.* FROM ${account};`),
  ];
}

function migrateSteps(table: string): Step[] {
  return [
    { label: "CREATE TABLE", sql: `CREATE TABLE ${table} (id INT PRIMARY KEY)` },
    { label: "ALTER TABLE", sql: `ALTER TABLE ${table} ADD COLUMN v INT NULL` },
    { label: "CREATE INDEX", sql: `CREATE INDEX v_idx ON ${table} (v)` },
    { label: "INSERT", sql: `INSERT INTO ${table} (id, v) VALUES (1, 1)` },
    { label: "UPDATE", sql: `UPDATE ${table} SET v = 2 WHERE id = 1` },
    { label: "SELECT", sql: `SELECT id, v FROM ${table} WHERE id = 1` },
    { label: "DELETE", sql: `DELETE FROM ${table} WHERE id = 1` },
    { label: "DROP TABLE", sql: `DROP TABLE ${table}` },
  ];
}

async function migrateDdlProbe(conn: mysql.Connection, schema: string, account: string): Promise<Check> {
  const table = `${quoteId(schema)}.${quoteId(scratchName())}`;
  const steps = migrateSteps(table);
  for (const [i, step] of steps.entries()) {
    const error = await tryQuery(conn, step.sql);
    if (error === undefined) continue;
    const cleanup = i > 0 ? await dropScratch(conn, "TABLE", table) : "";
    return fail(
      "probe.migrate-ddl",
      `migration user cannot ${step.label} in \`${schema}\` (${error})${cleanup}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX, REFERENCES ON \`${schema}\`.* TO ${account};`,
    );
  }
  return pass("probe.migrate-ddl", `migration user can create, alter, index, write and drop a scratch table in \`${schema}\` (removed)`);
}

async function migrateScopeProbe(conn: mysql.Connection, account: string): Promise<Check> {
  const database = quoteId(scratchName());
  const error = await tryQuery(conn, `CREATE DATABASE ${database}`);
  if (error) return pass("probe.create-database-refused", `migration user cannot create other schemas (${error})`);
  const cleanup = await dropScratch(conn, "DATABASE", database);
  return fail("probe.create-database-refused", `migration user could CREATE DATABASE${cleanup}`, `REVOKE CREATE ON *.* FROM ${account};`);
}

export async function writeProbes(conn: mysql.Connection, schema: string, role: Role, account: string): Promise<Check[]> {
  if (role === "runtime") return runtimeProbe(conn, schema, account);
  return [await migrateDdlProbe(conn, schema, account), await migrateScopeProbe(conn, account)];
}
