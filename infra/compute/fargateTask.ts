import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IamSettings, roleIamProps } from "../iam";
import { ContainerSpec, assertSpec, postureTags, renderContainerDefinitions, scratchVolumes } from "./containerSpec";
import { ecsTasksTrustPolicy, executionRolePolicy } from "./iamDocuments";
import { ecrRepositoryArns } from "./imageRef";

export type CpuArchitecture = "X86_64" | "ARM64";

export interface FargateTaskArgs {
  /** Task definition family; also the prefix of the role names (`<family>-execution`, `<family>-task`). */
  family: string;
  container: ContainerSpec;
  /** CPU units and MiB, a valid Fargate combination (validated by the stack config). */
  cpu: number;
  memoryMiB: number;
  cpuArchitecture?: CpuArchitecture;
  accountId: pulumi.Input<string>;
  region: string;
  /** ARN of each secret source the container's `secrets` refer to (e.g. { runtime: <arn> }). */
  secretArns: Record<string, pulumi.Input<string>>;
  /** The KMS key that encrypts those secrets (the execution role may use it only via Secrets Manager). */
  secretsKmsKeyArn?: pulumi.Input<string>;
  logGroupName: string;
  logRetentionDays: number;
  logKmsKeyArn: pulumi.Input<string>;
  /** What the application itself may do in AWS. Default: nothing. */
  taskRolePolicy?: aws.iam.PolicyDocument;
  /** IAM path and permissions boundary of both roles (the deploy role only manages roles that carry them). */
  iam: IamSettings;
  protect?: boolean;
}

const EXECUTION_POLICY_NAME = "execution";
const TASK_POLICY_NAME = "application";

/**
 * A Fargate task definition with its own log group, execution role (ECS: pull, secrets, logs) and task
 * role (the application: nothing unless asked). Shared by the long-running services and the one-off
 * migration task, so both get the same hardened container settings.
 */
export class FargateTask extends pulumi.ComponentResource {
  public readonly family: string;
  public readonly containerName: string;
  public readonly taskDefinitionArn: pulumi.Output<string>;
  public readonly executionRoleArn: pulumi.Output<string>;
  public readonly executionRoleName: string;
  public readonly taskRoleArn: pulumi.Output<string>;
  public readonly taskRoleName: string;
  public readonly logGroupName: string;
  public readonly logGroupArn: pulumi.Output<string>;
  /** The plain container description the JSON was rendered from (known at preview). */
  public readonly container: ContainerSpec;

