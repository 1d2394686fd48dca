import { CliDeps, EXIT_USAGE, migrateCli, pulumiStackOutputs, validateTarget } from "./cli";
import { FakeEcs, TASK_ARN, stoppedTask } from "./fakeEcs";
import { EXIT_CANNOT_RUN, MigrationTarget } from "./runner";

const migrationTask: MigrationTarget = {
  cluster: "arn:aws:ecs:eu-west-1:123456789012:cluster/catalyst-prod",
  taskDefinitionArn: "arn:aws:ecs:eu-west-1:123456789012:task-definition/catalyst-prod-migrate:7",
  containerName: "migrate",
  subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  securityGroupIds: ["sg-migrate"],
  logGroupName: "/ecs/catalyst-prod/migrate",
  region: "eu-west-1",
};

function harness(opts: { outputs?: Record<string, unknown> | Error; ecs?: FakeEcs } = {}) {
  const out = { stdout: "", stderr: "", stacksRead: [] as string[], regions: [] as string[] };
  const ecs = opts.ecs ?? new FakeEcs({ describe: () => stoppedTask(0) });
  const deps: CliDeps = {
    readStackOutputs: async (stack) => {
      out.stacksRead.push(stack);
      if (opts.outputs instanceof Error) throw opts.outputs;
      return opts.outputs ?? { migrationTask, appUrl: "https://app.example.com" };
    },
    ecsClient: (region) => {
      out.regions.push(region);
      return ecs.client;
    },
    stdout: (t) => (out.stdout += t),
    stderr: (t) => (out.stderr += t),
    pollSeconds: { min: 1, max: 1 },
  };
  return { deps, out, ecs };
}

describe("migrate CLI", () => {
  it("runs the task described by the stack's migrationTask output and exits with its code", async () => {
    const h = harness({ ecs: new FakeEcs({ describe: () => stoppedTask(0) }) });
    expect(await migrateCli(["--stack", "prod"], h.deps)).toBe(0);
    expect(h.out.stacksRead).toEqual(["prod"]);
    expect(h.out.regions).toEqual(["eu-west-1"]);
    expect(h.ecs.runInputs[0].networkConfiguration?.awsvpcConfiguration).toEqual({
      subnets: migrationTask.subnetIds,
      securityGroups: ["sg-migrate"],
      assignPublicIp: "DISABLED",
    });
    expect(h.out.stdout).toBe("migration succeeded (exit 0)\n");
    expect(h.out.stderr).toContain(`started ${TASK_ARN}`);
  });

  it("propagates a failed migration's exit code", async () => {
    const h = harness({ ecs: new FakeEcs({ describe: () => stoppedTask(3) }) });
    expect(await migrateCli(["--stack", "prod"], h.deps)).toBe(3);
    expect(h.out.stderr).toContain("migration failed with exit code 3");
  });

  it("lets a flag override one field of the stack output", async () => {
    const h = harness();
    await migrateCli(["--stack", "prod", "--subnets", "subnet-x, subnet-y", "--task-definition", "catalyst-prod-migrate:6"], h.deps);
    expect(h.ecs.runInputs[0]).toMatchObject({
      taskDefinition: "catalyst-prod-migrate:6",
      networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-x", "subnet-y"] } },
    });
  });

  it("does not need Pulumi when every field is given", async () => {
    const h = harness();
    const argv = [
      "--cluster",
      "c",
      "--task-definition",
      "td:1",
      "--container",
      "migrate",
      "--subnets",
      "s1",
      "--security-groups",
      "sg",
      "--log-group",
      "/lg",
      "--region",
      "eu-west-1",
    ];
    expect(await migrateCli(argv, h.deps)).toBe(0);
    expect(h.out.stacksRead).toEqual([]);
  });

  it.each([
    [[], "--stack is required"],
    [["--stack", "prod", "--wait-timeout", "soon"], '--wait-timeout must be a whole number of seconds >= 10, got "soon"'],
    [["--stack", "prod", "--wait-timeout", "5"], "--wait-timeout must be a whole number"],
    [["--stack", "prod", "--force"], "Unknown option '--force'"],
  ])("exits 2 with usage for %j", async (argv, message) => {
    const h = harness();
    expect(await migrateCli(argv as string[], h.deps)).toBe(EXIT_USAGE);
    expect(h.out.stderr).toContain(message);
    expect(h.out.stderr).toContain("usage: npm run migrate");
    expect(h.ecs.commands).toEqual([]);
  });

  it("exits 2 when the stack has no migrationTask output", async () => {
    const h = harness({ outputs: { appUrl: "https://app.example.com" } });
    expect(await migrateCli(["--stack", "prod"], h.deps)).toBe(EXIT_USAGE);
    expect(h.out.stderr).toContain('stack prod has no "migrationTask" output');
  });

  it("exits 2 when the stack outputs cannot be read", async () => {
    const h = harness({ outputs: new Error("no stack named 'prod' found") });
    expect(await migrateCli(["--stack", "prod"], h.deps)).toBe(EXIT_USAGE);
    expect(h.out.stderr).toContain("cannot read the outputs of stack prod: no stack named 'prod' found");
  });

  it("exits 125 when AWS refuses the call", async () => {
    const denied = Object.assign(new Error("User is not authorized to perform: ecs:RunTask"), { name: "AccessDeniedException" });
    const h = harness({ ecs: new FakeEcs({ run: denied }) });
    expect(await migrateCli(["--stack", "prod"], h.deps)).toBe(EXIT_CANNOT_RUN);
    expect(h.out.stderr).toContain("error: AccessDeniedException: User is not authorized to perform: ecs:RunTask");
  });

  it("prints usage for --help and exits 0", async () => {
    const h = harness();
    expect(await migrateCli(["--help"], h.deps)).toBe(0);
    expect(h.out.stdout).toContain("Deploy order: run this,\nthen roll the services");
  });
});

describe("validateTarget", () => {
  it("names every missing or malformed field", () => {
    expect(() => validateTarget({ ...migrationTask, subnetIds: [], region: undefined })).toThrow(
      "migration target incomplete: subnetIds is invalid ([]); region is missing",
    );
  });
});

describe("pulumiStackOutputs", () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  it("says the Pulumi CLI is missing instead of 'spawn pulumi ENOENT'", async () => {
    process.env.PATH = "/nonexistent";
    await expect(pulumiStackOutputs("prod")).rejects.toThrow("the pulumi CLI is not installed or not on PATH (or pass every override flag instead of --stack)");
  });
});
