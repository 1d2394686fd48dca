import { ecsTasksTrustPolicy, executionRolePolicy, logsKeyPolicy, partitionOf } from "./iamDocuments";

const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:runtime-AbCdEf";
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1111";
const REPO = "arn:aws:ecr:eu-west-1:123456789012:repository/frontend";
const LOG_GROUP = "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/catalyst-test/frontend";

describe("executionRolePolicy", () => {
  const doc = executionRolePolicy({ region: "eu-west-1", secretArns: [SECRET, SECRET], secretsKmsKeyArn: KEY, repositoryArns: [REPO], logGroupArn: LOG_GROUP });

  it("grants exactly the secrets, the key via Secrets Manager, the repository and the log group", () => {
    expect(doc.Statement).toEqual([
      { Sid: "ReadTaskSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [SECRET] },
      {
        Sid: "DecryptTaskSecrets",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: KEY,
        Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com", "kms:EncryptionContext:SecretARN": [SECRET] } },
      },
      { Sid: "PullTaskImages", Effect: "Allow", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource: [REPO] },
      { Sid: "RegistryAuthToken", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
      { Sid: "WriteTaskLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${LOG_GROUP}:*` },
    ]);
  });

  it("has no wildcard action, and Resource * only for the registry token", () => {
    const statements = doc.Statement as { Sid: string; Action: string[]; Resource: string | string[] }[];
    for (const s of statements) for (const a of s.Action) expect(a).not.toContain("*");
    expect(statements.filter((s) => s.Resource === "*").map((s) => s.Sid)).toEqual(["RegistryAuthToken"]);
  });

  it("asks for no registry access when no image is in ECR, and no secret access without secrets", () => {
    const bare = executionRolePolicy({ region: "eu-west-1", secretArns: [], secretsKmsKeyArn: KEY, repositoryArns: [], logGroupArn: LOG_GROUP });
    expect((bare.Statement as { Sid: string }[]).map((s) => s.Sid)).toEqual(["WriteTaskLogs"]);
  });
});

describe("ecsTasksTrustPolicy", () => {
  it("trusts ECS tasks only", () => {
    expect(ecsTasksTrustPolicy().Statement).toEqual([
      { Sid: "EcsTasks", Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
  });

  it("adds the confused-deputy guard for this account's ECS when given an account", () => {
    expect((ecsTasksTrustPolicy({ accountId: "123456789012", region: "eu-west-1" }).Statement as { Condition: unknown }[])[0].Condition).toEqual({
      StringEquals: { "aws:SourceAccount": "123456789012" },
      ArnLike: { "aws:SourceArn": "arn:aws:ecs:eu-west-1:123456789012:*" },
    });
  });
});

describe("logsKeyPolicy", () => {
  it("lets CloudWatch Logs use the key for exactly the named log groups, with no wildcard action", () => {
    const doc = logsKeyPolicy({ accountId: "123456789012", region: "eu-west-1", logGroupNames: ["/ecs/x/agent", "/ecs/x/frontend"] });
    const logs = (doc.Statement as { Sid: string; Principal: unknown; Action: string[]; Condition: unknown }[])[1];
    expect(logs.Principal).toEqual({ Service: "logs.eu-west-1.amazonaws.com" });
    for (const a of logs.Action) expect(a).not.toContain("*");
    expect(logs.Condition).toEqual({
      ArnEquals: {
        "kms:EncryptionContext:aws:logs:arn": [
          "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/x/agent",
          "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/x/frontend",
        ],
      },
    });
  });
});

describe("partitionOf", () => {
  it.each([
    ["eu-west-1", "aws"],
    ["cn-north-1", "aws-cn"],
    ["us-gov-west-1", "aws-us-gov"],
  ])("%s is in partition %s", (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });
});
