import { FakeEcs, TASK_ARN, runningTask, stoppedTask } from "./fakeEcs";
import { EXIT_CANNOT_RUN, EXIT_TIMEOUT, MigrationTarget, logStreamName, runMigration } from "./runner";

const target: MigrationTarget = {
  cluster: "arn:aws:ecs:eu-west-1:123456789012:cluster/catalyst-prod",
  taskDefinitionArn: "arn:aws:ecs:eu-west-1:123456789012:task-definition/catalyst-prod-migrate:7",
  containerName: "migrate",
  subnetIds: ["subnet-a", "subnet-b"],
  securityGroupIds: ["sg-migrate"],
  logGroupName: "/ecs/catalyst-prod/migrate",
  region: "eu-west-1",
};
// Short waiter delays: the timeout cases take about two seconds.
const fast = { waitTimeoutSeconds: 2, minDelaySeconds: 1, maxDelaySeconds: 1 };

describe("runMigration", () => {
  it("runs one Fargate task in the private subnets with the migration security group and no public IP", async () => {
    const ecs = new FakeEcs({ describe: () => stoppedTask(0) });
    await runMigration(ecs.client, target, fast);
    expect(ecs.runInputs).toEqual([
      {
        cluster: target.cluster,
        taskDefinition: target.taskDefinitionArn,
        count: 1,
        launchType: "FARGATE",
        platformVersion: "LATEST",
        networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-a", "subnet-b"], securityGroups: ["sg-migrate"], assignPublicIp: "DISABLED" } },
        startedBy: "catalyst-migrate",
        enableExecuteCommand: false,
        propagateTags: "TASK_DEFINITION",
      },
    ]);
  });

  it("exits 0 when the migration container exits 0, and says where its logs are", async () => {
    const lines: string[] = [];
    const result = await runMigration(new FakeEcs({ describe: () => stoppedTask(0) }).client, target, fast, (l) => lines.push(l));
    expect(result).toEqual({ exitCode: 0, taskArn: TASK_ARN, message: "migration succeeded (exit 0)" });
    expect(lines[0]).toContain(
      `aws logs tail /ecs/catalyst-prod/migrate --log-stream-names migrate/migrate/0123456789abcdef0123456789abcdef --region eu-west-1`,
    );
  });

  it.each([1, 3, 137])("propagates the migration container's exit code %i", async (code) => {
    const result = await runMigration(new FakeEcs({ describe: () => stoppedTask(code) }).client, target, fast);
    expect(result.exitCode).toBe(code);
    expect(result.message).toBe(`migration failed with exit code ${code}`);
  });

  it("waits while the task runs and reports the code once it stops", async () => {
    const ecs = new FakeEcs({ describe: (n) => (n < 1 ? runningTask() : stoppedTask(4)) });
    const result = await runMigration(ecs.client, target, { ...fast, waitTimeoutSeconds: 10 });
    expect(result.exitCode).toBe(4);
    expect(ecs.commands.filter((c) => c === "DescribeTasksCommand").length).toBeGreaterThanOrEqual(2);
  });

  it("exits 124 at the timeout and leaves the migration running (never stops it)", async () => {
    const ecs = new FakeEcs({ describe: () => runningTask() });
    const result = await runMigration(ecs.client, target, fast);
    expect(result.exitCode).toBe(EXIT_TIMEOUT);
    expect(result.message).toContain("still RUNNING after 2 s; it was left running");
    expect(result.message).toContain(`aws ecs stop-task --cluster ${target.cluster} --task ${TASK_ARN}`);
    expect(new Set(ecs.commands)).toEqual(new Set(["RunTaskCommand", "DescribeTasksCommand"]));
  });

  it("exits 125 when the task is missing", async () => {
    const result = await runMigration(new FakeEcs({ describe: () => undefined }).client, target, fast);
    expect(result).toEqual({ exitCode: EXIT_CANNOT_RUN, taskArn: TASK_ARN, message: `task ${TASK_ARN} is missing from cluster ${target.cluster}` });
  });

  it("exits 125 with ECS's reasons when the task cannot be placed", async () => {
    const ecs = new FakeEcs({ run: { tasks: [], failures: [{ reason: "RESOURCE:ENI", detail: "no free address in subnet-a" }] } });
    expect(await runMigration(ecs.client, target, fast)).toEqual({
      exitCode: EXIT_CANNOT_RUN,
      message: "ECS did not start the migration task: RESOURCE:ENI: no free address in subnet-a",
    });
    expect(ecs.commands).toEqual(["RunTaskCommand"]);
  });

  it("exits 125 when the container never ran (e.g. its secrets could not be read)", async () => {
    const task = stoppedTask(undefined, {
      stopCode: "TaskFailedToStart",
      stoppedReason: "ResourceInitializationError: unable to pull secrets or registry auth",
    });
    const result = await runMigration(new FakeEcs({ describe: () => task }).client, target, fast);
    expect(result).toEqual({
      exitCode: EXIT_CANNOT_RUN,
      taskArn: TASK_ARN,
      message: "the migration container never ran: TaskFailedToStart: ResourceInitializationError: unable to pull secrets or registry auth",
    });
  });
});

describe("logStreamName", () => {
  it("follows awslogs' <prefix>/<container>/<task id>", () => {
    expect(logStreamName(target, TASK_ARN)).toBe("migrate/migrate/0123456789abcdef0123456789abcdef");
  });
});
