// What "looks like a secret" for the Environment Variables requirements: DATABASE_URL, *_SECRET,
// *_PASSWORD, *_TOKEN (and the usual key names), and any URL that carries credentials.
const SECRET_NAME = /^(DATABASE_URL(_[A-Z0-9]+)?|.*(^|_)(SECRET|PASSWORD|PASSWD|PWD|TOKEN|API_KEY|PRIVATE_KEY|ACCESS_KEY|SECRET_KEY))$/i;
// scheme://user:password@host — the password part is what makes it a credential.
const CREDENTIAL_URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i;
// A reference to where a secret lives is not the secret: ARNs and Secrets Manager / SSM references.
const REFERENCE = /^(arn:aws[a-z-]*:(secretsmanager|ssm|kms):|\{\{resolve:)/;

/** Matches SNAKE_CASE and camelCase names (`masterPassword` reads as MASTER_PASSWORD). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name.replace(/([a-z0-9])([A-Z])/g, "$1_$2"));
}

export function hasCredentialUrl(value: string): boolean {
  return CREDENTIAL_URL.test(value);
}

/** Why `name = value` exposes a secret in plaintext, or undefined when it does not. */
export function secretExposure(name: string, value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  if (hasCredentialUrl(value)) return `${name} holds a URL with embedded credentials`;
  if (isSecretName(name) && !REFERENCE.test(value)) return `${name} looks like a secret and holds a plaintext value`;
  return undefined;
}
