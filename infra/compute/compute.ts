import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AppScaling, AppService } from "./appService";
import { ContainerSpec } from "./containerSpec";
import { CpuArchitecture, FargateTask, FargateTaskArgs } from "./fargateTask";
import { IamSettings } from "../iam";
import { logsKeyPolicy } from "./iamDocuments";

export interface AppSizing {
  image: string;
  cpu: number;
  memoryMiB: number;
  minTasks: number;
  maxTasks: number;
}

export interface TargetGroupRef {
  arn: pulumi.Input<string>;
  arnSuffix: pulumi.Input<string>;
}

export type AppName = "frontend" | "agent";

export interface ComputeArgs {
  /** Prefix of every physical name (cluster, services, families, roles, log groups), e.g. `catalyst-prod`. */
  namePrefix: string;
  region: string;
  /** The https origin of the production domain: Better Auth and the public app URL must equal it. */
  appUrl: string;
  apps: Record<AppName, AppSizing> & { migration: { image: string; command: string[] } };
  network: {
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    securityGroupIds: Record<AppName | "migrate", pulumi.Input<string>>;
  };
  /** Secrets Manager secrets (DATA): runtime = { DATABASE_URL, BETTER_AUTH_SECRET }, migrate = { DATABASE_URL_MIGRATE }. */
  secrets: { runtimeSecretArn: pulumi.Input<string>; migrateSecretArn: pulumi.Input<string>; kmsKeyArn: pulumi.Input<string> };
  loadBalancer: { arnSuffix: pulumi.Input<string>; targetGroups: Record<AppName, TargetGroupRef> };
  logRetentionDays: number;
  /** uid:gid the containers run as (Next.js standalone images use `nextjs`, 1001). */
  containerUser?: string;
  /** Writable mounts under the read-only root filesystem (Next.js caches and /tmp). */
  scratchPaths?: string[];
  cpuArchitecture?: CpuArchitecture;
  scaling?: Omit<AppScaling, "minTasks" | "maxTasks">;
  /** CloudWatch Container Insights mode of the cluster. */
  containerInsights?: "enabled" | "enhanced";
  enableExecuteCommand?: boolean;
  waitForSteadyState?: boolean;
  /** Resources the services wait for (the listeners that attach their target groups). */
  waitFor?: pulumi.Input<pulumi.Resource>[];
  /** IAM path and permissions boundary of every role (see infra/delivery workloadRoleSettings). */
  iam: IamSettings;
  /**
   * The generation of the stack-generated secrets (catalyst:secretsGeneration). ECS injects secrets
   * only when a task starts: a new generation puts a new value in the app task definitions, so
   * `pulumi up` registers new revisions and the services roll onto the new secret values.
   */
  secretsGeneration: number;
  protect?: boolean;
}

export const APP_PORTS: Record<AppName, number> = { frontend: 3000, agent: 3001 };
/** Health-check paths: the agent is served under /agent (Next.js basePath). */
export const APP_HEALTH_PATHS: Record<AppName, string> = { frontend: "/", agent: "/agent" };
export const DEFAULT_CONTAINER_USER = "1001:1001";
export const DEFAULT_SCRATCH_PATHS = ["/tmp", "/app/.next/cache"];
export const MIGRATION_CONTAINER = "migrate";

/** The runtime secret's keys: what the apps get. The migration credential is not among them. */
export const RUNTIME_SECRETS = [
  { name: "DATABASE_URL", source: "runtime", jsonKey: "DATABASE_URL" },
  { name: "BETTER_AUTH_SECRET", source: "runtime", jsonKey: "BETTER_AUTH_SECRET" },
];
export const MIGRATION_SECRETS = [{ name: "DATABASE_URL_MIGRATE", source: "migrate", jsonKey: "DATABASE_URL_MIGRATE" }];

/** The app containers' variable that carries the secrets generation (a counter, not a secret). */
export const ROTATION_GENERATION_VARIABLE = "CATALYST_ROTATION_GENERATION";