  constructor(name: string, args: FargateTaskArgs, opts?: pulumi.ComponentResourceOptions) {
    super("catalyst:compute:FargateTask", name, {}, opts);
    const spec = assertSpec(args.container);
    const child = { parent: this };
    const sources = [...new Set(spec.secrets.map((s) => s.source))];
    const missing = sources.filter((s) => args.secretArns[s] === undefined);
    if (missing.length) throw new Error(`${name}: no secret ARN given for source(s) ${missing.join(", ")}`);
    // Only the sources this container uses: another source's unknown ARN must not make this JSON unknown.
    const secretArns = pulumi.all(Object.fromEntries(sources.map((s) => [s, args.secretArns[s]]))) as pulumi.Output<Record<string, string>>;

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: args.logGroupName, retentionInDays: args.logRetentionDays, kmsKeyId: args.logKmsKeyArn },
      { ...child, protect: args.protect },
    );

    const roleSettings = roleIamProps(args.iam);
    const executionRole = new aws.iam.Role(
      `${name}-execution-role`,
      {
        name: `${args.family}-execution`,
        description: `ECS starts ${args.family} tasks with this role: image pull, its secrets, its log group`,
        assumeRolePolicy: JSON.stringify(ecsTasksTrustPolicy()),
        ...roleSettings,
      },
      child,
    );
    const executionPolicy = new aws.iam.RolePolicy(
      `${name}-execution-policy`,
      {
        role: executionRole.name,
        name: EXECUTION_POLICY_NAME,
        policy: pulumi.all([secretArns, args.secretsKmsKeyArn, logGroup.arn]).apply(([arns, kmsKeyArn, logGroupArn]) =>
          JSON.stringify(
            executionRolePolicy({
              region: args.region,
              secretArns: Object.values(arns),
              secretsKmsKeyArn: kmsKeyArn,
              repositoryArns: ecrRepositoryArns([spec.image]),
              logGroupArn,
            }),
          ),
        ),
      },
      child,
    );
    const taskRole = new aws.iam.Role(
      `${name}-app-role`,
      {
        name: `${args.family}-task`,
        description: `The ${args.family} application's own AWS identity`,
        assumeRolePolicy: pulumi.output(args.accountId).apply((accountId) => JSON.stringify(ecsTasksTrustPolicy({ accountId, region: args.region }))),
        ...roleSettings,
      },
      child,
    );
    const taskPolicies = args.taskRolePolicy
      ? [
          new aws.iam.RolePolicy(
            `${name}-app-policy`,
            { role: taskRole.name, name: TASK_POLICY_NAME, policy: pulumi.jsonStringify(pulumi.output(args.taskRolePolicy)) },
            child,
          ),
        ]
      : [];
    this.ownPoliciesExclusively(name, "execution-role", executionRole, [executionPolicy], [EXECUTION_POLICY_NAME]);
    this.ownPoliciesExclusively(name, "app-role", taskRole, taskPolicies, taskPolicies.length ? [TASK_POLICY_NAME] : []);

    const taskDefinition = new aws.ecs.TaskDefinition(
      `${name}-definition`,
      {
        family: args.family,
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: String(args.cpu),
        memory: String(args.memoryMiB),
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: args.cpuArchitecture ?? "X86_64" },
        executionRoleArn: executionRole.arn,
        taskRoleArn: taskRole.arn,
        containerDefinitions: secretArns.apply((arns) =>
          renderContainerDefinitions(spec, { group: args.logGroupName, region: args.region, streamPrefix: spec.name }, arns),
        ),
        volumes: scratchVolumes(spec),
        tags: postureTags(spec),
        // Superseded revisions stay registered: the circuit breaker and operators roll back to them.
        skipDestroy: true,
      },
      // ECS reads the secrets and pulls the image at task start: the permissions must exist first.
      { ...child, dependsOn: [executionPolicy, ...taskPolicies, logGroup] },
    );

    this.family = args.family;
    this.containerName = spec.name;
    this.container = spec;
    this.taskDefinitionArn = taskDefinition.arn;
    this.executionRoleArn = executionRole.arn;
    this.executionRoleName = `${args.family}-execution`;
    this.taskRoleArn = taskRole.arn;
    this.taskRoleName = `${args.family}-task`;
    this.logGroupName = args.logGroupName;
    this.logGroupArn = logGroup.arn;
    this.registerOutputs({
      family: this.family,
      taskDefinitionArn: this.taskDefinitionArn,
      executionRoleArn: this.executionRoleArn,
      taskRoleArn: this.taskRoleArn,
      logGroupName: this.logGroupName,
    });
  }

  /**
   * The role holds exactly these inline policies and no managed policy: anything attached out of
   * band (an AWS-managed "full access" policy, say) is removed on the next `pulumi up`.
   */
  private ownPoliciesExclusively(name: string, role: string, target: aws.iam.Role, policies: aws.iam.RolePolicy[], policyNames: string[]): void {
    const opts = { parent: this, dependsOn: policies };
    new aws.iam.RolePoliciesExclusive(`${name}-${role}-inline-only`, { roleName: target.name, policyNames }, opts);
    new aws.iam.RolePolicyAttachmentsExclusive(`${name}-${role}-no-managed`, { roleName: target.name, policyArns: [] }, opts);
  }
}
