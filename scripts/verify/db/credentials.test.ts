// Credential sources for verify:db, with an injected Secrets Manager client (no network), and the
// URL parser. No message may contain the password.
import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { UsageError } from "../report";
import { SecretsClient, resolveDatabaseUrl } from "./credentials";
import { parseRoleList } from "./evidence";
import { parseConnectTo, parseDbUrl } from "./url";

const RUNTIME_URL = "mysql://catalyst_app:rt-Secret%2F1@db.internal:3306/catalyst";
const MIGRATE_URL = "mysql://catalyst_migrate:mig-Secret@db.internal:3306/catalyst";

function fakeClient(secretString: string | undefined, calls: string[] = []): () => SecretsClient {
  return () => ({
    send: async (command: GetSecretValueCommand) => {
      calls.push(String(command.input.SecretId));
      return { SecretString: secretString };
    },
  });
}

async function usageMessage(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  return (err as Error).message;
}

describe("resolveDatabaseUrl", () => {
  it("--url wins as given", async () => {
    expect(await resolveDatabaseUrl({ url: RUNTIME_URL, role: "runtime" }, {})).toEqual({ url: RUNTIME_URL, source: "--url" });
  });

  it("defaults to DATABASE_URL for runtime and DATABASE_URL_MIGRATE for migrate", async () => {
    const env = { DATABASE_URL: RUNTIME_URL, DATABASE_URL_MIGRATE: MIGRATE_URL };
    expect(await resolveDatabaseUrl({ role: "runtime" }, env)).toEqual({ url: RUNTIME_URL, source: "environment variable DATABASE_URL" });
    expect(await resolveDatabaseUrl({ role: "migrate" }, env)).toEqual({ url: MIGRATE_URL, source: "environment variable DATABASE_URL_MIGRATE" });
  });

  it("--url-env names another variable; an empty one is a usage error", async () => {
    expect((await resolveDatabaseUrl({ urlEnv: "PROD_DB", role: "runtime" }, { PROD_DB: RUNTIME_URL })).url).toBe(RUNTIME_URL);
    expect(await usageMessage(resolveDatabaseUrl({ urlEnv: "PROD_DB", role: "runtime" }, { PROD_DB: "" }))).toBe(
      "environment variable PROD_DB is not set or empty",
    );
  });

  it("reads the role's key from a Secrets Manager JSON secret", async () => {
    const calls: string[] = [];
    const secret = JSON.stringify({ DATABASE_URL: RUNTIME_URL, DATABASE_URL_MIGRATE: MIGRATE_URL });
    const resolved = await resolveDatabaseUrl({ secretId: "catalyst/prod/app", role: "migrate" }, {}, fakeClient(secret, calls));
    expect(resolved).toEqual({ url: MIGRATE_URL, source: "secret catalyst/prod/app key DATABASE_URL_MIGRATE" });
    expect(calls).toEqual(["catalyst/prod/app"]);
  });

  it("--secret-key picks another key; a missing key lists the keys but no values", async () => {
    const secret = JSON.stringify({ DATABASE_URL: RUNTIME_URL });
    expect((await resolveDatabaseUrl({ secretId: "s", secretKey: "DATABASE_URL", role: "migrate" }, {}, fakeClient(secret))).url).toBe(RUNTIME_URL);
    const message = await usageMessage(resolveDatabaseUrl({ secretId: "s", secretKey: "OTHER", role: "runtime" }, {}, fakeClient(secret)));
    expect(message).toBe('secret s has no string key "OTHER" (keys: DATABASE_URL)');
  });

  it("accepts a secret that is a bare URL, rejects one that is neither JSON nor a URL without echoing it", async () => {
    expect((await resolveDatabaseUrl({ secretId: "s", role: "runtime" }, {}, fakeClient(RUNTIME_URL))).url).toBe(RUNTIME_URL);
    const message = await usageMessage(resolveDatabaseUrl({ secretId: "s", role: "runtime" }, {}, fakeClient("hunter2-plain")));
    expect(message).toBe("secret s is neither JSON nor a mysql:// URL");
  });

  it("an SDK error becomes a usage error naming the secret", async () => {
    const failing = () => ({ send: async () => Promise.reject(Object.assign(new Error("User is not authorized"), { name: "AccessDeniedException" })) });
    expect(await usageMessage(resolveDatabaseUrl({ secretId: "arn:aws:secretsmanager:eu-west-1:1:secret:x", role: "runtime" }, {}, failing))).toBe(
      "cannot read secret arn:aws:secretsmanager:eu-west-1:1:secret:x: AccessDeniedException: User is not authorized",
    );
  });

  it("refuses two sources at once", async () => {
    expect(await usageMessage(resolveDatabaseUrl({ url: RUNTIME_URL, secretId: "s", role: "runtime" }, {}))).toBe(
      "use only one of --url, --url-env and --secret-id",
    );
  });
});

describe("parseDbUrl", () => {
  it("decodes user and password, defaults the port", () => {
    expect(parseDbUrl("mysql://catalyst_app:p%40ss%3Aw%2Frd@db.example.com/catalyst")).toEqual({
      host: "db.example.com",
      port: 3306,
      user: "catalyst_app",
      password: "p@ss:w/rd",
      schema: "catalyst",
      display: "mysql://catalyst_app:***@db.example.com/catalyst",
    });
  });

  it("rejects a URL without a database, naming what is missing but not the password", async () => {
    const attempt = () => parseDbUrl("mysql://u:Very-Secret@db.example.com:3306/");
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(/^the database URL mysql:\/\/u:\*\*\*@db\.example\.com:3306\/ has no database$/);
  });

  it("rejects other schemes and unparsable input without echoing it", () => {
    expect(() => parseDbUrl("postgres://u:Very-Secret@h/db")).toThrow("the database URL does not start with mysql://");
    expect(() => parseDbUrl("u:Very-Secret@h/db")).toThrow("the database URL does not start with mysql://");
    expect(() => parseDbUrl("mysql://u:Very Secret@h:notaport/db")).toThrow("the database URL is not a valid URL");
  });
});

describe("parseRoleList (mandatory_roles)", () => {
  it("quotes and defaults the host", () => {
    expect(parseRoleList("`r1`@`%`,r2@localhost, r3")).toEqual(["`r1`@`%`", "`r2`@`localhost`", "`r3`@`%`"]);
    expect(parseRoleList("")).toEqual([]);
  });
});

describe("parseConnectTo", () => {
  it("parses host:port and [ipv6]:port, rejects anything else", () => {
    expect(parseConnectTo("127.0.0.1:13306")).toEqual({ host: "127.0.0.1", port: 13306 });
    expect(parseConnectTo("[::1]:3306")).toEqual({ host: "::1", port: 3306 });
    expect(parseConnectTo(undefined)).toBeUndefined();
    for (const bad of ["localhost", "h:p", "u@h:1", "h:1/x"]) expect(() => parseConnectTo(bad)).toThrow(`--connect-to must be host:port, got "${bad}"`);
  });
});