/** Environment of the app containers: non-secret values only, all literals. */
export function appEnvironment(app: AppName, appUrl: string, secretsGeneration: number): Record<string, string> {
  if (!Number.isInteger(secretsGeneration) || secretsGeneration < 1) throw new Error(`secretsGeneration ${secretsGeneration} must be a whole number >= 1`);
  return {
    NODE_ENV: "production",
    PORT: String(APP_PORTS[app]),
    // Next.js standalone binds to HOSTNAME; the ALB reaches the task on its VPC address.
    HOSTNAME: "0.0.0.0",
    BETTER_AUTH_URL: appUrl,
    NEXT_PUBLIC_APP_URL: appUrl,
    NEXT_TELEMETRY_DISABLED: "1",
    [ROTATION_GENERATION_VARIABLE]: String(secretsGeneration),
  };
}

/**
 * The compute tier: an ECS cluster with Container Insights, the frontend and agent Fargate services,
 * and the on-demand migration task — each with its own KMS-encrypted log group and least-privilege
 * roles. Only the migration task definition references the migration secret.
 */
export class Compute extends pulumi.ComponentResource {
  public readonly cluster: { name: string; arn: pulumi.Output<string> };
  public readonly services: Record<AppName, { name: string; arn: pulumi.Output<string> }>;
  public readonly logGroups: Record<AppName | "migration", { name: string; arn: pulumi.Output<string> }>;
  public readonly roles: Record<AppName | "migration", { executionRoleArn: pulumi.Output<string>; taskRoleArn: pulumi.Output<string> }>;
  public readonly migrationTaskDefinitionArn: pulumi.Output<string>;
  public readonly apps: Record<AppName, AppService>;
  public readonly migration: FargateTask;
  public readonly logsKeyArn: pulumi.Output<string>;
  /** Execution roles that read the runtime secret, and the one that reads the migration secret (for the secrets' resource policies). */
  public readonly runtimeSecretReaderArns: pulumi.Output<string>[];
  public readonly migrateSecretReaderArns: pulumi.Output<string>[];
  /** What `scripts/migrate.ts` needs to run the migration task (all non-secret). */
  public readonly migrationRun: pulumi.Output<MigrationRunTarget>;

