import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logBucketPolicy } from "./logDelivery";

export const ACCESS_LOG_PREFIX = "access";
export const CONNECTION_LOG_PREFIX = "connection";

export interface AlbLogBucketArgs {
  /** Globally unique bucket name. */
  bucketName: pulumi.Input<string>;
  region: string;
  accountId: pulumi.Input<string>;
  /** Days a log object is kept before S3 deletes it. */
  retentionDays: number;
  protect?: boolean;
}

/**
 * Private S3 bucket for ALB access and connection logs. Encryption is SSE-S3 (AES256): it is the only
 * server-side encryption ALB log delivery supports (SSE-KMS buckets receive no logs).
 */
export class AlbLogBucket extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  /** ALB log attributes may only be set once ELB can write: depend on this before enabling logs. */
  public readonly policy: aws.s3.BucketPolicy;

  constructor(name: string, args: AlbLogBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("catalyst:edge:AlbLogBucket", name, {}, opts);
    const child = { parent: this };

    const bucket = new aws.s3.Bucket(`${name}-bucket`, { bucket: args.bucketName, forceDestroy: false }, { parent: this, protect: args.protect ?? true });
    const onBucket = { bucket: bucket.bucket };
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { ...onBucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      { ...onBucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      child,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      { ...onBucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
      child,
    );
    // Versioning keeps an overwritten or deleted log object recoverable for the noncurrent window.
    new aws.s3.BucketVersioning(`${name}-versioning`, { ...onBucket, versioningConfiguration: { status: "Enabled" } }, child);
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        ...onBucket,
        rules: [
          {
            id: "expire-logs",
            status: "Enabled",
            filter: {},
            expiration: { days: args.retentionDays },
            noncurrentVersionExpiration: { noncurrentDays: 30 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      child,
    );
    const document = pulumi
      .all([args.bucketName, args.accountId])
      .apply(([bucketName, accountId]) =>
        JSON.stringify(logBucketPolicy({ bucketName, accountId, region: args.region, prefixes: [ACCESS_LOG_PREFIX, CONNECTION_LOG_PREFIX] })),
      );
    // A bucket policy put before the public-access block could be judged public and rejected.
    this.policy = new aws.s3.BucketPolicy(`${name}-policy`, { ...onBucket, policy: document }, { ...child, dependsOn: [publicAccess] });

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}
