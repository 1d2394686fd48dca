/**
 * An in-memory stand-in for the ECS API calls the migration runner makes (RunTask, DescribeTasks),
 * scripted per test; any other command fails the test. No network, no credentials.
 */
import { DescribeTasksCommand, DescribeTasksCommandOutput, RunTaskCommand, RunTaskCommandInput, RunTaskCommandOutput, Task } from "@aws-sdk/client-ecs";
import type { EcsSend } from "./runner";

export const TASK_ARN = "arn:aws:ecs:eu-west-1:123456789012:task/catalyst-prod/0123456789abcdef0123456789abcdef";

export interface FakeEcsScript {
  run?: Partial<RunTaskCommandOutput> | Error;
  /** The task as DescribeTasks sees it on the n-th call (0-based); undefined = MISSING. */
  describe?: (call: number) => Task | undefined;
}

export class FakeEcs {
  public readonly runInputs: RunTaskCommandInput[] = [];
  public readonly commands: string[] = [];
  private describeCalls = 0;

  constructor(private readonly script: FakeEcsScript) {}

  get client(): EcsSend {
    return this as unknown as EcsSend;
  }

  async send(command: unknown): Promise<unknown> {
    this.commands.push((command as object).constructor.name);
    if (command instanceof RunTaskCommand) {
      this.runInputs.push(command.input);
      if (this.script.run instanceof Error) throw this.script.run;
      return this.script.run ?? { tasks: [{ taskArn: TASK_ARN, lastStatus: "PROVISIONING" }], failures: [] };
    }
    if (command instanceof DescribeTasksCommand) {
      const task = this.script.describe?.(this.describeCalls++);
      const out: Partial<DescribeTasksCommandOutput> = task ? { tasks: [task], failures: [] } : { tasks: [], failures: [{ arn: TASK_ARN, reason: "MISSING" }] };
      return out;
    }
    throw new Error(`unexpected command ${(command as object).constructor.name}`);
  }
}

export const stoppedTask = (exitCode: number | undefined, extra: Partial<Task> = {}): Task => ({
  taskArn: TASK_ARN,
  lastStatus: "STOPPED",
  stopCode: "EssentialContainerExited",
  containers: [{ name: "migrate", exitCode, lastStatus: "STOPPED" }],
  ...extra,
});

export const runningTask = (): Task => ({ taskArn: TASK_ARN, lastStatus: "RUNNING", containers: [{ name: "migrate", lastStatus: "RUNNING" }] });
