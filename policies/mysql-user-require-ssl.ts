import { account, catalystResourcePolicy, forTypes, peek, requireKnown } from "./lib";

/** tlsOption values that make the server refuse a plaintext login for the account. */
const REQUIRED = ["SSL", "X509"];

export const mysqlUserRequireSsl = catalystResourcePolicy({
  name: "mysql-user-require-ssl",
  description: "MySQL users must be created with REQUIRE SSL, so their credentials never cross the network in plaintext.",
  severity: "high",
  remediationSteps: 'Set `tlsOption: "SSL"` (or "X509") on the mysql.User; the provider then issues CREATE/ALTER USER ... REQUIRE SSL.',
  checklist: ["Database connection uses TLS/SSL", "Database Security › TLS/SSL for database connections"],
  validateResource: forTypes("mysql:index/user:User", (props, _args, reportViolation) => {
    const tls = requireKnown(props, "tlsOption", "tlsOption must be a literal in the program");
    const who = account(peek(props, "user"), peek(props, "host"));
    if (tls === undefined) {
      reportViolation(`${who}: tlsOption is not set (provider default "NONE"): the account may log in without TLS.`);
    } else if (!REQUIRED.includes(String(tls).toUpperCase())) {
      reportViolation(`${who}: tlsOption ${JSON.stringify(tls)} does not require TLS (use "SSL" or "X509").`);
    }
  }),
});
