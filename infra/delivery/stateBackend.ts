import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StateAccess } from "./iamDocuments";

export interface StateBackendArgs {
  /** Globally unique S3 bucket name for Pulumi state. */
  bucketName: string;
  region: string;
  /** Aliases become `alias/<prefix>-pulumi-state` and `alias/<prefix>-pulumi-secrets`. */
  keyAliasPrefix?: string;
  /** How long superseded state versions are kept: the window in which a state rollback is possible. */
  noncurrentVersionDays?: number;
  keyDeletionWindowDays?: number;
  protect?: boolean;
}

/**
 * Pulumi's S3 backend and secrets provider: a versioned, KMS-encrypted, private, TLS-only state bucket
 * and a separate KMS key for stack secrets (`awskms://`), so reading state objects and decrypting the
 * secrets in them are two grants, not one.
 */
export class StateBackend extends pulumi.ComponentResource {
  public readonly bucketName: string;
  public readonly bucketArn: pulumi.Output<string>;
  public readonly stateKeyArn: pulumi.Output<string>;
  public readonly secretsKeyArn: pulumi.Output<string>;
  public readonly stateKeyAlias: string;
  public readonly secretsKeyAlias: string;
  /** For `pulumi login`. */
  public readonly backendUrl: string;
  /** For `pulumi stack init --secrets-provider` / `change-secrets-provider`. */
  public readonly secretsProviderUrl: string;

  constructor(name: string, args: StateBackendArgs, opts?: pulumi.ComponentResourceOptions) {
    super("catalyst:delivery:StateBackend", name, {}, opts);
    const prefix = args.keyAliasPrefix ?? "catalyst";
    const stateful = { parent: this, protect: args.protect ?? true };
    const child = { parent: this };

    this.stateKeyAlias = `alias/${prefix}-pulumi-state`;
    this.secretsKeyAlias = `alias/${prefix}-pulumi-secrets`;
    const keyArgs = { enableKeyRotation: true, deletionWindowInDays: args.keyDeletionWindowDays ?? 30 };
    const stateKey = new aws.kms.Key(`${name}-state-key`, { ...keyArgs, description: `Encrypts the Pulumi state bucket ${args.bucketName}` }, stateful);
    new aws.kms.Alias(`${name}-state-key-alias`, { name: this.stateKeyAlias, targetKeyId: stateKey.keyId }, child);
    const secretsKey = new aws.kms.Key(`${name}-secrets-key`, { ...keyArgs, description: "Pulumi secrets provider for the Catalyst stacks" }, stateful);
    new aws.kms.Alias(`${name}-secrets-key-alias`, { name: this.secretsKeyAlias, targetKeyId: secretsKey.keyId }, child);

    const bucket = new aws.s3.Bucket(`${name}-bucket`, { bucket: args.bucketName, forceDestroy: false }, stateful);
    const onBucket = { bucket: bucket.id };
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { ...onBucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      { ...onBucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      child,
    );
    // Every state write keeps the previous version: the rollback path when a checkpoint is damaged.
    new aws.s3.BucketVersioning(`${name}-versioning`, { ...onBucket, versioningConfiguration: { status: "Enabled" } }, child);
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      { ...onBucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: stateKey.arn }, bucketKeyEnabled: true }] },
      child,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        ...onBucket,
        rules: [
          {
            id: "expire-superseded-state",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays ?? 365 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      child,
    );
    new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      { ...onBucket, policy: JSON.stringify(tlsOnlyBucketPolicy(`arn:aws:s3:::${args.bucketName}`)) },
      // A bucket policy put before the public-access block could be judged public and rejected.
      { ...child, dependsOn: [publicAccess] },
    );

    this.bucketName = args.bucketName;
    this.bucketArn = bucket.arn;
    this.stateKeyArn = stateKey.arn;
    this.secretsKeyArn = secretsKey.arn;
    this.backendUrl = `s3://${args.bucketName}?region=${args.region}`;
    this.secretsProviderUrl = `awskms://${this.secretsKeyAlias}?region=${args.region}`;
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      stateKeyArn: this.stateKeyArn,
      secretsKeyArn: this.secretsKeyArn,
      backendUrl: this.backendUrl,
      secretsProviderUrl: this.secretsProviderUrl,
    });
  }

  /** What the CI roles need to know about this backend. */
  access(): StateAccess {
    return { bucketName: this.bucketName, keyAliases: [this.stateKeyAlias, this.secretsKeyAlias] };
  }
}

/** Refuses plain HTTP and TLS below 1.2 for every principal, including the account's own roles. */
export function tlsOnlyBucketPolicy(bucketArn: string): aws.iam.PolicyDocument {
  const resource = [bucketArn, `${bucketArn}/*`];
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: resource,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      { Sid: "DenyOldTls", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: resource, Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } },
    ],
  };
}
