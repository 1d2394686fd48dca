// @pulumi/mysql Grant fields as the provider interprets them.

/** Privileges as upper-case words, with "ALL" for "ALL" / "ALL PRIVILEGES". */
export function normalizePrivileges(privileges: readonly unknown[]): string[] {
  return privileges.map((p) => String(p).trim().toUpperCase().replace(/\s+/g, " ")).map((p) => (p === "ALL PRIVILEGES" ? "ALL" : p));
}

/** The MySQL account a Grant or User names, for messages. */
export function account(user: unknown, host: unknown): string {
  return `'${String(user)}'@'${host === undefined ? "localhost" : String(host)}'`;
}
