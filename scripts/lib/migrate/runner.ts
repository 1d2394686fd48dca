/**
 * Runs the migration task once on the cluster and reports how it ended. The task runs in the private
 * subnets with the migration security group and no public IP — the only place the migration
 * credential is ever used. Exit codes follow the shell conventions operators already know:
 *   the migration container's own exit code when it ran (0 = migrated),
 *   124 when it was still running at the wait timeout (like timeout(1)),
 *   125 when the task could not run or cannot be found (like `docker run`'s own failures).
 */
import { DescribeTasksCommand, ECSClient, RunTaskCommand, Task, waitUntilTasksStopped } from "@aws-sdk/client-ecs";
import type { MigrationRunTarget } from "../../../infra/compute/compute";

export const EXIT_TIMEOUT = 124;
export const EXIT_CANNOT_RUN = 125;

/** The stack output `migrationTask`: one type shared with the component that produces it. */
export type MigrationTarget = MigrationRunTarget;

/** The part of the ECS client the runner uses (a fake in tests). */
export type EcsSend = Pick<ECSClient, "send">;

export interface RunOptions {
  waitTimeoutSeconds: number;
  /** Poll delays of the waiter (defaults: ECS's 6 s, backing off to 30 s). */
  minDelaySeconds?: number;
  maxDelaySeconds?: number;
  startedBy?: string;
}

export interface MigrationOutcome {
  exitCode: number;
  taskArn?: string;
  message: string;
}

export async function runMigration(
  ecs: EcsSend,
  target: MigrationTarget,
  opts: RunOptions,
  log: (line: string) => void = () => undefined,
): Promise<MigrationOutcome> {
  const started = await ecs.send(
    new RunTaskCommand({
      cluster: target.cluster,
      taskDefinition: target.taskDefinitionArn,
      count: 1,
      launchType: "FARGATE",
      platformVersion: "LATEST",
      networkConfiguration: { awsvpcConfiguration: { subnets: target.subnetIds, securityGroups: target.securityGroupIds, assignPublicIp: "DISABLED" } },
      startedBy: opts.startedBy ?? "catalyst-migrate",
      enableExecuteCommand: false,
      propagateTags: "TASK_DEFINITION",
    }),
  );
  const taskArn = started.tasks?.[0]?.taskArn;
  if (!taskArn) {
    const reasons = (started.failures ?? []).map((f) => [f.reason, f.detail].filter(Boolean).join(": ")).join("; ");
    return { exitCode: EXIT_CANNOT_RUN, message: `ECS did not start the migration task${reasons ? `: ${reasons}` : ""}` };
  }
  log(`started ${taskArn}; logs: aws logs tail ${target.logGroupName} --log-stream-names ${logStreamName(target, taskArn)} --region ${target.region} --follow`);

  const minDelay = opts.minDelaySeconds ?? 6;
  let waitError: string | undefined;
  try {
    await waitUntilTasksStopped(
      { client: ecs as ECSClient, maxWaitTime: opts.waitTimeoutSeconds, minDelay, maxDelay: Math.max(minDelay, opts.maxDelaySeconds ?? 30) },
      { cluster: target.cluster, tasks: [taskArn] },
    );
  } catch (err) {
    waitError = (err as Error).name === "TimeoutError" ? "timeout" : (err as Error).message;
  }
  return outcome(await describe(ecs, target.cluster, taskArn), target, taskArn, opts, waitError);
}

async function describe(ecs: EcsSend, cluster: string, taskArn: string): Promise<Task | undefined> {
  const out = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }));
  return out.tasks?.find((t) => t.taskArn === taskArn);
}

function outcome(task: Task | undefined, target: MigrationTarget, taskArn: string, opts: RunOptions, waitError: string | undefined): MigrationOutcome {
  if (!task) return { exitCode: EXIT_CANNOT_RUN, taskArn, message: `task ${taskArn} is missing from cluster ${target.cluster}` };
  if (task.lastStatus !== "STOPPED") {
    // Stopping a migration midway could leave the schema half-changed: the operator decides.
    const why =
      waitError === "timeout" || waitError === undefined
        ? `still ${task.lastStatus ?? "running"} after ${opts.waitTimeoutSeconds} s`
        : `could not be awaited (${waitError})`;
    return {
      exitCode: EXIT_TIMEOUT,
      taskArn,
      message: `migration task ${why}; it was left running. Stop it only if you know the migration is safe to interrupt: aws ecs stop-task --cluster ${target.cluster} --task ${taskArn} --region ${target.region}`,
    };
  }
  const container = task.containers?.find((c) => c.name === target.containerName);
  if (container?.exitCode !== undefined && container.exitCode !== null) {
    const code = container.exitCode;
    return {
      exitCode: code,
      taskArn,
      message: code === 0 ? "migration succeeded (exit 0)" : `migration failed with exit code ${code}${container.reason ? ` (${container.reason})` : ""}`,
    };
  }
  const reasons = [task.stopCode, task.stoppedReason, container?.reason].filter(Boolean).join(": ");
  return { exitCode: EXIT_CANNOT_RUN, taskArn, message: `the migration container never ran${reasons ? `: ${reasons}` : ""}` };
}

/** awslogs stream: `<prefix>/<container>/<task id>`; the stack uses the container name as prefix. */
export function logStreamName(target: MigrationTarget, taskArn: string): string {
  return `${target.containerName}/${target.containerName}/${taskArn.split("/").pop()}`;
}
