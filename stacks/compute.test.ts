/**
 * The compute tier in the synthesized prod stack (Pulumi.prod.yaml), wired to the real network,
 * secrets and load balancer: every item of the compute issue, read from what the engine would store.
 */
import * as fs from "fs";
import { Captured, CapturedResource, parseJsonProp, runProgram, UNKNOWN } from "../test/harness";

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}
interface Container {
  name: string;
  image: string;
  user: string;
  readonlyRootFilesystem: boolean;
  privileged: boolean;
  linuxParameters: { capabilities: { add: string[]; drop: string[] } };
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  mountPoints: { sourceVolume: string; containerPath: string; readOnly: boolean }[];
  healthCheck?: { command: string[] };
  logConfiguration: { logDriver: string; options: Record<string, string> };
  portMappings: { containerPort: number }[];
}

const TD = "aws:ecs/taskDefinition:TaskDefinition";
const SERVICE = "aws:ecs/service:Service";
const ROLE = "aws:iam/role:Role";
const APPS = [
  ["frontend", 3000],
  ["agent", 3001],
] as const;
const APP_URL = "https://app.catalyst.example.com";
const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

describe("compute in the prod stack", () => {
  let run: Captured;
  const taskDef = (family: string) => run.byType(TD).find((t) => t.inputs.family === `catalyst-prod-${family}`)!;
  const container = (family: string) => parseJsonProp<Container[]>(taskDef(family).inputs.containerDefinitions)[0];
  const service = (app: string) => run.byType(SERVICE).find((s) => s.inputs.name === `catalyst-prod-${app}`)!;
  const output = (r: CapturedResource, key: string) => r.outputs[key] as string;
  const secretArn = (role: string) => output(run.one("aws:secretsmanager/secret:Secret", `secrets-${role}`), "arn");
  const roleByArn = (arn: string) => run.byType(ROLE).find((r) => r.outputs.arn === arn)!;
  /** Every statement any policy of the role grants: inline policies, and (none expected) attachments. */
  const grants = (roleArn: string): Statement[] => {
    const name = output(roleByArn(roleArn), "name");
    expect(run.byType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === name)).toEqual([]);
    return run
      .byType("aws:iam/rolePolicy:RolePolicy")
      .filter((p) => p.inputs.role === name)
      .flatMap((p) => parseJsonProp<{ Statement: Statement[] }>(p.inputs.policy).Statement);
  };
  const rolesOf = (family: string) => ({ execution: output(taskDef(family), "executionRoleArn"), task: output(taskDef(family), "taskRoleArn") });

  beforeAll(async () => {
    run = await runProgram();
  });

  it("calls no provider function the mocks do not know", () => {
    expect(run.unknownCalls).toEqual([]);
  });

  it("runs one ECS cluster with Container Insights", () => {
    expect(run.one("aws:ecs/cluster:Cluster").inputs).toMatchObject({ name: "catalyst-prod", settings: [{ name: "containerInsights", value: "enabled" }] });
  });

  describe.each(APPS)("%s service", (app, port) => {
    it("runs >= 2 Fargate tasks (LATEST platform) spread over the three private subnets' zones, without public IPs", () => {
      const s = service(app).inputs;
      expect(s).toMatchObject({ launchType: "FARGATE", platformVersion: "LATEST", desiredCount: 2, availabilityZoneRebalancing: "ENABLED" });
      const net = s.networkConfiguration as { subnets: string[]; securityGroups: string[]; assignPublicIp: boolean };
      expect(net.assignPublicIp).toBe(false);
      const privateSubnets = run.byType("aws:ec2/subnet:Subnet").filter((n) => n.name.startsWith("network-private-"));
      expect([...net.subnets].sort()).toEqual(privateSubnets.map((n) => n.id).sort());
      expect(new Set(privateSubnets.map((n) => n.inputs.availabilityZone)).size).toBe(3);
    });

    it("accepts traffic only from the load balancer's security group, on its app port", () => {
      const [sg] = (service(app).inputs.networkConfiguration as { securityGroups: string[] }).securityGroups;
      expect(run.byType("aws:ec2/securityGroup:SecurityGroup").find((g) => g.id === sg)?.inputs.tags).toMatchObject({ "catalyst:role": "app" });
      const lbSg = run
        .byType("aws:ec2/securityGroup:SecurityGroup")
        .find((g) => (g.inputs.tags as Record<string, string>)["catalyst:role"] === "load-balancer")!;
      const ingress = run.byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === sg);
      expect(ingress.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4])).toEqual([
        [lbSg.id, port, port, undefined],
      ]);
    });

    it("registers with its EDGE target group, rolls back failed deployments and waits out a grace period", () => {
      const s = service(app).inputs;
      const tg = run.one("aws:lb/targetGroup:TargetGroup", `edge-alb-${app}`);
      expect(tg.inputs.port).toBe(port);
      expect(s.loadBalancers).toEqual([{ targetGroupArn: output(tg, "arn"), containerName: app, containerPort: port }]);
      expect(s.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
      expect(s.healthCheckGracePeriodSeconds).toBe(60);
      expect(s.enableExecuteCommand).toBe(false);
      // ECS refuses a service whose target group is not attached to a listener yet.
      expect(service(app).dependencies).toContain(run.one("aws:lb/listener:Listener", "https").urn);
    });

    it("scales from the configured min to max on CPU and on ALB requests per target", () => {
      const target = run.one("aws:appautoscaling/target:Target", `compute-${app}-scaling`).inputs;
      expect(target).toMatchObject({ resourceId: `service/catalyst-prod/catalyst-prod-${app}`, minCapacity: 2, maxCapacity: 6 });
      const alb = run.one("aws:lb/loadBalancer:LoadBalancer");
      const tg = run.one("aws:lb/targetGroup:TargetGroup", `edge-alb-${app}`);
      const requests = run.one("aws:appautoscaling/policy:Policy", `compute-${app}-scale-on-requests`).inputs.targetTrackingScalingPolicyConfiguration as {
        predefinedMetricSpecification: { predefinedMetricType: string; resourceLabel: string };
      };
      expect(requests.predefinedMetricSpecification).toEqual({
        predefinedMetricType: "ALBRequestCountPerTarget",
        resourceLabel: `${output(alb, "arnSuffix")}/${output(tg, "arnSuffix")}`,
      });
      const cpu = run.one("aws:appautoscaling/policy:Policy", `compute-${app}-scale-on-cpu`).inputs.targetTrackingScalingPolicyConfiguration as {
        predefinedMetricSpecification: unknown;
      };
      expect(cpu.predefinedMetricSpecification).toEqual({ predefinedMetricType: "ECSServiceAverageCPUUtilization" });
    });

    it("runs the configured digest-pinned image and size as a non-root user on a read-only root filesystem", () => {
      const td = taskDef(app).inputs;
      expect([td.cpu, td.memory, td.requiresCompatibilities, td.networkMode]).toEqual(["512", "1024", ["FARGATE"], "awsvpc"]);
      const c = container(app);
      expect(c.image).toMatch(new RegExp(`/catalyst-${app}@sha256:[a-f0-9]{64}$`));
      expect([c.user, c.readonlyRootFilesystem, c.privileged]).toEqual(["1001:1001", true, false]);
      expect(c.linuxParameters.capabilities).toEqual({ add: [], drop: ["ALL"] });
      expect(c.mountPoints.map((m) => [m.containerPath, m.readOnly])).toEqual([
        ["/tmp", false],
        ["/app/.next/cache", false],
      ]);
      expect(c.portMappings.map((p) => p.containerPort)).toEqual([port]);
      expect(c.healthCheck?.command[3]).toContain(`http://127.0.0.1:${port}${app === "agent" ? "/agent" : "/"}"`);
    });

    it("sets NODE_ENV=production and Better Auth / public URLs to exactly the domain's https origin", () => {
      const env = Object.fromEntries(container(app).environment.map((e) => [e.name, e.value]));
      expect(env).toMatchObject({ NODE_ENV: "production", BETTER_AUTH_URL: APP_URL, NEXT_PUBLIC_APP_URL: APP_URL });
    });

    it("injects DATABASE_URL and BETTER_AUTH_SECRET from the runtime secret's JSON keys, and nothing as plaintext", () => {
      const c = container(app);
      expect(c.secrets).toEqual([
        { name: "DATABASE_URL", valueFrom: `${secretArn("runtime")}:DATABASE_URL::` },
        { name: "BETTER_AUTH_SECRET", valueFrom: `${secretArn("runtime")}:BETTER_AUTH_SECRET::` },
      ]);
      for (const e of c.environment) expect(e.name).not.toMatch(/SECRET|PASSWORD|DATABASE_URL/);
    });

    it("logs to its own KMS-encrypted log group kept for the configured 365 days", () => {
      const { options } = container(app).logConfiguration;
      const group = run.byType("aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === options["awslogs-group"])!;
      expect(options["awslogs-group"]).toBe(`/ecs/catalyst-prod/${app}`);
      expect(group.inputs.retentionInDays).toBe(365);
      expect(group.inputs.kmsKeyId).toMatch(/^arn:aws:kms:eu-west-1:\d{12}:key\//);
      expect(group.protect).toBe(true);
    });

    it("has an execution role that reads only the runtime secret, pulls only its repository and writes only its log group", () => {
      const roles = rolesOf(app);
      expect(roles.execution).not.toBe(roles.task);
      const secretsKey = output(run.one("aws:kms/key:Key", "secrets-key"), "arn");
      const logGroup = output(
        run.byType("aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === `/ecs/catalyst-prod/${app}`)!,
        "arn",
      );
      expect(grants(roles.execution)).toEqual([
        { Sid: "ReadTaskSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [secretArn("runtime")] },
        {
          Sid: "DecryptTaskSecrets",
          Effect: "Allow",
          Action: ["kms:Decrypt"],
          Resource: secretsKey,
          Condition: {
            StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com", "kms:EncryptionContext:SecretARN": [secretArn("runtime")] },
          },
        },
        {
          Sid: "PullTaskImages",
          Effect: "Allow",
          Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
          Resource: [`arn:aws:ecr:eu-west-1:123456789012:repository/catalyst-${app}`],
        },
        { Sid: "RegistryAuthToken", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
        { Sid: "WriteTaskLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroup}:*` },
      ]);
    });

    it("has a task role that may do nothing", () => {
      expect(grants(rolesOf(app).task)).toEqual([]);
    });

    it("can never read the migration secret: not in its container, not through either role", () => {
      const migrate = secretArn("migrate");
      expect(taskDef(app).inputs.containerDefinitions).not.toContain("DATABASE_URL_MIGRATE");
      expect(taskDef(app).inputs.containerDefinitions).not.toContain(migrate);
      for (const roleArn of Object.values(rolesOf(app))) {
        for (const s of grants(roleArn)) {
          const actions = list(s.Action);
          for (const a of actions) expect(a).not.toMatch(/^(\*|secretsmanager:\*)$/);
          if (actions.some((a) => a.startsWith("secretsmanager:"))) for (const r of list(s.Resource)) expect([migrate, "*"]).not.toContain(r);
        }
      }
      const migratePolicy = run.byType("aws:secretsmanager/secretPolicy:SecretPolicy").find((p) => p.inputs.secretArn === migrate)!;
      const allowed = parseJsonProp<{ Statement: Statement[] }>(migratePolicy.inputs.policy).Statement[0].Condition!.StringNotEquals["aws:PrincipalArn"];
      expect(allowed).not.toContain(rolesOf(app).execution);
      expect(allowed).not.toContain(rolesOf(app).task);
    });
  });

  describe("migration task", () => {
    it("is the only task definition that receives DATABASE_URL_MIGRATE, from the migration secret", () => {
      const holders = run.byType(TD).filter((t) => String(t.inputs.containerDefinitions).includes("DATABASE_URL_MIGRATE"));
      expect(holders.map((t) => t.inputs.family)).toEqual(["catalyst-prod-migrate"]);
      const c = container("migrate");
      expect(c.secrets).toEqual([{ name: "DATABASE_URL_MIGRATE", valueFrom: `${secretArn("migrate")}:DATABASE_URL_MIGRATE::` }]);
      expect(c).toMatchObject({ user: "1001:1001", readonlyRootFilesystem: true, privileged: false });
      expect((c as unknown as { command: string[] }).command).toEqual(["bun", "run", "db:migrate"]);
      expect(run.byType(SERVICE).map((s) => s.inputs.taskDefinition)).not.toContain(output(taskDef("migrate"), "arn"));
    });

    it("has an execution role that reads the migration secret only", () => {
      const statements = grants(rolesOf("migrate").execution);
      expect(statements.find((s) => s.Sid === "ReadTaskSecrets")?.Resource).toEqual([secretArn("migrate")]);
      expect(grants(rolesOf("migrate").task)).toEqual([]);
    });
  });

  it("attaches resource policies so each secret is readable only by the execution roles that inject it (and the deployer)", () => {
    const allowedFor = (role: string) => {
      const p = run.byType("aws:secretsmanager/secretPolicy:SecretPolicy").find((x) => x.inputs.secretArn === secretArn(role))!;
      return parseJsonProp<{ Statement: Statement[] }>(p.inputs.policy).Statement[0].Condition!.StringNotEquals["aws:PrincipalArn"] as string[];
    };
    const deployer = (a: string[]) => a.filter((x) => !x.includes("-execution"));
    expect(
      allowedFor("runtime")
        .filter((a) => a.includes("-execution"))
        .sort(),
    ).toEqual([rolesOf("agent").execution, rolesOf("frontend").execution].sort());
    expect(allowedFor("migrate").filter((a) => a.includes("-execution"))).toEqual([rolesOf("migrate").execution]);
    expect(deployer(allowedFor("migrate"))).toEqual(deployer(allowedFor("runtime")));
  });

  it("gives operators the cluster, services, log groups and the migration runner's target as stack outputs", () => {
    const o = run.stackOutputs;
    expect(o.clusterName).toBe("catalyst-prod");
    expect(o.services).toEqual({ frontend: "catalyst-prod-frontend", agent: "catalyst-prod-agent" });
    expect(o.logGroups).toEqual({ frontend: "/ecs/catalyst-prod/frontend", agent: "/ecs/catalyst-prod/agent", migration: "/ecs/catalyst-prod/migrate" });
    expect(o.migrationTask).toEqual({
      cluster: output(run.one("aws:ecs/cluster:Cluster"), "arn"),
      taskDefinitionArn: output(taskDef("migrate"), "arn"),
      containerName: "migrate",
      subnetIds: (service("frontend").inputs.networkConfiguration as { subnets: string[] }).subnets,
      securityGroupIds: [run.byType("aws:ec2/securityGroup:SecurityGroup").find((g) => g.name === "network-sg-migrate")!.id],
      logGroupName: "/ecs/catalyst-prod/migrate",
      region: "eu-west-1",
    });
    expect(o.migrationTaskDefinitionArn).toBe(output(taskDef("migrate"), "arn"));
  });
});

describe("compute in a preview of the prod stack", () => {
  let run: Captured;
  beforeAll(async () => {
    run = await runProgram({ preview: true });
  });

  it("synthesizes; the container posture is known through the tags while the secrets are new", () => {
    expect(run.unknownCalls).toEqual([]);
    const tds = run.byType(TD);
    expect(tds.map((t) => t.inputs.family).sort()).toEqual(["catalyst-prod-agent", "catalyst-prod-frontend", "catalyst-prod-migrate"]);
    for (const t of tds) {
      expect(t.inputs.containerDefinitions).toBe(UNKNOWN);
      expect(t.inputs.tags).toMatchObject({
        "catalyst:container-user": "1001:1001",
        "catalyst:readonly-root-filesystem": "true",
        "catalyst:privileged": "false",
      });
    }
    const secretNames = Object.fromEntries(tds.map((t) => [t.inputs.family, (t.inputs.tags as Record<string, string>)["catalyst:secret-names"]]));
    expect(secretNames).toEqual({
      "catalyst-prod-frontend": "BETTER_AUTH_SECRET DATABASE_URL",
      "catalyst-prod-agent": "BETTER_AUTH_SECRET DATABASE_URL",
      "catalyst-prod-migrate": "DATABASE_URL_MIGRATE",
    });
  });

  it("keeps the services' network posture known at preview", () => {
    for (const s of run.byType(SERVICE)) {
      expect(s.inputs).toMatchObject({ launchType: "FARGATE", platformVersion: "LATEST", enableExecuteCommand: false });
      expect((s.inputs.networkConfiguration as { assignPublicIp: boolean }).assignPublicIp).toBe(false);
    }
  });
});

describe("rotating the stack's secrets rolls the app services", () => {
  const appContainers = (run: Captured) =>
    Object.fromEntries(
      run
        .byType(TD)
        .filter((t) => t.inputs.family !== "catalyst-prod-migrate")
        .map((t) => [t.inputs.family as string, t.inputs.containerDefinitions as string]),
    );

  it("the services roll only after the new values are in Secrets Manager and the database users have the new passwords", async () => {
    const run = await runProgram();
    const urns = (type: string) => run.byType(type).map((r) => r.urn);
    const versions = urns("aws:secretsmanager/secretVersion:SecretVersion");
    const users = urns("mysql:index/user:User");
    expect(versions).toHaveLength(2);
    expect(users).toHaveLength(2);
    for (const s of run.byType(SERVICE)) expect(s.dependencies).toEqual(expect.arrayContaining([...versions, ...users]));
  });

  it("catalyst:secretsGeneration 1 → 2 changes each app's container definitions (a new revision ECS deploys)", async () => {
    const [before, after] = [await runProgram(), await runProgram({ override: { "catalyst:secretsGeneration": "2" } })];
    const [b, a] = [appContainers(before), appContainers(after)];
    expect(Object.keys(a).sort()).toEqual(["catalyst-prod-agent", "catalyst-prod-frontend"]);
    for (const family of Object.keys(a)) {
      expect(a[family]).not.toEqual(b[family]);
      const env = (defs: string) => parseJsonProp<Container[]>(defs)[0].environment.find((e) => e.name === "CATALYST_ROTATION_GENERATION")?.value;
      expect([family, env(b[family]), env(a[family])]).toEqual([family, "1", "2"]);
    }
    // Each service runs its app's task definition, so the new revision is what it rolls to.
    for (const s of after.byType(SERVICE)) {
      // Service and task family share the name (catalyst-prod-<app>).
      expect(s.inputs.taskDefinition).toBe(after.byType(TD).find((t) => t.inputs.family === s.inputs.name)!.outputs.arn);
    }
  });
});

describe("the deploy order's service exclusion", () => {
  /** Pulumi URN globs: `**` spans anything, `*` stays within one URN segment (no `::`). */
  const globToRegExp = (glob: string) =>
    new RegExp(
      `^${glob
        .split("**")
        .map((part) =>
          part
            .split("*")
            .map((s) => s.replace(/[.+?^${}()|[\]\\$]/g, "\\$&"))
            .join("(?:(?!::).)*"),
        )
        .join(".*")}$`,
    );

  it("matches exactly the two ECS services, as written in the deploy workflow and the README", async () => {
    const glob = "**compute-*-service";
    for (const file of [".github/workflows/deploy.yml", "README.md"])
      expect(fs.readFileSync(file, "utf8")).toContain(`--exclude '${glob}' --exclude-dependents`);
    const run = await runProgram();
    const matched = run.resources.filter((r) => globToRegExp(glob).test(r.urn));
    expect(matched.map((r) => r.type)).toEqual([SERVICE, SERVICE]);
    expect(matched.map((r) => r.name).sort()).toEqual(["compute-agent-service", "compute-frontend-service"]);
  });
});
