import * as aws from "@pulumi/aws";
import { Captured, CapturedResource, isSecret, outputValue, parseJsonProp, runComponent, UNKNOWN } from "../../test/harness";
import { Compute, ComputeArgs } from "./compute";
import { FargateTask, FargateTaskArgs } from "./fargateTask";

const ACCOUNT = "123456789012";
const image = (repo: string) => `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/${repo}@sha256:${"c".repeat(64)}`;
const RUNTIME = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:catalyst-test/runtime-AbCdEf`;
const MIGRATE = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:catalyst-test/migrate-GhIjKl`;
const SECRETS_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/secrets`;
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/catalyst-workload-boundary`;
const app = (repo: string) => ({ image: image(repo), cpu: 512, memoryMiB: 1024, minTasks: 2, maxTasks: 6 });

export const fakeComputeArgs: ComputeArgs = {
  namePrefix: "catalyst-test",
  region: "eu-west-1",
  appUrl: "https://app.example.com",
  apps: {
    frontend: app("catalyst-frontend"),
    agent: app("catalyst-agent"),
    migration: { image: image("catalyst-migrate"), command: ["bun", "run", "db:migrate"] },
  },
  network: { privateSubnetIds: ["subnet-a", "subnet-b", "subnet-c"], securityGroupIds: { frontend: "sg-frontend", agent: "sg-agent", migrate: "sg-migrate" } },
  secrets: { runtimeSecretArn: RUNTIME, migrateSecretArn: MIGRATE, kmsKeyArn: SECRETS_KEY },
  loadBalancer: {
    arnSuffix: "app/catalyst-test/0123456789abcdef",
    targetGroups: {
      frontend: { arn: "arn:tg-frontend", arnSuffix: "targetgroup/frontend/1" },
      agent: { arn: "arn:tg-agent", arnSuffix: "targetgroup/agent/2" },
    },
  },
  logRetentionDays: 90,
  iam: { path: "/catalyst/", permissionsBoundary: BOUNDARY },
  secretsGeneration: 1,
  protect: true,
};

interface Statement {
  Sid: string;
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}
type ContainerDef = Record<string, unknown> & { secrets: { name: string; valueFrom: string }[]; environment: { name: string; value: string }[] };

const TD = "aws:ecs/taskDefinition:TaskDefinition";
const SERVICE = "aws:ecs/service:Service";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

