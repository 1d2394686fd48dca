import { catalystResourcePolicy, forTypes } from "./lib";
import { checkContainers, Container, TASK_DEFINITION } from "./lib/container-definitions";

/** A Secrets Manager secret or SSM parameter ARN (optionally with the `:json-key:version-stage:version-id` suffix). */
const SECRET_ARN = /^arn:aws[a-z-]*:(secretsmanager|ssm):[a-z0-9-]+:\d{12}:(secret:|parameter\/)\S+$/;

function secretProblems(c: Container): string[] {
  if (c.secrets === undefined) return [];
  if (!Array.isArray(c.secrets)) return ["secrets is not a list."];
  return c.secrets.flatMap((s: unknown, i: number) => {
    const entry = (s ?? {}) as { name?: unknown; valueFrom?: unknown };
    const label = typeof entry.name === "string" ? entry.name : `secrets[${i}]`;
    if (typeof entry.valueFrom === "string" && SECRET_ARN.test(entry.valueFrom)) return [];
    return [`secret ${label} does not take its value from a Secrets Manager or SSM Parameter Store ARN (valueFrom).`];
  });
}

/**
 * Only the `secrets` side: which environment variable NAMES must never appear in `environment` is
 * `no-plaintext-secrets`'s job. The ARN itself is no secret; the value is read at task start.
 */
export const ecsSecretsValueFrom = catalystResourcePolicy({
  name: "ecs-secrets-value-from",
  description: "ECS container secrets must be references (valueFrom) to Secrets Manager or SSM Parameter Store ARNs.",
  severity: "high",
  remediationSteps:
    'Declare each secret as `{ name: "BETTER_AUTH_SECRET", valueFrom: "<secret ARN>:<json-key>::" }` in the container\'s `secrets`; ' +
    "keep secret values out of the task definition.",
  checklist: ["All environment variables set securely (not in code)"],
  validateResource: forTypes(TASK_DEFINITION, (props, _args, reportViolation) => checkContainers(props, reportViolation, secretProblems)),
});
