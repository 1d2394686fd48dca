// verify:db — is the running database what the checklist demands for this account?
import { parseOptions, positiveInt, readPem } from "../args";
import type { RunContext } from "../cli";
import { Check, Report, UsageError, notTested } from "../report";
import { CredentialOptions, Role, SecretsClient, resolveDatabaseUrl } from "./credentials";
import { readGrantEvidence, readTlsRequirement } from "./evidence";
import { evaluateAccountTls, evaluateGrants } from "./policy";
import { writeProbes } from "./probes";
import { openTlsSession, plaintextCheck, tlsCheck } from "./session";
import { parseConnectTo, parseDbUrl } from "./url";

export const DB_USAGE = `usage: npm run verify:db -- [credentials] [--ca <pem>] [--role runtime|migrate] [--connect-to host:port]
         [--json] [--timeout <ms>]
  --ca          CA bundle the server certificate must chain to (RDS: the regional bundle); default: system store
  --connect-to  dial this address (e.g. the SSM port-forward of scripts/db-tunnel.sh, 127.0.0.1:13307); TLS still verifies the URL's host
credentials (one of; default: environment variable DATABASE_URL, or DATABASE_URL_MIGRATE for --role migrate):
  --url mysql://user:pass@host:port/db     (lands in shell history: prefer the two below)
  --url-env NAME                            read the URL from environment variable NAME
  --secret-id <arn|name> [--secret-key K]   read key K (default DATABASE_URL / DATABASE_URL_MIGRATE) of a
                                            Secrets Manager JSON secret [--region R]
exit: 0 all checks hold, 1 findings (each with its fix), 2 cannot connect or bad arguments
`;

const OPTIONS = {
  url: { type: "string" },
  "url-env": { type: "string" },
  "secret-id": { type: "string" },
  "secret-key": { type: "string" },
  region: { type: "string" },
  ca: { type: "string" },
  "connect-to": { type: "string" },
  role: { type: "string", default: "runtime" },
  timeout: { type: "string" },
  json: { type: "boolean" },
} as const;

export interface DbDeps {
  env?: NodeJS.ProcessEnv;
  makeSecretsClient?: (region?: string) => SecretsClient;
}

function parseRole(value: string | undefined): Role {
  if (value === "runtime" || value === "migrate") return value;
  throw new UsageError(`--role must be runtime or migrate, got "${value}"`);
}

export async function runDb(argv: string[], ctx: RunContext, deps: DbDeps = {}): Promise<Report> {
  const o = parseOptions(argv, OPTIONS);
  const role = parseRole(o.role);
  const credentials: CredentialOptions = { url: o.url, urlEnv: o["url-env"], secretId: o["secret-id"], secretKey: o["secret-key"], region: o.region, role };
  const timeoutMs = positiveInt(o.timeout, "--timeout", 10000);
  const ca = readPem(o.ca);
  const connectTo = parseConnectTo(o["connect-to"]);
  const resolved = await resolveDatabaseUrl(credentials, deps.env, deps.makeSecretsClient);
  const target = { ...parseDbUrl(resolved.url), connectTo };
  ctx.secrets.add(target.password);
  const via = connectTo ? `, via ${o["connect-to"]}` : "";
  const report: Report = { tool: "verify-db", target: `${target.display} (role ${role}, from ${resolved.source}${via})`, checks: [] };
  const session = await openTlsSession({ target, ca, timeoutMs });
  try {
    report.checks.push(tlsCheck(session, o.ca ? `--ca ${o.ca}` : "the system trust store"));
    report.checks.push(await plaintextCheck({ target, ca, timeoutMs }, session.account));
    report.checks.push(evaluateAccountTls(session.account, await readTlsRequirement(session)));
    report.checks.push(...evaluateGrants(await readGrantEvidence(session, target.schema, role)));
    report.checks.push(...(await probesIfClean(report.checks, session.conn, target.schema, role, session.account)));
  } finally {
    await session.conn.end().catch(() => undefined);
  }
  return report;
}

async function probesIfClean(checks: Check[], ...args: Parameters<typeof writeProbes>): Promise<Check[]> {
  if (checks.some((c) => c.status === "fail")) {
    return [notTested("probe", "write probes skipped: the findings above already fail this account, so nothing is written")];
  }
  return writeProbes(...args);
}