describe("Compute (fake DATA and EDGE inputs)", () => {
  let run: Captured & { component: Compute };
  // Task components: `compute-<app>-task` inside each AppService, `compute-migration` for the one-off task.
  const task = (role: string) => (role === "migration" ? "compute-migration" : `compute-${role}-task`);
  const containers = (role: string) => parseJsonProp<ContainerDef[]>(run.one(TD, `${task(role)}-definition`).inputs.containerDefinitions);
  const executionPolicy = (role: string) =>
    parseJsonProp<{ Statement: Statement[] }>(run.one(ROLE_POLICY, `${task(role)}-execution-policy`).inputs.policy).Statement;

  beforeAll(async () => {
    run = await runComponent(() => new Compute("compute", fakeComputeArgs));
  });

  it("calls no provider function the mocks do not know", () => {
    expect(run.unknownCalls).toEqual([]);
  });

  it("creates a cluster with Container Insights", () => {
    const cluster = run.one("aws:ecs/cluster:Cluster");
    expect(cluster.inputs.name).toBe("catalyst-test");
    expect(cluster.inputs.settings).toEqual([{ name: "containerInsights", value: "enabled" }]);
  });

  describe.each([
    ["frontend", 3000, "/"],
    ["agent", 3001, "/agent"],
  ])("%s service", (role, port, healthPath) => {
    const service = () => run.one(SERVICE, `compute-${role}-service`);

    it("runs on the latest Fargate platform in the private subnets without a public IP, behind its own security group", () => {
      const s = service().inputs;
      expect(s.launchType).toBe("FARGATE");
      expect(s.platformVersion).toBe("LATEST");
      expect(s.networkConfiguration).toEqual({ subnets: ["subnet-a", "subnet-b", "subnet-c"], securityGroups: [`sg-${role}`], assignPublicIp: false });
    });

    it("registers the container port in the app's target group", () => {
      expect(service().inputs.loadBalancers).toEqual([{ targetGroupArn: `arn:tg-${role}`, containerName: role, containerPort: port }]);
    });

    it("starts at minTasks, rolls back failed deployments and waits out the health-check grace period", () => {
      const s = service().inputs;
      expect(s.desiredCount).toBe(2);
      expect(s.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
      expect(s.healthCheckGracePeriodSeconds).toBe(60);
      expect([s.deploymentMinimumHealthyPercent, s.deploymentMaximumPercent]).toEqual([100, 200]);
      expect(s.availabilityZoneRebalancing).toBe("ENABLED");
      expect(s.waitForSteadyState).toBe(true);
    });

    it("keeps ECS Exec off", () => {
      expect(service().inputs.enableExecuteCommand).toBe(false);
    });

    it("scales between minTasks and maxTasks on CPU and on ALB requests per target", () => {
      const target = run.one("aws:appautoscaling/target:Target", `compute-${role}-scaling`).inputs;
      expect(target).toMatchObject({
        serviceNamespace: "ecs",
        scalableDimension: "ecs:service:DesiredCount",
        resourceId: `service/catalyst-test/catalyst-test-${role}`,
        minCapacity: 2,
        maxCapacity: 6,
      });
      const cpu = run.one("aws:appautoscaling/policy:Policy", `compute-${role}-scale-on-cpu`).inputs;
      expect(cpu.policyType).toBe("TargetTrackingScaling");
      expect(cpu.targetTrackingScalingPolicyConfiguration).toMatchObject({
        targetValue: 60,
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
      });
      const requests = run.one("aws:appautoscaling/policy:Policy", `compute-${role}-scale-on-requests`).inputs;
      expect(requests.targetTrackingScalingPolicyConfiguration).toMatchObject({
        targetValue: 1000,
        predefinedMetricSpecification: {
          predefinedMetricType: "ALBRequestCountPerTarget",
          resourceLabel: `app/catalyst-test/0123456789abcdef/targetgroup/${role}/${role === "frontend" ? 1 : 2}`,
        },
      });
    });

    it("defines a hardened Fargate task with the runtime secrets only", () => {
      const td = run.one(TD, `${task(role)}-definition`).inputs;
      expect(td).toMatchObject({ family: `catalyst-test-${role}`, requiresCompatibilities: ["FARGATE"], networkMode: "awsvpc", cpu: "512", memory: "1024" });
      expect(td.volumes).toEqual([{ name: "scratch-tmp" }, { name: "scratch-app-next-cache" }]);
      const [c] = containers(role);
      expect(c).toMatchObject({ name: role, user: "1001:1001", readonlyRootFilesystem: true, privileged: false });
      expect(c.secrets).toEqual([
        { name: "DATABASE_URL", valueFrom: `${RUNTIME}:DATABASE_URL::` },
        { name: "BETTER_AUTH_SECRET", valueFrom: `${RUNTIME}:BETTER_AUTH_SECRET::` },
      ]);
      expect(JSON.stringify(c)).not.toContain("DATABASE_URL_MIGRATE");
      expect(JSON.stringify(c)).not.toContain(MIGRATE);
      expect((c.healthCheck as { command: string[] }).command[3]).toContain(`http://127.0.0.1:${port}${healthPath}"`);
    });

    it("sets the production environment and the exact https origin for Better Auth", () => {
      expect(Object.fromEntries(containers(role)[0].environment.map((e) => [e.name, e.value]))).toEqual({
        NODE_ENV: "production",
        PORT: String(port),
        HOSTNAME: "0.0.0.0",
        BETTER_AUTH_URL: "https://app.example.com",
        NEXT_PUBLIC_APP_URL: "https://app.example.com",
        NEXT_TELEMETRY_DISABLED: "1",
        CATALYST_ROTATION_GENERATION: "1",
      });
    });

    it("uses distinct execution and task roles; the execution role reads only the runtime secret", () => {
      const td = run.one(TD, `${task(role)}-definition`).outputs;
      expect(td.executionRoleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/catalyst/catalyst-test-${role}-execution`);
      expect(td.taskRoleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/catalyst/catalyst-test-${role}-task`);
      const read = executionPolicy(role).find((s) => s.Sid === "ReadTaskSecrets");
      expect(read?.Resource).toEqual([RUNTIME]);
      expect(executionPolicy(role).find((s) => s.Sid === "PullTaskImages")?.Resource).toEqual([`arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/catalyst-${role}`]);
      expect(executionPolicy(role).find((s) => s.Sid === "WriteTaskLogs")?.Resource).toBe(
        `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/ecs/catalyst-test/${role}:*`,
      );
    });
  });

  it("gives the migration task only the migration secret, with its own roles and log group", () => {
    const [c] = containers("migration");
    expect(c).toMatchObject({
      name: "migrate",
      command: ["bun", "run", "db:migrate"],
      user: "1001:1001",
      readonlyRootFilesystem: true,
      privileged: false,
      portMappings: [],
    });
    expect(c.secrets).toEqual([{ name: "DATABASE_URL_MIGRATE", valueFrom: `${MIGRATE}:DATABASE_URL_MIGRATE::` }]);
    expect(c.environment).toEqual([{ name: "NODE_ENV", value: "production" }]);
    expect(executionPolicy("migration").find((s) => s.Sid === "ReadTaskSecrets")?.Resource).toEqual([MIGRATE]);
    expect(run.byType(SERVICE).map((s) => s.name)).toEqual(["compute-frontend-service", "compute-agent-service"]);
  });

  it("lets no task role do anything by default, and no role hold a managed policy", () => {
    const taskRoles = run.byType(ROLE).filter((r) => r.name.endsWith("-app-role"));
    expect(taskRoles).toHaveLength(3);
    expect(
      run
        .byType(ROLE_POLICY)
        .map((p) => p.name)
        .sort(),
    ).toEqual(["compute-agent-task-execution-policy", "compute-frontend-task-execution-policy", "compute-migration-execution-policy"]);
    expect(run.byType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toEqual([]);
    const exclusive = run.byType("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive");
    expect(exclusive).toHaveLength(6);
    for (const e of exclusive) expect(e.inputs.policyArns).toEqual([]);
    const inline = run.byType("aws:iam/rolePoliciesExclusive:RolePoliciesExclusive");
    expect(Object.fromEntries(inline.map((r) => [r.name, r.inputs.policyNames]))).toMatchObject({
      "compute-frontend-task-app-role-inline-only": [],
      "compute-frontend-task-execution-role-inline-only": ["execution"],
      "compute-migration-app-role-inline-only": [],
    });
  });

  it("guards the task roles' trust with this account's ECS", () => {
    const trust = parseJsonProp<{ Statement: { Principal: unknown; Condition?: unknown }[] }>(
      run.one(ROLE, "compute-frontend-task-app-role").inputs.assumeRolePolicy,
    ).Statement[0];
    expect(trust.Principal).toEqual({ Service: "ecs-tasks.amazonaws.com" });
    expect(trust.Condition).toEqual({ StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": `arn:aws:ecs:eu-west-1:${ACCOUNT}:*` } });
  });

  it("encrypts each log group with the protected, rotating logs key and keeps logs for the configured days", () => {
    const key = run.one("aws:kms/key:Key");
    expect(key.protect).toBe(true);
    expect(key.inputs.enableKeyRotation).toBe(true);
    const groups = run.byType("aws:cloudwatch/logGroup:LogGroup");
    expect(groups.map((g) => g.inputs.name).sort()).toEqual(["/ecs/catalyst-test/agent", "/ecs/catalyst-test/frontend", "/ecs/catalyst-test/migrate"]);
    for (const g of groups) {
      expect(g.inputs.kmsKeyId).toBe(key.outputs.arn);
      expect(g.inputs.retentionInDays).toBe(90);
      expect(g.protect).toBe(true);
    }
  });

  it("exposes what the migration runner needs, and the secret readers for the secrets' resource policies", async () => {
    const c = run.component;
    expect(await outputValue(c.migrationRun)).toEqual({
      cluster: `arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/catalyst-test`,
      taskDefinitionArn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/catalyst-test-migrate:1`,
      containerName: "migrate",
      subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
      securityGroupIds: ["sg-migrate"],
      logGroupName: "/ecs/catalyst-test/migrate",
      region: "eu-west-1",
    });
    expect(await Promise.all(c.runtimeSecretReaderArns.map((a) => outputValue(a)))).toEqual([
      `arn:aws:iam::${ACCOUNT}:role/catalyst/catalyst-test-frontend-execution`,
      `arn:aws:iam::${ACCOUNT}:role/catalyst/catalyst-test-agent-execution`,
    ]);
    expect(await Promise.all(c.migrateSecretReaderArns.map((a) => outputValue(a)))).toEqual([
      `arn:aws:iam::${ACCOUNT}:role/catalyst/catalyst-test-migrate-execution`,
    ]);
  });

  it("declares in the posture tags exactly what each containerDefinitions holds", () => {
    for (const td of run.byType(TD)) {
      const [c] = parseJsonProp<
        (ContainerDef & { user: string; readonlyRootFilesystem: boolean; privileged: boolean; logConfiguration: { logDriver: string } })[]
      >(td.inputs.containerDefinitions);
      const names = (list: { name: string }[]) =>
        list
          .map((e) => e.name)
          .sort()
          .join(" ") || "none";
      expect(td.inputs.tags).toEqual({
        "catalyst:container-user": c.user,
        "catalyst:readonly-root-filesystem": String(c.readonlyRootFilesystem),
        "catalyst:privileged": String(c.privileged),
        "catalyst:secret-names": names(c.secrets),
        "catalyst:environment-names": names(c.environment),
        "catalyst:log-driver": c.logConfiguration.logDriver,
      });
    }
  });

  it("keeps containerDefinitions out of secret state", () => {
    for (const td of run.byType(TD)) expect(isSecret(td.inputs.containerDefinitions)).toBe(false);
  });
});

describe("Compute options", () => {
  it("puts every role under the workload path and boundary, and honours explicit opt-ins", async () => {
    const boundary = BOUNDARY;
    const run = await runComponent(
      () =>
        new Compute("compute", {
          ...fakeComputeArgs,
          enableExecuteCommand: true,
          containerInsights: "enhanced",
          containerUser: "1000:1000",
          protect: false,
        }),
    );
    const roles = run.byType(ROLE);
    expect(roles).toHaveLength(6);
    for (const r of roles) expect([r.inputs.path, r.inputs.permissionsBoundary]).toEqual(["/catalyst/", boundary]);
    expect(run.one(TD, "compute-migration-definition").outputs.executionRoleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/catalyst/catalyst-test-migrate-execution`);
    expect(run.byType(SERVICE).map((s) => s.inputs.enableExecuteCommand)).toEqual([true, true]);
    expect(run.one("aws:ecs/cluster:Cluster").inputs.settings).toEqual([{ name: "containerInsights", value: "enhanced" }]);
    expect(run.one(TD, "compute-agent-task-definition").inputs.tags).toMatchObject({ "catalyst:container-user": "1000:1000" });
    expect(run.byType("aws:cloudwatch/logGroup:LogGroup").every((g: CapturedResource) => !g.protect)).toBe(true);
  });

  it("leaves the boundary off only when told explicitly, and refuses a malformed IAM path", async () => {
    const run = await runComponent(() => new Compute("compute", { ...fakeComputeArgs, iam: { path: "/apps/catalyst/", permissionsBoundary: false } }));
    for (const r of run.byType(ROLE)) expect([r.inputs.path, r.inputs.permissionsBoundary]).toEqual(["/apps/catalyst/", undefined]);
    await expect(runComponent(() => new Compute("compute", { ...fakeComputeArgs, iam: { path: "catalyst", permissionsBoundary: BOUNDARY } }))).rejects.toThrow(
      /IAM path "catalyst" must look like/,
    );
  });

  it("a new secrets generation renders new app task definitions (so ECS rolls the services), and leaves the migration task alone", async () => {
    const render = async (generation: number) => {
      const run = await runComponent(() => new Compute("compute", { ...fakeComputeArgs, secretsGeneration: generation }));
      return (t: string) => run.one(TD, `${t}-definition`).inputs.containerDefinitions;
    };
    const [first, second] = [await render(1), await render(2)];
    for (const t of ["compute-frontend-task", "compute-agent-task"]) {
      expect(second(t)).not.toEqual(first(t));
      const env = parseJsonProp<ContainerDef[]>(second(t))[0].environment;
      expect(env).toContainEqual({ name: "CATALYST_ROTATION_GENERATION", value: "2" });
    }
    // The migration task reads its secret when it is started, so every run already gets the new value.
    expect(second("compute-migration")).toEqual(first("compute-migration"));
    await expect(runComponent(() => new Compute("compute", { ...fakeComputeArgs, secretsGeneration: 0 }))).rejects.toThrow(
      /secretsGeneration 0 must be a whole number >= 1/,
    );
  });

  it("refuses a root container user before declaring anything", async () => {
    await expect(runComponent(() => new Compute("compute", { ...fakeComputeArgs, containerUser: "0:0" }))).rejects.toThrow(
      /user "0:0" must be a numeric non-root uid:gid/,
    );
  });

  it("synthesizes in preview: with existing secrets (known ARNs) containerDefinitions is known", async () => {
    const run = await runComponent(() => new Compute("compute", fakeComputeArgs), { preview: true });
    const td = run.one(TD, "compute-frontend-task-definition").inputs;
    expect(parseJsonProp<ContainerDef[]>(td.containerDefinitions)[0].user).toBe("1001:1001");
    expect(td.executionRoleArn).toBe(UNKNOWN);
  });

  it("synthesizes in preview: while secrets are being created the JSON is unknown but the posture tags are not", async () => {
    const run = await runComponent(
      () => {
        const secret = (n: string) => new aws.secretsmanager.Secret(n, {});
        const secrets = { runtimeSecretArn: secret("runtime").arn, migrateSecretArn: secret("migrate").arn, kmsKeyArn: SECRETS_KEY };
        return new Compute("compute", { ...fakeComputeArgs, secrets });
      },
      { preview: true },
    );
    const td = run.one(TD, "compute-frontend-task-definition").inputs;
    expect(td.containerDefinitions).toBe(UNKNOWN);
    expect(td.tags).toEqual({
      "catalyst:container-user": "1001:1001",
      "catalyst:readonly-root-filesystem": "true",
      "catalyst:privileged": "false",
      "catalyst:secret-names": "BETTER_AUTH_SECRET DATABASE_URL",
      "catalyst:environment-names": "BETTER_AUTH_URL CATALYST_ROTATION_GENERATION HOSTNAME NEXT_PUBLIC_APP_URL NEXT_TELEMETRY_DISABLED NODE_ENV PORT",
      "catalyst:log-driver": "awslogs",
    });
    expect(run.one(TD, "compute-migration-definition").inputs.tags).toMatchObject({ "catalyst:secret-names": "DATABASE_URL_MIGRATE" });
    // Everything else a policy judges at preview stays literal.
    expect(td.volumes).toEqual([{ name: "scratch-tmp" }, { name: "scratch-app-next-cache" }]);
    expect(run.one(SERVICE, "compute-agent-service").inputs.networkConfiguration).toMatchObject({ assignPublicIp: false });
  });
});

describe("FargateTask", () => {
  const task = (extra: Partial<FargateTaskArgs> = {}) => ({
    family: "catalyst-test-worker",
    container: {
      name: "worker",
      image: `ghcr.io/acme/worker@sha256:${"d".repeat(64)}`,
      user: "1001:1001",
      readonlyRootFilesystem: true,
      environment: {},
      secrets: [],
      scratchPaths: ["/tmp"],
    },
    cpu: 256,
    memoryMiB: 512,
    accountId: ACCOUNT,
    region: "eu-west-1",
    secretArns: {},
    logGroupName: "/ecs/catalyst-test/worker",
    logRetentionDays: 30,
    logKmsKeyArn: SECRETS_KEY,
    iam: fakeComputeArgs.iam,
    ...extra,
  });

  it("gives the application role exactly the policy asked for, and nothing from a registry it does not use", async () => {
    const appPolicy: aws.iam.PolicyDocument = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::acme-uploads/*" }],
    };
    const run = await runComponent(() => new FargateTask("worker", task({ taskRolePolicy: appPolicy })));
    expect(parseJsonProp(run.one(ROLE_POLICY, "worker-app-policy").inputs.policy)).toEqual(appPolicy);
    expect(run.one("aws:iam/rolePoliciesExclusive:RolePoliciesExclusive", "worker-app-role-inline-only").inputs.policyNames).toEqual(["application"]);
    const execution = parseJsonProp<{ Statement: Statement[] }>(run.one(ROLE_POLICY, "worker-execution-policy").inputs.policy).Statement;
    expect(execution.map((s) => s.Sid)).toEqual(["WriteTaskLogs"]);
  });

  it("refuses a container whose secret source has no ARN", async () => {
    const container = { ...task().container, secrets: [{ name: "API_TOKEN", source: "vendor", jsonKey: "token" }] };
    await expect(runComponent(() => new FargateTask("worker", task({ container })))).rejects.toThrow("worker: no secret ARN given for source(s) vendor");
  });
});
