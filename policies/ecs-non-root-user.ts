import { catalystResourcePolicy, forTypes } from "./lib";
import { checkContainers, Container, POSTURE_TAGS, TASK_DEFINITION } from "./lib/container-definitions";

/** The user part of "user", "uid", "user:group" or "uid:gid" names root. */
export function isRootUser(user: string): boolean {
  const name = user.trim().split(":")[0].trim().toLowerCase();
  return name === "root" || /^0+$/.test(name);
}

function userProblems(c: Container): string[] {
  if (typeof c.user !== "string" || !c.user.trim()) return ["user is not set: the container runs as the image's user, usually root."];
  return isRootUser(c.user) ? [`user "${c.user}" is root.`] : [];
}

export const ecsNonRootUser = catalystResourcePolicy({
  name: "ecs-non-root-user",
  description: "Every container of an ECS task definition must run as an explicit non-root user.",
  severity: "high",
  remediationSteps: 'Set `user` on every container definition to an unprivileged uid:gid (e.g. "1001:1001", the Next.js image user), never "root"/"0".',
  checklist: ["Critical Security Rules › Never use root credentials in production application runtime (applied to the container user)"],
  validateResource: forTypes(TASK_DEFINITION, (props, _args, reportViolation) =>
    checkContainers(props, reportViolation, userProblems, (tags) => {
      const declared = tags.get(POSTURE_TAGS.user);
      return declared !== undefined && isRootUser(declared) ? [`${POSTURE_TAGS.user} "${declared}" is root.`] : [];
    }),
  ),
});
