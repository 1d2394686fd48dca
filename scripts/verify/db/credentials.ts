// Where the database URL comes from. --url is convenient but lands in shell history; an environment
// variable or a Secrets Manager secret (the one the ECS tasks read) keeps the password out of it.
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { UsageError } from "../report";

export type Role = "runtime" | "migrate";

export interface CredentialOptions {
  url?: string;
  urlEnv?: string;
  secretId?: string;
  secretKey?: string;
  region?: string;
  role: Role;
}

/** The subset of the SDK client used here, so tests can inject one (no network). */
export interface SecretsClient {
  send(command: GetSecretValueCommand): Promise<{ SecretString?: string }>;
}

export const DEFAULT_KEY: Record<Role, string> = { runtime: "DATABASE_URL", migrate: "DATABASE_URL_MIGRATE" };

export interface ResolvedUrl {
  url: string;
  source: string;
}

function fromEnv(name: string, env: NodeJS.ProcessEnv): ResolvedUrl {
  const value = env[name];
  if (!value) throw new UsageError(`environment variable ${name} is not set or empty`);
  return { url: value, source: `environment variable ${name}` };
}

function pickFromSecret(secretString: string, key: string, secretId: string): string {
  const trimmed = secretString.trim();
  if (/^(mysql|mariadb):\/\//.test(trimmed)) return trimmed;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw new UsageError(`secret ${secretId} is neither JSON nor a mysql:// URL`);
  }
  const value = (parsed as Record<string, unknown>)?.[key];
  if (typeof value !== "string" || value === "") {
    const keys = parsed && typeof parsed === "object" ? Object.keys(parsed).join(", ") : "none";
    throw new UsageError(`secret ${secretId} has no string key "${key}" (keys: ${keys})`);
  }
  return value;
}

async function fromSecret(opts: CredentialOptions, client: SecretsClient): Promise<ResolvedUrl> {
  const secretId = opts.secretId as string;
  const key = opts.secretKey ?? DEFAULT_KEY[opts.role];
  let secretString: string | undefined;
  try {
    ({ SecretString: secretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId })));
  } catch (err) {
    throw new UsageError(`cannot read secret ${secretId}: ${(err as Error).name}: ${(err as Error).message}`);
  }
  if (!secretString) throw new UsageError(`secret ${secretId} has no SecretString`);
  return { url: pickFromSecret(secretString, key, secretId), source: `secret ${secretId} key ${key}` };
}

export async function resolveDatabaseUrl(
  opts: CredentialOptions,
  env: NodeJS.ProcessEnv = process.env,
  makeClient: (region?: string) => SecretsClient = (region) => new SecretsManagerClient(region ? { region } : {}),
): Promise<ResolvedUrl> {
  const given = [opts.url !== undefined, opts.urlEnv !== undefined, opts.secretId !== undefined].filter(Boolean);
  if (given.length > 1) throw new UsageError("use only one of --url, --url-env and --secret-id");
  if (opts.secretKey !== undefined && opts.secretId === undefined) throw new UsageError("--secret-key needs --secret-id");
  if (opts.url !== undefined) return { url: opts.url, source: "--url" };
  if (opts.secretId !== undefined) return fromSecret(opts, makeClient(opts.region));
  return fromEnv(opts.urlEnv ?? DEFAULT_KEY[opts.role], env);
}
