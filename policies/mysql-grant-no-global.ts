import { account, catalystResourcePolicy, forTypes, peek, requireKnown } from "./lib";

// Schemas a wildcard must never reach: a pattern that matches one of them is as good as global.
const SYSTEM_SCHEMAS = ["mysql", "sys", "information_schema", "performance_schema"];

/**
 * In a database-level grant (GRANT ... ON `db`.*) MySQL reads `%` and `_` in the name as wildcards,
 * even inside the backticks the provider adds; only `\%` and `\_` are literal. True when the name
 * is such a pattern: any unescaped `%`, or `_`s that make it match a system schema.
 */
export function isWildcardDatabase(database: string): boolean {
  const name = database.replace(/^`(.*)`$/, "$1");
  const literal = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  let pattern = "";
  let percent = false;
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === "\\" && i + 1 < name.length) pattern += literal(name[++i]);
    else if (c === "%") {
      percent = true;
      pattern += ".*";
    } else pattern += c === "_" ? "." : literal(c);
  }
  const matches = new RegExp(`^${pattern}$`, "i");
  return percent || SYSTEM_SCHEMAS.some((s) => matches.test(s));
}

export const mysqlGrantNoGlobal = catalystResourcePolicy({
  name: "mysql-grant-no-global",
  description: "MySQL grants must be scoped to the application database, never global (ON *.*) or a wildcard pattern.",
  severity: "critical",
  remediationSteps:
    'Set `database` on the mysql.Grant to the application schema (e.g. "catalyst"), never "*" or a pattern with % (escape a literal _ as \\_); ' +
    "administrative work uses the RDS master user, not a global grant.",
  checklist: ["Database user has minimal required privileges", "Database user privileges verified (limited for app, admin only for migrations)"],
  validateResource: forTypes("mysql:index/grant:Grant", (props, _args, reportViolation) => {
    const database = requireKnown(props, "database", "database must be a literal in the program");
    const who = () => account(peek(props, "user") ?? peek(props, "role"), peek(props, "host"));
    if (database === "*" || database === "" || database === "*.*") {
      reportViolation(`${who()}: grant on database ${JSON.stringify(database)} is global (ON *.*): it reaches every schema, including mysql.*.`);
    } else if (typeof database === "string" && isWildcardDatabase(database)) {
      reportViolation(
        `${who()}: database ${JSON.stringify(database)} is a wildcard pattern (% and _ match in database-level grants): the grant reaches other schemas than the application's.`,
      );
    }
  }),
});
