import { account, catalystResourcePolicy, forTypes, normalizePrivileges, peek, requireKnown } from "./lib";

export const mysqlGrantNoGrantOption = catalystResourcePolicy({
  name: "mysql-grant-no-grant-option",
  description: "MySQL grants must not include WITH GRANT OPTION: an account must not be able to hand its privileges to others.",
  severity: "high",
  remediationSteps: 'Remove `grant: true` and any "GRANT OPTION" privilege from the mysql.Grant.',
  checklist: ["Database user has minimal required privileges"],
  validateResource: forTypes("mysql:index/grant:Grant", (props, _args, reportViolation) => {
    const who = account(peek(props, "user") ?? peek(props, "role"), peek(props, "host"));
    const grant = requireKnown(props, "grant", "grant must be a literal in the program");
    if (grant === true) reportViolation(`${who}: grant is true (WITH GRANT OPTION).`);
    const privileges = requireKnown(props, "privileges", "privileges must be literals in the program");
    if (Array.isArray(privileges) && normalizePrivileges(privileges).includes("GRANT OPTION")) {
      reportViolation(`${who}: privileges include GRANT OPTION.`);
    }
  }),
});
