import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface SecretAccessPolicyArgs {
  secretArn: pulumi.Input<string>;
  /** Roles that read the secret (e.g. the ECS task execution roles). */
  readerRoleArns: pulumi.Input<string>[];
  /**
   * Principals that write the secret and read it back (the CI deploy role: the provider reads a
   * secret version after writing it), plus any break-glass admins. Explicit, never "whoever runs
   * `pulumi up`": that would make the policy differ between a PR preview and a deploy, and swap the
   * admitted principal whenever someone else applies the stack.
   */
  managerArns: pulumi.Input<string>[];
}

export const READ_ACTIONS = ["secretsmanager:GetSecretValue"];

/** Denies reading the secret's value to every principal that is not listed, whatever its IAM policies say. */
export function allowedPrincipals(readers: string[], managers: string[]): string[] {
  if (readers.length === 0) throw new Error("a secret access policy needs at least one reader role");
  if (managers.length === 0)
    throw new Error("a secret access policy needs at least one manager (the deploy role): without one, no deploy can write the secret");
  return [...new Set([...readers, ...managers])].sort();
}

export function secretAccessPolicyDocument(allowed: string[]): aws.iam.PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "OnlyListedPrincipalsReadTheValue",
        Effect: "Deny",
        Principal: "*",
        Action: READ_ACTIONS,
        Resource: "*",
        Condition: { StringNotEquals: { "aws:PrincipalArn": allowed } },
      },
    ],
  };
}

/**
 * A secret's resource policy: only the given roles (and the managers) may read its value. Identity
 * policies still have to grant the read; this makes a broad identity policy elsewhere in the account
 * (e.g. an admin's secretsmanager:*) unable to read it. COMPUTE creates one per secret once the task
 * roles exist.
 */
export class SecretAccessPolicy extends pulumi.ComponentResource {
  public readonly allowedPrincipalArns: pulumi.Output<string[]>;

  constructor(name: string, args: SecretAccessPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("catalyst:secrets:SecretAccessPolicy", name, {}, opts);
    this.allowedPrincipalArns = pulumi.all([pulumi.all(args.readerRoleArns), pulumi.all(args.managerArns)]).apply(([r, m]) => allowedPrincipals(r, m));
    const policy = this.allowedPrincipalArns.apply((allowed) => JSON.stringify(secretAccessPolicyDocument(allowed)));
    new aws.secretsmanager.SecretPolicy(`${name}-policy`, { secretArn: args.secretArn, policy, blockPublicPolicy: true }, { parent: this });
    this.registerOutputs({ allowedPrincipalArns: this.allowedPrincipalArns });
  }
}
