/**
 * Customer-managed KMS keys for the data tier. Every key rotates yearly, keeps the full 30-day
 * deletion window, and has an explicit key policy: the account administers the key through IAM
 * (AWS's default statement), and CloudWatch Logs may use it only for the log groups named here,
 * pinned by the encryption context Logs sends.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface KeyPolicyContext {
  accountId: string;
  region: string;
  partition: string;
}

/** Key policy: IAM-governed administration plus, optionally, CloudWatch Logs for the given log groups. */
export function keyPolicy(ctx: KeyPolicyContext, logGroupNames: readonly string[] = []): aws.iam.PolicyDocument {
  const statements: aws.iam.PolicyStatement[] = [
    {
      Sid: "AccountAdministersThroughIam",
      Effect: "Allow",
      Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ];
  if (logGroupNames.length > 0) {
    statements.push({
      Sid: "CloudWatchLogsForNamedLogGroups",
      Effect: "Allow",
      Principal: { Service: `logs.${ctx.region}.amazonaws.com` },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: {
        ArnLike: { "kms:EncryptionContext:aws:logs:arn": logGroupNames.map((n) => `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:${n}`) },
      },
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

export interface DataKeyArgs {
  description: string;
  /** `alias/<aliasName>`: how operators find the key. */
  aliasName: string;
  /** Log groups CloudWatch Logs may encrypt with this key. */
  logGroupNames?: readonly string[];
  /** For a key in another region (backup copies); defaults to the provider's region. */
  region?: string;
  protect?: boolean;
}

/** The caller's account, region and partition, resolved once per component. */
export function keyPolicyContext(parent: pulumi.Resource, region?: string): pulumi.Output<KeyPolicyContext> {
  const opts = { parent };
  return pulumi
    .all([
      aws.getCallerIdentityOutput({}, opts).accountId,
      aws.getRegionOutput(region ? { region } : {}, opts).region,
      aws.getPartitionOutput({}, opts).partition,
    ])
    .apply(([accountId, r, partition]) => ({ accountId, region: region ?? r, partition }));
}

/** A rotating customer-managed key with an alias; `protect` guards it (losing it loses the data). */
export function dataKey(name: string, args: DataKeyArgs, ctx: pulumi.Output<KeyPolicyContext>, parent: pulumi.Resource): aws.kms.Key {
  const key = new aws.kms.Key(
    name,
    {
      description: args.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: ctx.apply((c) => JSON.stringify(keyPolicy(c, args.logGroupNames ?? []))),
      ...(args.region ? { region: args.region } : {}),
    },
    { parent, protect: args.protect ?? true },
  );
  new aws.kms.Alias(`${name}-alias`, { name: `alias/${args.aliasName}`, targetKeyId: key.keyId, ...(args.region ? { region: args.region } : {}) }, { parent });
  return key;
}
