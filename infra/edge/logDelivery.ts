/**
 * Who writes ALB access and connection logs into S3. Regions opened before August 2022 deliver as a
 * regional Elastic Load Balancing account; newer regions deliver as the service principal
 * `logdelivery.elasticloadbalancing.amazonaws.com` and reject a policy naming an account.
 * Source: AWS ELB user guide, "Enable access logs for your Application Load Balancer", step 2.
 */
import type * as aws from "@pulumi/aws";
import { tlsOnlyBucketPolicy } from "../delivery/stateBackend";

export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-south-1": "718504428378",
  "ap-northeast-1": "582318560864",
  "ap-northeast-2": "600734575887",
  "ap-northeast-3": "383597477331",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-southeast-3": "589379963580",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-west-3": "009996457667",
  "eu-south-1": "635631232127",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
  "us-gov-west-1": "048591011584",
  "us-gov-east-1": "190560391635",
  "cn-north-1": "638102146993",
  "cn-northwest-1": "037604701340",
};

/** The ARN partition of a region (known from the region name, so policies stay literal at preview). */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export function elbLogDeliveryPrincipal(region: string): { AWS: string } | { Service: string } {
  const account = ELB_LOG_DELIVERY_ACCOUNTS[region];
  return account ? { AWS: `arn:${partitionOf(region)}:iam::${account}:root` } : { Service: ELB_LOG_DELIVERY_SERVICE };
}

export interface LogBucketPolicyArgs {
  bucketName: string;
  region: string;
  /** The account that owns the load balancer: ELB writes under `<prefix>/AWSLogs/<account>/`. */
  accountId: string;
  /** One per log kind (access, connection). */
  prefixes: readonly string[];
}

/** TLS-only access for everyone, plus PutObject for ELB log delivery under this account's prefixes only. */
export function logBucketPolicy(args: LogBucketPolicyArgs): aws.iam.PolicyDocument {
  const bucketArn = `arn:${partitionOf(args.region)}:s3:::${args.bucketName}`;
  // tlsOnlyBucketPolicy builds plain statements; its declared type is the wider Input<...>.
  const tlsOnly = tlsOnlyBucketPolicy(bucketArn).Statement as aws.iam.PolicyStatement[];
  return {
    Version: "2012-10-17",
    Statement: [
      ...tlsOnly,
      {
        Sid: "AllowElbLogDelivery",
        Effect: "Allow",
        Principal: elbLogDeliveryPrincipal(args.region),
        Action: "s3:PutObject",
        Resource: args.prefixes.map((p) => `${bucketArn}/${p}/AWSLogs/${args.accountId}/*`),
      },
    ],
  };
}
