// aws.ecs.TaskDefinition keeps its containers as ONE JSON string. Any unknown output inside it (an
// image digest, a secret ARN, a log group name) makes the whole string unknown at preview, so the
// ECS policies can only decide at `pulumi up` then — and say so explicitly.
import { ReportViolation } from "@pulumi/policy";
import { decideAtUp, peek, UNKNOWN } from "./preview";

export const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";

export type Container = Record<string, unknown>;

/** The parsed container definitions, or why they cannot be read. Throws (decideAtUp) when unknown. */
export function readContainers(props: unknown): Container[] | string {
    const raw = peek(props, "containerDefinitions");
    if (raw === UNKNOWN) {
        decideAtUp("containerDefinitions", "it embeds values other resources compute (image, secret ARNs, log group), so the containers are checked at `pulumi up`");
    }
    if (typeof raw !== "string") return "containerDefinitions is not a JSON string";
    try {
        const parsed: unknown = JSON.parse(raw);
        if (Array.isArray(parsed) && parsed.every((c) => c !== null && typeof c === "object")) return parsed as Container[];
    } catch {
        // fall through: reported below
    }
    return "containerDefinitions is not a JSON array of container objects";
}

/** Runs `check` on every container and reports each problem as `Container "<name>": <problem>`. */
export function checkContainers(props: unknown, reportViolation: ReportViolation, check: (container: Container) => string[]): void {
    const containers = readContainers(props);
    if (typeof containers === "string") {
        reportViolation(`${containers}: its containers cannot be checked.`);
        return;
    }
    containers.forEach((container, i) => {
        const name = typeof container.name === "string" ? container.name : `#${i}`;
        for (const problem of check(container)) reportViolation(`Container "${name}": ${problem}`);
    });
}
