/**
 * IAM documents for CI access to AWS: the GitHub OIDC trust policies and the preview / deploy
 * permissions. Pure functions over literals (account, region, names), so every ARN and condition is
 * known at preview — a policy (or a reviewer) can read them before anything is created.
 */
import type * as aws from "@pulumi/aws";

type PolicyDocument = aws.iam.PolicyDocument;
type Statement = aws.iam.PolicyStatement;

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The audience configure-aws-credentials requests; any other audience is refused by the trust policy. */
export const STS_AUDIENCE = "sts.amazonaws.com";

export interface GithubRepository {
  owner: string;
  name: string;
  /** GitHub's numeric repository id: unlike the name, it cannot be re-registered by someone else after a rename/delete. */
  id?: string;
}

/** Where Pulumi keeps state and how it is encrypted; names only, so policies stay literal. */
export interface StateAccess {
  bucketName: string;
  /** KMS aliases (`alias/...`) of the state-bucket key and the stack secrets-provider key. */
  keyAliases: string[];
}

export interface AwsScope {
  accountId: string;
  /** The stack's region: state keys live here, and it is always an allowed region. */
  region: string;
  /** Other regions the stack uses (e.g. the backup copy region). */
  additionalRegions?: readonly string[];
}

export const githubOidcProviderArn = (accountId: string): string => `arn:aws:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;
export const roleArn = (accountId: string, name: string): string => `arn:aws:iam::${accountId}:role/${name}`;
export const policyArn = (accountId: string, name: string): string => `arn:aws:iam::${accountId}:policy/${name}`;
const claim = (name: string) => `${GITHUB_OIDC_HOST}:${name}`;
const repoPath = (r: GithubRepository) => `${r.owner}/${r.name}`;

/**
 * GitHub's default `sub` for a job of a pull_request event, and for a job that references an
 * environment (the environment replaces the ref in `sub`). Assumes the repository has not customised
 * its OIDC subject template.
 */
export const pullRequestSubject = (r: GithubRepository): string => `repo:${repoPath(r)}:pull_request`;
export const branchSubject = (r: GithubRepository, branch: string): string => `repo:${repoPath(r)}:ref:refs/heads/${branch}`;
export const environmentSubject = (r: GithubRepository, environment: string): string => `repo:${repoPath(r)}:environment:${environment}`;

function webIdentityTrust(providerArn: string, equals: Record<string, string | string[]>): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "GithubActionsOidc",
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        // StringEquals (not StringLike): every value is exact, so no pattern can widen the trust.
        Condition: { StringEquals: equals },
      },
    ],
  };
}

function repositoryIdClaim(r: GithubRepository): Record<string, string> {
  return r.id === undefined ? {} : { [claim("repository_id")]: r.id };
}

/** Pull-request jobs of this repository only (and, if asked, jobs on one branch, e.g. a scheduled drift preview). */
export function previewTrustPolicy(a: { accountId: string; repository: GithubRepository; alsoFromBranch?: string }): PolicyDocument {
  const subjects = [pullRequestSubject(a.repository), ...(a.alsoFromBranch === undefined ? [] : [branchSubject(a.repository, a.alsoFromBranch)])];
  return webIdentityTrust(githubOidcProviderArn(a.accountId), {
    [claim("aud")]: STS_AUDIENCE,
    [claim("sub")]: subjects,
    ...repositoryIdClaim(a.repository),
  });
}

/**
 * Only the deploy workflow file, running on the deploy branch, in a job gated by the protected
 * environment. `sub` alone proves the environment; `ref` and `job_workflow_ref` (STS validates these
 * GitHub claims since January 2026) add that the code is the reviewed branch and the workflow is the
 * deploy workflow — not another workflow that also names the environment.
 */
export function deployTrustPolicy(a: {
  accountId: string;
  repository: GithubRepository;
  environment: string;
  branch: string;
  workflowPath: string;
}): PolicyDocument {
  const ref = `refs/heads/${a.branch}`;
  return webIdentityTrust(githubOidcProviderArn(a.accountId), {
    [claim("aud")]: STS_AUDIENCE,
    [claim("sub")]: environmentSubject(a.repository, a.environment),
    [claim("ref")]: ref,
    [claim("job_workflow_ref")]: `${repoPath(a.repository)}/${a.workflowPath}@${ref}`,
    ...repositoryIdClaim(a.repository),
  });
}

/**
 * Metadata reads the program's provider functions and diffs may need at preview. Deliberately not
 * AWS ReadOnlyAccess: that also reads data (S3 objects, SSM SecureStrings, log events, WAF request
 * samples), and a pull request's code runs with this role.
 */
export const DEFAULT_PREVIEW_READ_ACTIONS: readonly string[] = [
  "sts:GetCallerIdentity",
  "ec2:Describe*",
  "elasticloadbalancing:Describe*",
  "ecs:Describe*",
  "ecs:List*",
  "ecr:DescribeRepositories",
  "ecr:DescribeImages",
  "rds:Describe*",
  "rds:ListTagsForResource",
  "secretsmanager:DescribeSecret",
  "secretsmanager:ListSecrets",
  "kms:DescribeKey",
  "kms:ListAliases",
  "wafv2:GetWebACL",
  "wafv2:GetWebACLForResource",
  "wafv2:GetLoggingConfiguration",
  "wafv2:ListWebACLs",
  "wafv2:ListTagsForResource",
  "logs:DescribeLogGroups",
  "logs:ListTagsForResource",
  "cloudwatch:DescribeAlarms",
  "cloudwatch:ListTagsForResource",
  "sns:GetTopicAttributes",
  "sns:ListTopics",
  "sns:ListTagsForResource",
  "acm:DescribeCertificate",
  "acm:ListCertificates",
  "acm:ListTagsForCertificate",
  "backup:DescribeBackupVault",
  "backup:GetBackupPlan",
  "backup:ListBackupPlans",
  "backup:ListBackupVaults",
  "application-autoscaling:Describe*",
  "route53:GetHealthCheck",
  "route53:ListTagsForResource",
  "iam:GetRole",
  "iam:GetRolePolicy",
  "iam:GetPolicy",
  "iam:GetPolicyVersion",
  "iam:ListRolePolicies",
  "iam:ListAttachedRolePolicies",
];

/** Services the stack manages; the deploy role gets `<service>:*` for them, in the stack's regions only. */
export const DEFAULT_DEPLOY_SERVICES: readonly string[] = [
  "ec2",
  "elasticloadbalancing",
  "ecs",
  "ecr",
  "rds",
  "secretsmanager",
  "kms",
  "wafv2",
  "logs",
  "cloudwatch",
  "events",
  "sns",
  "acm",
  "backup",
  "backup-storage",
  // AWS Backup selects resources by tag (tag:GetResources) with the stack's backup role.
  "tag",
  "application-autoscaling",
  "servicediscovery",
  "s3",
];

/**
 * Services only the stack's roles use, never the deploy role: the admin host's SSM agent
 * (AmazonSSMManagedInstanceCore) registers with `ssm` and carries Session Manager traffic over
 * `ssmmessages`/`ec2messages`. Without them in the boundary, the database tunnel cannot open.
 */
export const DEFAULT_WORKLOAD_ONLY_SERVICES: readonly string[] = ["ssm", "ssmmessages", "ec2messages"];

/**
 * Services that create their service-linked role on first use in an account, from a call the deploy
 * role makes (ECS cluster/service, ALB, RDS, ECS service autoscaling, AWS Backup and its restore tests).
 */
export const DEFAULT_SERVICE_LINKED_ROLE_SERVICES: readonly string[] = [
  "ecs.amazonaws.com",
  "elasticloadbalancing.amazonaws.com",
  "rds.amazonaws.com",
  "ecs.application-autoscaling.amazonaws.com",
  "backup.amazonaws.com",
  "restore-testing.backup.amazonaws.com",
];

/**
 * How the deploy job reaches the private database (scripts/db-tunnel.sh): an SSM port-forwarding
 * session to the stack's admin host, which carries this tag (infra/database DbAdminHost).
 */
export const ADMIN_HOST_TAG = { key: "catalyst:role", value: "admin" } as const;
export const PORT_FORWARD_DOCUMENT = "AWS-StartPortForwardingSessionToRemoteHost";

/** Services the deploy role may pass a stack role to (ECS tasks, RDS monitoring, Backup, flow logs, EC2). */
export const DEFAULT_PASS_ROLE_SERVICES: readonly string[] = [
  "ecs-tasks.amazonaws.com",
  "ecs.amazonaws.com",
  "monitoring.rds.amazonaws.com",
  "rds.amazonaws.com",
  "backup.amazonaws.com",
  "vpc-flow-logs.amazonaws.com",
  "events.amazonaws.com",
  // The admin host's instance profile (RunInstances and AddRoleToInstanceProfile pass its role).
  "ec2.amazonaws.com",
];

const keyArnsInRegion = (s: AwsScope) => `arn:aws:kms:${s.region}:${s.accountId}:key/*`;
const aliasArn = (s: AwsScope, alias: string) => `arn:aws:kms:${s.region}:${s.accountId}:${alias}`;
const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`;
/** The stack's region first, then the additional regions (without repeating it). */
const stackRegions = (s: AwsScope) => [s.region, ...(s.additionalRegions ?? []).filter((r) => r !== s.region)];
const inRegions = (s: AwsScope) => ({ StringEquals: { "aws:RequestedRegion": stackRegions(s) } });
/** Keys are matched by alias, so the key ARNs (random ids) need not be known when the policy is written. */
const byAlias = (aliases: string[]) => ({ "ForAnyValue:StringEquals": { "kms:ResourceAliases": aliases } });

