import { account, catalystResourcePolicy, forTypes, normalizePrivileges, peek, requireKnown } from "./lib";

/** The runtime (DATABASE_URL) user; stacks/config.ts names it the same way. */
export const DEFAULT_RUNTIME_USER = "catalyst_app";
const DML = ["SELECT", "INSERT", "UPDATE", "DELETE"];

export const mysqlRuntimeGrantDmlOnly = catalystResourcePolicy({
  name: "mysql-runtime-grant-dml-only",
  description: "The application's runtime MySQL user (DATABASE_URL) may hold only SELECT, INSERT, UPDATE and DELETE.",
  severity: "critical",
  remediationSteps:
    'Grant the runtime user exactly ["SELECT", "INSERT", "UPDATE", "DELETE"] on the application schema; DDL and admin privileges belong to the migration user (DATABASE_URL_MIGRATE). Set `runtimeUser` in the policy pack config if the runtime user has another name.',
  checklist: [
    "`DATABASE_URL` uses limited-privilege user (not root)",
    "Database user has minimal required privileges",
    "Database user privileges verified (limited for app, admin only for migrations)",
  ],
  configSchema: { properties: { runtimeUser: { type: "string", default: DEFAULT_RUNTIME_USER } } },
  validateResource: forTypes("mysql:index/grant:Grant", (props, args, reportViolation) => {
    const runtimeUser = args.getConfig<{ runtimeUser?: string }>().runtimeUser ?? DEFAULT_RUNTIME_USER;
    const user = requireKnown(props, "user", "the grant's user must be a literal in the program");
    if (user !== runtimeUser) args.notApplicable(`grant is not for the runtime user ${runtimeUser}`);
    const who = account(user, peek(props, "host"));
    const roles = requireKnown(props, "roles", "roles must be literals in the program");
    if (Array.isArray(roles) && roles.length > 0) {
      reportViolation(`${who}: the runtime user is granted roles (${roles.join(", ")}), whose privileges this policy cannot bound.`);
    }
    const privileges = requireKnown(props, "privileges", "privileges must be literals in the program");
    const extra = Array.isArray(privileges) ? normalizePrivileges(privileges).filter((p) => !DML.includes(p)) : [];
    if (extra.length > 0) {
      reportViolation(`${who}: the runtime user holds ${extra.join(", ")}; only ${DML.join(", ")} are allowed.`);
    }
  }),
});