  constructor(name: string, args: ComputeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("catalyst:compute:Compute", name, {}, opts);
    const child = { parent: this };
    const prefix = args.namePrefix;
    const accountId = aws.getCallerIdentityOutput({}, child).accountId;
    const logGroupName = (role: string) => `/ecs/${prefix}/${role}`;

    const cluster = new aws.ecs.Cluster(
      `${name}-cluster`,
      { name: prefix, settings: [{ name: "containerInsights", value: args.containerInsights ?? "enabled" }] },
      child,
    );

    const logsKey = new aws.kms.Key(
      `${name}-logs-key`,
      {
        description: `Encrypts the ${prefix} container log groups`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: accountId.apply((id) =>
          JSON.stringify(logsKeyPolicy({ accountId: id, region: args.region, logGroupNames: ["frontend", "agent", MIGRATION_CONTAINER].map(logGroupName) })),
        ),
      },
      { ...child, protect: args.protect },
    );
    new aws.kms.Alias(`${name}-logs-key-alias`, { name: `alias/${prefix}-container-logs`, targetKeyId: logsKey.keyId }, child);

    const secretArns = { runtime: args.secrets.runtimeSecretArn, migrate: args.secrets.migrateSecretArn };
    const taskArgs = (role: string, container: ContainerSpec, size: { cpu: number; memoryMiB: number }): FargateTaskArgs => ({
      family: `${prefix}-${role}`,
      container,
      cpu: size.cpu,
      memoryMiB: size.memoryMiB,
      cpuArchitecture: args.cpuArchitecture,
      accountId,
      region: args.region,
      secretArns,
      secretsKmsKeyArn: args.secrets.kmsKeyArn,
      logGroupName: logGroupName(role),
      logRetentionDays: args.logRetentionDays,
      logKmsKeyArn: logsKey.arn,
      iam: args.iam,
      protect: args.protect,
    });
    const hardening = {
      user: args.containerUser ?? DEFAULT_CONTAINER_USER,
      readonlyRootFilesystem: true,
      scratchPaths: args.scratchPaths ?? DEFAULT_SCRATCH_PATHS,
    };

    const appService = (app: AppName) => {
      const sizing = args.apps[app];
      return new AppService(
        `${name}-${app}`,
        {
          clusterArn: cluster.arn,
          clusterName: prefix,
          serviceName: `${prefix}-${app}`,
          task: taskArgs(
            app,
            {
              name: app,
              image: sizing.image,
              port: APP_PORTS[app],
              ...hardening,
              environment: appEnvironment(app, args.appUrl, args.secretsGeneration),
              secrets: RUNTIME_SECRETS,
              healthCheck: { path: APP_HEALTH_PATHS[app] },
            },
            sizing,
          ),
          subnetIds: args.network.privateSubnetIds,
          securityGroupIds: [args.network.securityGroupIds[app]],
          targetGroup: args.loadBalancer.targetGroups[app],
          loadBalancerArnSuffix: args.loadBalancer.arnSuffix,
          scaling: { ...args.scaling, minTasks: sizing.minTasks, maxTasks: sizing.maxTasks },
          enableExecuteCommand: args.enableExecuteCommand,
          waitForSteadyState: args.waitForSteadyState,
          waitFor: args.waitFor,
        },
        child,
      );
    };
    this.apps = { frontend: appService("frontend"), agent: appService("agent") };

    // Migrations are short and single-threaded: the smallest size that runs Node comfortably.
    this.migration = new FargateTask(
      `${name}-migration`,
      taskArgs(
        MIGRATION_CONTAINER,
        {
          name: MIGRATION_CONTAINER,
          image: args.apps.migration.image,
          command: args.apps.migration.command,
          ...hardening,
          environment: { NODE_ENV: "production" },
          secrets: MIGRATION_SECRETS,
        },
        { cpu: 512, memoryMiB: 1024 },
      ),
      child,
    );

    const { frontend, agent } = this.apps;
    const tasks = { frontend: frontend.task, agent: agent.task, migration: this.migration };
    const each = <T>(f: (t: FargateTask) => T) => ({ frontend: f(tasks.frontend), agent: f(tasks.agent), migration: f(tasks.migration) });
    this.cluster = { name: prefix, arn: cluster.arn };
    this.services = { frontend: { name: frontend.serviceName, arn: frontend.serviceArn }, agent: { name: agent.serviceName, arn: agent.serviceArn } };
    this.logGroups = each((t) => ({ name: t.logGroupName, arn: t.logGroupArn }));
    this.roles = each((t) => ({ executionRoleArn: t.executionRoleArn, taskRoleArn: t.taskRoleArn }));
    this.migrationTaskDefinitionArn = this.migration.taskDefinitionArn;
    this.logsKeyArn = logsKey.arn;
    this.runtimeSecretReaderArns = [frontend.task.executionRoleArn, agent.task.executionRoleArn];
    this.migrateSecretReaderArns = [this.migration.executionRoleArn];
    this.migrationRun = pulumi
      .all([cluster.arn, this.migration.taskDefinitionArn, pulumi.output(args.network.privateSubnetIds), args.network.securityGroupIds.migrate])
      .apply(([clusterArn, taskDefinitionArn, subnetIds, securityGroupId]) => ({
        cluster: clusterArn,
        taskDefinitionArn,
        containerName: MIGRATION_CONTAINER,
        subnetIds,
        securityGroupIds: [securityGroupId],
        logGroupName: logGroupName(MIGRATION_CONTAINER),
        region: args.region,
      }));
    this.registerOutputs({
      clusterName: prefix,
      clusterArn: cluster.arn,
      migrationTaskDefinitionArn: this.migrationTaskDefinitionArn,
      migrationRun: this.migrationRun,
    });
  }
}

/** The stack output `migrationTask`, read by scripts/migrate.ts. */
export interface MigrationRunTarget {
  cluster: string;
  taskDefinitionArn: string;
  containerName: string;
  subnetIds: string[];
  securityGroupIds: string[];
  logGroupName: string;
  region: string;
}
