import { account, catalystResourcePolicy, forTypes, peek, requireKnown } from "./lib";

export const mysqlGrantNoGlobal = catalystResourcePolicy({
  name: "mysql-grant-no-global",
  description: "MySQL grants must be scoped to the application database, never global (ON *.*).",
  severity: "critical",
  remediationSteps:
    'Set `database` on the mysql.Grant to the application schema (e.g. "catalyst"), never "*"; administrative work uses the RDS master user, not a global grant.',
  checklist: ["Database user has minimal required privileges", "Database user privileges verified (limited for app, admin only for migrations)"],
  validateResource: forTypes("mysql:index/grant:Grant", (props, _args, reportViolation) => {
    const database = requireKnown(props, "database", "database must be a literal in the program");
    if (database === "*" || database === "" || database === "*.*") {
      const who = account(peek(props, "user") ?? peek(props, "role"), peek(props, "host"));
      reportViolation(`${who}: grant on database ${JSON.stringify(database)} is global (ON *.*): it reaches every schema, including mysql.*.`);
    }
  }),
});
