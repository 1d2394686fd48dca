/**
 * IAM documents for ECS tasks. Pure functions: every action is listed, every resource is one named
 * ARN. The single wildcard is `ecr:GetAuthorizationToken`, which AWS only authorizes on Resource "*"
 * (the token is account-wide; what it can pull is still limited by the repository-scoped statement).
 */
import type * as aws from "@pulumi/aws";

type PolicyDocument = aws.iam.PolicyDocument;
type Statement = aws.iam.PolicyStatement;

export const ECS_TASKS_PRINCIPAL = "ecs-tasks.amazonaws.com";

/** The ARN partition of a region: a literal, so every ARN built here is known at preview. */
export function partitionOf(region: string): string {
  return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

/** Actions the execution role needs; exported so tests and reviewers compare against one list. */
export const EXECUTION_ACTIONS = {
  readSecrets: ["secretsmanager:GetSecretValue"],
  decryptSecrets: ["kms:Decrypt"],
  pullImages: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
  registryToken: ["ecr:GetAuthorizationToken"],
  writeLogs: ["logs:CreateLogStream", "logs:PutLogEvents"],
} as const;

/**
 * Trust for ECS tasks. With an account, the task role also carries the confused-deputy guard AWS
 * documents for task roles (`aws:SourceAccount` + `aws:SourceArn` of this account's ECS in-region).
 */
export function ecsTasksTrustPolicy(guard?: { accountId: string; region: string }): PolicyDocument {
  const condition = guard
    ? {
        Condition: {
          StringEquals: { "aws:SourceAccount": guard.accountId },
          ArnLike: { "aws:SourceArn": `arn:${partitionOf(guard.region)}:ecs:${guard.region}:${guard.accountId}:*` },
        },
      }
    : {};
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "EcsTasks", Effect: "Allow", Principal: { Service: ECS_TASKS_PRINCIPAL }, Action: "sts:AssumeRole", ...condition }],
  };
}

export interface ExecutionAccess {
  region: string;
  /** The Secrets Manager secrets the container definition injects, and the key that encrypts them. */
  secretArns: string[];
  secretsKmsKeyArn?: string;
  /** ECR repositories the task's images live in (see imageRef.ecrRepositoryArns). */
  repositoryArns: string[];
  logGroupArn: string;
}

const distinct = (values: string[]) => [...new Set(values)].sort();

/** What ECS itself needs to start the task: its secrets, its images, its log group — nothing else. */
export function executionRolePolicy(a: ExecutionAccess): PolicyDocument {
  const secrets = distinct(a.secretArns);
  const repositories = distinct(a.repositoryArns);
  const statements: Statement[] = [];
  if (secrets.length) {
    statements.push({ Sid: "ReadTaskSecrets", Effect: "Allow", Action: [...EXECUTION_ACTIONS.readSecrets], Resource: secrets });
    if (a.secretsKmsKeyArn !== undefined) {
      statements.push({
        Sid: "DecryptTaskSecrets",
        Effect: "Allow",
        Action: [...EXECUTION_ACTIONS.decryptSecrets],
        Resource: a.secretsKmsKeyArn,
        // Only when Secrets Manager decrypts one of these secrets for us, never a direct Decrypt call.
        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${a.region}.amazonaws.com`, "kms:EncryptionContext:SecretARN": secrets } },
      });
    }
  }
  if (repositories.length) {
    statements.push({ Sid: "PullTaskImages", Effect: "Allow", Action: [...EXECUTION_ACTIONS.pullImages], Resource: repositories });
    statements.push({ Sid: "RegistryAuthToken", Effect: "Allow", Action: [...EXECUTION_ACTIONS.registryToken], Resource: "*" });
  }
  // `<log group ARN>:*` is the form CloudWatch Logs documents for stream-level actions; it covers
  // this one log group's streams only.
  statements.push({ Sid: "WriteTaskLogs", Effect: "Allow", Action: [...EXECUTION_ACTIONS.writeLogs], Resource: `${a.logGroupArn}:*` });
  return { Version: "2012-10-17", Statement: statements };
}

/** What CloudWatch Logs does with a log group's key (AWS's documented set, spelled out without wildcards). */
export const LOGS_KEY_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:DescribeKey",
] as const;

/** Key policy for the app log groups' KMS key: account administration, and CloudWatch Logs for exactly these log groups. */
export function logsKeyPolicy(a: { accountId: string; region: string; logGroupNames: string[] }): PolicyDocument {
  const logGroupArns = distinct(a.logGroupNames.map((n) => `arn:${partitionOf(a.region)}:logs:${a.region}:${a.accountId}:log-group:${n}`));
  return {
    Version: "2012-10-17",
    Statement: [
      {
        // AWS's default key-policy statement: key administration is delegated to IAM in this account.
        Sid: "AccountAdministers",
        Effect: "Allow",
        Principal: { AWS: `arn:${partitionOf(a.region)}:iam::${a.accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "CloudWatchLogsForAppLogGroups",
        Effect: "Allow",
        Principal: { Service: `logs.${a.region}.amazonaws.com` },
        Action: [...LOGS_KEY_ACTIONS],
        Resource: "*",
        Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupArns } },
      },
    ],
  };
}