/**
 * Pulumi's S3 ("diy") backend: preview neither locks the stack nor writes a checkpoint (it only reads
 * `.pulumi/`), so read is enough for it; update/refresh/destroy write the checkpoint, history and
 * `.pulumi/locks/*`. The KMS keys decrypt the bucket objects (SSE-KMS) and the stack's secrets.
 */
export function stateStatements(scope: AwsScope, state: StateAccess, mode: "read" | "read-write"): Statement[] {
  const write = mode === "read-write";
  return [
    { Sid: "StateBucketList", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: bucketArn(state.bucketName) },
    {
      Sid: "StateObjects",
      Effect: "Allow",
      Action: write ? ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] : ["s3:GetObject"],
      Resource: `${bucketArn(state.bucketName)}/*`,
    },
    {
      Sid: "StateKeys",
      Effect: "Allow",
      Action: write ? ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"] : ["kms:Decrypt", "kms:DescribeKey"],
      Resource: keyArnsInRegion(scope),
      Condition: byAlias(state.keyAliases),
    },
  ];
}

export function previewPermissions(a: AwsScope & { state: StateAccess; readActions: readonly string[] }): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ReadStackMetadata", Effect: "Allow", Action: [...a.readActions], Resource: "*" },
      // Public AMI ids only (aws.ssm.getParameter on /aws/service/...), never the account's own parameters.
      {
        Sid: "PublicSsmParameters",
        Effect: "Allow",
        Action: ["ssm:GetParameter", "ssm:GetParameters"],
        Resource: `arn:aws:ssm:${a.region}::parameter/aws/service/*`,
      },
      ...stateStatements(a, a.state, "read"),
    ],
  };
}

