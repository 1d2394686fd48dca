// aws.ecs.TaskDefinition keeps its containers as ONE JSON string. Any unknown output inside it (an
// image digest, a secret ARN, a log group name) makes the whole string unknown at preview, so the
// ECS policies can only decide at `pulumi up` then — and say so explicitly. What they can do at
// preview is hold the program to the posture it DECLARES in task-definition tags (known at
// preview): a declared violation blocks; a declared compliant posture is not taken on trust.
import { ReportViolation } from "@pulumi/policy";
import { decideAtUp, peek, UNKNOWN } from "./preview";
import { stringEntries } from "./resources";

export const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";

export type Container = Record<string, unknown>;

/** Tag keys under which the program declares its container posture (infra/compute/containerSpec.ts). */
export const POSTURE_TAGS = {
  user: "catalyst:container-user",
  readonlyRoot: "catalyst:readonly-root-filesystem",
  privileged: "catalyst:privileged",
} as const;

/** Problems of the posture declared in tags (known tag values only). */
export type PostureCheck = (tags: ReadonlyMap<string, string>) => string[];

/** The parsed container definitions, or why they cannot be read; undefined when unknown at preview. */
export function readContainers(props: unknown): Container[] | string | undefined {
  const raw = peek(props, "containerDefinitions");
  if (raw === UNKNOWN) return undefined;
  if (typeof raw !== "string") return "containerDefinitions is not a JSON string";
  try {
    const parsed: unknown = JSON.parse(raw);
    if (Array.isArray(parsed) && parsed.every((c) => c !== null && typeof c === "object")) return parsed as Container[];
  } catch {
    // fall through: reported below
  }
  return "containerDefinitions is not a JSON array of container objects";
}

/**
 * Runs `check` on every container and reports each problem as `Container "<name>": <problem>`.
 * When the definitions are unknown at preview, reports what `posture` finds in the declared tags and
 * then says explicitly that the containers are decided at `pulumi up`.
 */
export function checkContainers(props: unknown, reportViolation: ReportViolation, check: (container: Container) => string[], posture?: PostureCheck): void {
  const containers = readContainers(props);
  if (containers === undefined) {
    const tags = new Map(stringEntries(peek(props, "tags")).known);
    for (const problem of posture?.(tags) ?? []) reportViolation(`Declared posture: ${problem}`);
    decideAtUp(
      "containerDefinitions",
      "it embeds values other resources compute (image, secret ARNs, log group), so the containers are checked at `pulumi up`",
    );
  }
  if (typeof containers === "string") {
    reportViolation(`${containers}: its containers cannot be checked.`);
    return;
  }
  containers.forEach((container, i) => {
    const name = typeof container.name === "string" ? container.name : `#${i}`;
    for (const problem of check(container)) reportViolation(`Container "${name}": ${problem}`);
  });
}
