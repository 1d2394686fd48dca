import { catalystResourcePolicy, forTypes } from "./lib";
import { checkContainers, Container, POSTURE_TAGS, TASK_DEFINITION } from "./lib/container-definitions";

function addedCapabilities(c: Container): string[] {
  const linux = c.linuxParameters as { capabilities?: { add?: unknown } } | undefined;
  const add = linux?.capabilities?.add;
  return Array.isArray(add) ? add.map(String) : [];
}

function privilegeProblems(c: Container): string[] {
  const problems: string[] = [];
  if (c.privileged === true) problems.push("privileged is true: the container gets every capability of the host.");
  const added = addedCapabilities(c);
  if (added.length > 0) problems.push(`linuxParameters.capabilities.add grants ${added.join(", ")}.`);
  return problems;
}

export const ecsNotPrivileged = catalystResourcePolicy({
  name: "ecs-not-privileged",
  description: "ECS containers must not be privileged or add Linux capabilities.",
  severity: "high",
  remediationSteps: "Remove `privileged` and `linuxParameters.capabilities.add` from the container definitions (a Next.js server needs neither).",
  checklist: ["Critical Security Rules › Least privilege at runtime: containers get no extra kernel privileges"],
  validateResource: forTypes(TASK_DEFINITION, (props, _args, reportViolation) =>
    checkContainers(props, reportViolation, privilegeProblems, (tags) =>
      tags.get(POSTURE_TAGS.privileged) === "true" ? [`${POSTURE_TAGS.privileged} is "true".`] : [],
    ),
  ),
});