/** What the delivery foundation is made of: the deploy role must never be able to change or delete it. */
export interface Foundation {
  roleNames: string[];
  policyNames: string[];
}

/** IAM actions that change what a role may do; with a boundary they require it on the role. */
const ROLE_PERMISSION_ACTIONS = [
  "iam:CreateRole",
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:AttachRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePermissionsBoundary",
];
const ROLE_HOUSEKEEPING_ACTIONS = [
  "iam:GetRole",
  "iam:DeleteRole",
  "iam:UpdateRole",
  "iam:UpdateRoleDescription",
  "iam:UpdateAssumeRolePolicy",
  "iam:TagRole",
  "iam:UntagRole",
  "iam:ListRoleTags",
  "iam:GetRolePolicy",
  "iam:ListRolePolicies",
  "iam:ListAttachedRolePolicies",
  "iam:ListInstanceProfilesForRole",
];
const POLICY_ACTIONS = [
  "iam:CreatePolicy",
  "iam:DeletePolicy",
  "iam:GetPolicy",
  "iam:GetPolicyVersion",
  "iam:CreatePolicyVersion",
  "iam:DeletePolicyVersion",
  "iam:ListPolicyVersions",
  "iam:TagPolicy",
  "iam:UntagPolicy",
];

const INSTANCE_PROFILE_ACTIONS = [
  "iam:CreateInstanceProfile",
  "iam:DeleteInstanceProfile",
  "iam:GetInstanceProfile",
  "iam:AddRoleToInstanceProfile",
  "iam:RemoveRoleFromInstanceProfile",
  "iam:TagInstanceProfile",
  "iam:UntagInstanceProfile",
  "iam:ListInstanceProfileTags",
];

