// Live connections for verify:db. The verified TLS session is the only one that ever runs SQL; the
// plaintext attempt only authenticates (challenge-response; every auth path that would hand the
// password to an unauthenticated peer is refused) and is closed at once if the server lets it in.
import { randomBytes } from "node:crypto";
import { connect, isIP } from "node:net";
import { TLSSocket, checkServerIdentity } from "node:tls";
import mysql from "mysql2/promise";
import { authPlugins } from "mysql2";
import { Check, ConnectError, fail, notTested, pass } from "../report";
import type { DbTarget } from "./url";

export type Dialect = "mariadb" | "mysql";

export interface Session {
  conn: mysql.Connection;
  dialect: Dialect;
  version: string;
  /** CURRENT_USER() in backtick form, e.g. `app`@`%`. */
  account: string;
  tlsVersion: string;
  cipher: string;
}

export interface ConnectOptions {
  target: DbTarget;
  ca?: Buffer;
  timeoutMs: number;
}

/** The server hung up on the plaintext attempt: that is a refusal too. */
const SERVER_CLOSED = new Set(["ECONNRESET", "PROTOCOL_CONNECTION_LOST", "EPIPE"]);
const CERT_HINT =
  "the server certificate is not trusted for this host: pass --ca with the server's CA bundle (RDS: the regional bundle from truststore.pki.rds.amazonaws.com)";

function baseConfig(o: ConnectOptions): mysql.ConnectionOptions {
  const { host, port, user, password, connectTo } = o.target;
  // mysql2 uses `host` for SNI and the certificate name check; the stream decides where TCP goes.
  const stream = connectTo ? () => connect(connectTo.port, connectTo.host) : undefined;
  return { host, port, user, password, connectTimeout: o.timeoutMs, multipleStatements: false, stream };
}

function describeError(err: unknown): string {
  const e = err as { code?: string; errno?: number; message?: string };
  return [e.code, e.message].filter(Boolean).join(": ");
}

export async function query<T = Record<string, unknown>>(conn: mysql.Connection, sql: string, timeoutMs = 15000): Promise<T[]> {
  const [rows] = await conn.query({ sql, timeout: timeoutMs });
  return rows as T[];
}

const quoteId = (v: string) => "`" + v.replace(/`/g, "``") + "`";

export function accountFromCurrentUser(value: string): string {
  const at = value.lastIndexOf("@");
  return at === -1 ? quoteId(value) : `${quoteId(value.slice(0, at))}@${quoteId(value.slice(at + 1))}`;
}

/** mysql2 only checks the certificate name for DNS hosts; for an IP literal check it here. */
function ipIdentityError(conn: mysql.Connection, host: string): string | undefined {
  if (!isIP(host)) return undefined;
  const stream = (conn as unknown as { connection: { stream: unknown } }).connection.stream;
  if (!(stream instanceof TLSSocket)) return "the connection is not a TLS socket";
  return checkServerIdentity(host, stream.getPeerCertificate())?.message;
}

async function readSession(conn: mysql.Connection): Promise<Omit<Session, "conn">> {
  const [info] = await query<{ v: string; u: string }>(conn, "SELECT VERSION() AS v, CURRENT_USER() AS u");
  const status = await query<{ Variable_name: string; Value: string }>(conn, "SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_version', 'Ssl_cipher')");
  const get = (name: string) => status.find((r) => r.Variable_name === name)?.Value ?? "";
  return {
    dialect: /mariadb/i.test(info.v) ? "mariadb" : "mysql",
    version: info.v,
    account: accountFromCurrentUser(info.u),
    tlsVersion: get("Ssl_version"),
    cipher: get("Ssl_cipher"),
  };
}

/** Opens the verified TLS session; any failure is "cannot connect" (exit 2). */
export async function openTlsSession(o: ConnectOptions): Promise<Session> {
  const via = o.target.connectTo ? ` via ${o.target.connectTo.host}:${o.target.connectTo.port}` : "";
  const where = `${o.target.host}:${o.target.port}${via} as ${o.target.user}`;
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection({
      ...baseConfig(o),
      ssl: { ca: o.ca, rejectUnauthorized: true, verifyIdentity: true, minVersion: "TLSv1.2" },
    });
  } catch (err) {
    const detail = describeError(err);
    const hint = /cert|signature|self.signed|altname|issuer|verify/i.test(detail) ? ` — ${CERT_HINT}` : "";
    throw new ConnectError(`TLS connection to ${where} failed: ${detail}${hint}`);
  }
  try {
    const identityError = ipIdentityError(conn, o.target.host);
    if (identityError) throw new ConnectError(`TLS connection to ${where}: ${identityError} — ${CERT_HINT}`);
    return { conn, ...(await readSession(conn)) };
  } catch (err) {
    await conn.end().catch(() => undefined);
    throw err instanceof ConnectError ? err : new ConnectError(`reading session details on ${where} failed: ${describeError(err)}`);
  }
}

export function tlsCheck(s: Session, caSource: string): Check {
  const modern = s.tlsVersion === "TLSv1.2" || s.tlsVersion === "TLSv1.3";
  const message = `connected with ${s.tlsVersion || "unknown TLS version"}, cipher ${s.cipher || "unknown"}; server certificate verified against ${caSource}`;
  return modern ? pass("tls.connection", message) : fail("tls.connection", message, "Allow only TLS 1.2+ on the server (tls_version = TLSv1.2,TLSv1.3).");
}

const GUARD = "verify-db-guard";
function refusePlaintextPassword(plugin: string): () => never {
  return () => {
    throw new Error(`${GUARD}: ${plugin} would send the password to an unauthenticated server key over plaintext`);
  };
}

/** Auth plugins for the plaintext attempt: scramble-based only, never the password or an RSA exchange. */
function guardedAuthPlugins(): mysql.ConnectionOptions["authPlugins"] {
  const refuse = (plugin: string) => () => refusePlaintextPassword(plugin);
  return {
    caching_sha2_password: authPlugins.caching_sha2_password({ overrideIsSecure: false, onServerPublicKey: refusePlaintextPassword("caching_sha2_password") }),
    sha256_password: refuse("sha256_password"),
    mysql_clear_password: refuse("mysql_clear_password"),
    dialog: refuse("dialog"),
  };
}

export async function plaintextCheck(o: ConnectOptions, account: string): Promise<Check> {
  const id = "tls.plaintext-refused";
  try {
    const conn = await mysql.createConnection({ ...baseConfig(o), authPlugins: guardedAuthPlugins() });
    await conn.end().catch(() => undefined);
    return fail(
      id,
      `the server accepted a plaintext (non-TLS) connection for ${account}`,
      `Set require_secure_transport=1 (RDS: in the DB parameter group) and run ALTER USER ${account} REQUIRE SSL;`,
    );
  } catch (err) {
    const message = describeError(err);
    // A server error packet carries an SQLSTATE; Node's socket errors (negative errno) do not.
    const { code, sqlState } = err as { code?: string; sqlState?: unknown };
    if (typeof sqlState === "string" || SERVER_CLOSED.has(code ?? "")) {
      return pass(id, `the server refused a plaintext connection for ${account} (${message})`);
    }
    // Anything else failed on our side (guard, unknown auth plugin, timeout): no conclusion.
    return notTested(id, `plaintext attempt ended without an answer from the server: ${message.replace(`${GUARD}: `, "")}`);
  }
}

export function scratchName(): string {
  return `_catalyst_verify_${randomBytes(6).toString("hex")}`;
}

export { quoteId };
