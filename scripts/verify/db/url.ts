// Parses a mysql:// connection URL (the app's DATABASE_URL format) into connection settings.
import { UsageError } from "../report";
import { displayUrl } from "../redact";

export interface DbTarget {
  host: string;
  port: number;
  /** TCP address actually dialled (e.g. a local SSM port-forward); TLS still verifies `host`. */
  connectTo?: { host: string; port: number };
  user: string;
  password: string;
  schema: string;
  /** Safe to print: the password is replaced. */
  display: string;
}

function parseUrl(raw: string): URL {
  try {
    return new URL(raw);
  } catch {
    // The raw value may hold a password: never echo it.
    throw new UsageError("the database URL is not a valid URL (expected mysql://user:password@host:port/database)");
  }
}

export function parseDbUrl(raw: string): DbTarget {
  const url = parseUrl(raw.trim());
  // Without the mysql:// shape, "user:password@host" would parse as scheme "user:": echo nothing.
  if (url.protocol !== "mysql:" && url.protocol !== "mariadb:") {
    throw new UsageError("the database URL does not start with mysql:// (expected mysql://user:password@host:port/database)");
  }
  const display = displayUrl(url);
  const schema = decodeURIComponent(url.pathname.replace(/^\//, ""));
  const missing = [!url.hostname && "host", !url.username && "user", !schema && "database"].filter(Boolean);
  if (missing.length > 0) throw new UsageError(`the database URL ${display} has no ${missing.join(", ")}`);
  if (schema.includes("/")) throw new UsageError(`the database URL ${display} has a path that is not a database name`);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    schema,
    display,
  };
}

/** --connect-to host:port (IPv6 as [addr]:port). */
export function parseConnectTo(value: string | undefined): DbTarget["connectTo"] {
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(`tcp://${value}`);
  } catch {
    url = undefined;
  }
  if (!url?.hostname || !url.port || url.pathname !== "" || url.username) {
    throw new UsageError(`--connect-to must be host:port, got "${value}"`);
  }
  return { host: url.hostname.replace(/^\[(.*)\]$/, "$1"), port: Number(url.port) };
}