export interface IamScope extends AwsScope {
  boundaryPolicyArn?: string;
  passRoleServices: readonly string[];
  serviceLinkedRoleServices: readonly string[];
  workloadPath: string;
}

/**
 * IAM is limited to roles, policies and instance profiles under the stack's own path: the deploy
 * role cannot touch any other role in the account (editing another role's trust policy would be a
 * way to become it), and creates only the service-linked roles of the services the stack uses.
 */
function iamStatements(a: IamScope): Statement[] {
  const under = (kind: string) => `arn:aws:iam::${a.accountId}:${kind}${a.workloadPath}*`;
  const roles = under("role");
  const boundary = a.boundaryPolicyArn === undefined ? {} : { Condition: { StringEquals: { "iam:PermissionsBoundary": a.boundaryPolicyArn } } };
  return [
    // With a boundary, a role the deploy role creates can never hold more than the boundary allows,
    // so creating roles is not a path to administrator.
    { Sid: "StackRolePermissions", Effect: "Allow", Action: ROLE_PERMISSION_ACTIONS, Resource: roles, ...boundary },
    { Sid: "StackRoleHousekeeping", Effect: "Allow", Action: ROLE_HOUSEKEEPING_ACTIONS, Resource: roles },
    { Sid: "StackPolicies", Effect: "Allow", Action: POLICY_ACTIONS, Resource: under("policy") },
    { Sid: "StackInstanceProfiles", Effect: "Allow", Action: INSTANCE_PROFILE_ACTIONS, Resource: under("instance-profile") },
    {
      Sid: "PassStackRolesToServices",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: roles,
      Condition: { StringEquals: { "iam:PassedToService": [...a.passRoleServices] } },
    },
    {
      Sid: "ServiceLinkedRoles",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: `arn:aws:iam::${a.accountId}:role/aws-service-role/*`,
      Condition: { StringEquals: { "iam:AWSServiceName": [...a.serviceLinkedRoleServices] } },
    },
  ];
}

/**
 * What the deploy job needs beyond managing the stack's services: the public AMI parameter the admin
 * host is built from, the SSM port-forward to the admin host that `pulumi up` manages database users
 * through (scripts/db-tunnel.sh), ending its own sessions, and the Route 53 health checks of the
 * uptime alarms (a global service, so not covered by the per-region service grant). Reading the RDS
 * master secret and decrypting it with the database key are covered by the `secretsmanager` and
 * `kms` services the stack manages.
 */
export function deployJobStatements(s: AwsScope): Statement[] {
  const regions = stackRegions(s);
  return [
    {
      Sid: "PublicSsmParameters",
      Effect: "Allow",
      Action: ["ssm:GetParameter", "ssm:GetParameters"],
      Resource: regions.map((r) => `arn:aws:ssm:${r}::parameter/aws/service/*`),
    },
    {
      Sid: "DatabaseTunnelToAdminHost",
      Effect: "Allow",
      Action: "ssm:StartSession",
      Resource: regions.map((r) => `arn:aws:ec2:${r}:${s.accountId}:instance/*`),
      Condition: { StringEquals: { [`ssm:resourceTag/${ADMIN_HOST_TAG.key}`]: ADMIN_HOST_TAG.value } },
    },
    {
      Sid: "DatabaseTunnelDocument",
      Effect: "Allow",
      Action: "ssm:StartSession",
      Resource: regions.map((r) => `arn:aws:ssm:${r}::document/${PORT_FORWARD_DOCUMENT}`),
    },
    {
      Sid: "DatabaseTunnelOwnSessions",
      Effect: "Allow",
      Action: ["ssm:TerminateSession", "ssm:ResumeSession"],
      Resource: regions.map((r) => `arn:aws:ssm:${r}:${s.accountId}:session/*`),
      // Session Manager tags each session with the id of the principal that started it.
      Condition: { StringLike: { "ssm:resourceTag/aws:ssmmessages:session-id": ["${aws:userid}*"] } },
    },
    {
      Sid: "UptimeHealthChecks",
      Effect: "Allow",
      Action: [
        "route53:CreateHealthCheck",
        "route53:GetHealthCheck",
        "route53:GetHealthCheckStatus",
        "route53:UpdateHealthCheck",
        "route53:DeleteHealthCheck",
        "route53:ChangeTagsForResource",
        "route53:ListTagsForResource",
      ],
      Resource: "*",
    },
  ];
}

