import { catalystResourcePolicy, forTypes } from "./lib";
import { checkContainers, POSTURE_TAGS, TASK_DEFINITION } from "./lib/container-definitions";

export const ecsReadOnlyRoot = catalystResourcePolicy({
  name: "ecs-read-only-root",
  description: "Every container of an ECS task definition must run with a read-only root filesystem.",
  severity: "medium",
  remediationSteps:
    "Set `readonlyRootFilesystem: true` on every container definition; give Next.js a writable scratch space through a task volume " +
    "mounted at the paths it writes (e.g. /tmp, .next/cache).",
  checklist: ["Critical Security Rules › Least privilege at runtime: an exploited app cannot modify its own container"],
  validateResource: forTypes(TASK_DEFINITION, (props, _args, reportViolation) =>
    checkContainers(
      props,
      reportViolation,
      (c) => (c.readonlyRootFilesystem === true ? [] : ["readonlyRootFilesystem is not true: an exploit can rewrite the app's code and binaries."]),
      (tags) => {
        const declared = tags.get(POSTURE_TAGS.readonlyRoot);
        return declared !== undefined && declared !== "true" ? [`${POSTURE_TAGS.readonlyRoot} is "${declared}".`] : [];
      },
    ),
  ),
});
