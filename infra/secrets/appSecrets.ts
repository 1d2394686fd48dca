import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { dataKey, keyPolicyContext } from "./kmsKey";

/** JSON keys of each secret: ECS reads one with `valueFrom: <arn>:<key>::`. */
export const SECRET_KEYS = {
  runtime: ["DATABASE_URL", "BETTER_AUTH_SECRET"],
  migrate: ["DATABASE_URL_MIGRATE"],
} as const;

export interface AppSecretsArgs {
  /** `catalyst/<stack>`: secrets become `catalyst/<stack>/runtime` and `.../migrate`, never shared between stacks. */
  namePrefix: string;
  /** Alias of the secrets key, e.g. `catalyst-prod-secrets`. */
  keyAlias: string;
  /** DATABASE_URL (runtime user); must be a secret Output. */
  runtimeDatabaseUrl: pulumi.Input<string>;
  /** DATABASE_URL_MIGRATE (migration user); must be a secret Output. */
  migrateDatabaseUrl: pulumi.Input<string>;
  /** Changing it regenerates BETTER_AUTH_SECRET on the next `pulumi up`. */
  generation: number;
  /** Days a deleted secret stays recoverable (7..30); force-delete is never used. */
  recoveryWindowDays?: number;
  protect?: boolean;
}

/** `valueFrom` of one JSON key of a secret, for an ECS container definition. */
export function secretValueFrom(secretArn: pulumi.Input<string>, key: string): pulumi.Output<string> {
  return pulumi.interpolate`${secretArn}:${key}::`;
}

/**
 * The application's secrets in Secrets Manager, encrypted with their own rotating key:
 * runtime = { DATABASE_URL, BETTER_AUTH_SECRET } for the apps, migrate = { DATABASE_URL_MIGRATE } for
 * the migration task only. BETTER_AUTH_SECRET is 32 random bytes, base64 (= `openssl rand -base64 32`).
 */
export class AppSecrets extends pulumi.ComponentResource {
  public readonly runtimeSecretArn: pulumi.Output<string>;
  public readonly runtimeSecretName: string;
  public readonly migrateSecretArn: pulumi.Output<string>;
  public readonly migrateSecretName: string;
  public readonly kmsKeyArn: pulumi.Output<string>;

  constructor(name: string, args: AppSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("catalyst:secrets:AppSecrets", name, {}, opts);
    const protect = args.protect ?? true;
    const key = dataKey(
      `${name}-key`,
      { description: `Encrypts the application secrets under ${args.namePrefix}/`, aliasName: args.keyAlias, protect },
      keyPolicyContext(this),
      this,
    );

    const authSecret = new random.RandomBytes(`${name}-better-auth-secret`, { length: 32, keepers: { generation: String(args.generation) } }, { parent: this });

    const secret = (role: keyof typeof SECRET_KEYS, description: string, values: Record<string, pulumi.Input<string>>) => {
      const secretName = `${args.namePrefix}/${role}`;
      const s = new aws.secretsmanager.Secret(
        `${name}-${role}`,
        { name: secretName, description, kmsKeyId: key.arn, recoveryWindowInDays: args.recoveryWindowDays ?? 30 },
        { parent: this, protect },
      );
      new aws.secretsmanager.SecretVersion(
        `${name}-${role}-value`,
        { secretId: s.id, secretString: pulumi.secret(pulumi.jsonStringify(values)) },
        { parent: this },
      );
      return { arn: s.arn, name: secretName };
    };
    const runtime = secret("runtime", "Catalyst apps: DATABASE_URL (runtime user) and BETTER_AUTH_SECRET", {
      DATABASE_URL: args.runtimeDatabaseUrl,
      BETTER_AUTH_SECRET: authSecret.base64,
    });
    const migrate = secret("migrate", "Catalyst migration task: DATABASE_URL_MIGRATE (migration user)", { DATABASE_URL_MIGRATE: args.migrateDatabaseUrl });

    this.runtimeSecretArn = runtime.arn;
    this.runtimeSecretName = runtime.name;
    this.migrateSecretArn = migrate.arn;
    this.migrateSecretName = migrate.name;
    this.kmsKeyArn = key.arn;
    this.registerOutputs({
      runtimeSecretArn: this.runtimeSecretArn,
      runtimeSecretName: this.runtimeSecretName,
      migrateSecretArn: this.migrateSecretArn,
      migrateSecretName: this.migrateSecretName,
      kmsKeyArn: this.kmsKeyArn,
    });
  }
}