/** Explicit denies win over any allow, including one a later change might add by mistake. */
export function foundationGuard(a: AwsScope & { state: StateAccess; foundation: Foundation }): Statement[] {
  const bucket = bucketArn(a.state.bucketName);
  return [
    {
      Sid: "DenyChangingDeliveryIam",
      Effect: "Deny",
      Action: "iam:*",
      Resource: [
        githubOidcProviderArn(a.accountId),
        ...a.foundation.roleNames.map((n) => roleArn(a.accountId, n)),
        ...a.foundation.policyNames.map((n) => policyArn(a.accountId, n)),
      ],
    },
    {
      Sid: "DenyWeakeningStateBucket",
      Effect: "Deny",
      Action: [
        "s3:DeleteBucket",
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
        "s3:PutBucketVersioning",
        "s3:PutEncryptionConfiguration",
        "s3:PutBucketPublicAccessBlock",
        "s3:PutLifecycleConfiguration",
        "s3:PutBucketOwnershipControls",
        "s3:DeleteObjectVersion",
      ],
      Resource: [bucket, `${bucket}/*`],
    },
    {
      Sid: "DenyDisablingStateKeys",
      Effect: "Deny",
      Action: ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy", "kms:DisableKeyRotation", "kms:CreateGrant"],
      Resource: keyArnsInRegion(a),
      Condition: byAlias(a.state.keyAliases),
    },
    {
      Sid: "DenyRepointingStateAliases",
      Effect: "Deny",
      Action: ["kms:DeleteAlias", "kms:UpdateAlias", "kms:CreateAlias"],
      Resource: a.state.keyAliases.map((al) => aliasArn(a, al)),
    },
  ];
}

export function deployPermissions(
  a: IamScope & {
    state: StateAccess;
    services: readonly string[];
    /** IAM path (`/catalyst/`) every stack role, managed policy and instance profile is created under. */
    workloadPath: string;
    foundation: Foundation;
  },
): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ManageStackServicesInRegion", Effect: "Allow", Action: a.services.map((s) => `${s}:*`), Resource: "*", Condition: inRegions(a) },
      { Sid: "CallerIdentity", Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" },
      ...deployJobStatements(a),
      ...iamStatements(a),
      ...stateStatements(a, a.state, "read-write"),
      ...foundationGuard(a),
    ],
  };
}

/**
 * The ceiling for every role the stack creates: its services in its regions, nothing in IAM, and
 * nothing on the delivery foundation. A role's effective rights are its policy AND this boundary.
 */
export function workloadBoundary(
  a: AwsScope & { state: StateAccess; services: readonly string[]; workloadOnlyServices?: readonly string[]; foundation: Foundation },
): PolicyDocument {
  const services = [...new Set([...a.services, ...(a.workloadOnlyServices ?? DEFAULT_WORKLOAD_ONLY_SERVICES)])];
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "StackServicesInRegion", Effect: "Allow", Action: services.map((s) => `${s}:*`), Resource: "*", Condition: inRegions(a) },
      { Sid: "CallerIdentity", Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" },
      { Sid: "NoIdentityAdministration", Effect: "Deny", Action: ["iam:*", "organizations:*", "account:*", "sts:AssumeRole"], Resource: "*" },
      ...foundationGuard(a),
    ],
  };
}
