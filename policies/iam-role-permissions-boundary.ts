import { catalystResourcePolicy, forTypes, requireKnown } from "./lib";

const ROLE = "aws:iam/role:Role";
const PATH_ONLY = ["aws:iam/policy:Policy", "aws:iam/instanceProfile:InstanceProfile"];
const POLICY_ARN = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/([\w+=,.@-]+\/)*[\w+=,.@-]+$/;

interface Config {
  /** The one IAM path the stack's IAM must use (the bootstrap's workloadPath); default: any path but "/". */
  path?: string;
  /** Name of the boundary policy every role must carry (e.g. catalyst-workload-boundary); default: any customer policy. */
  boundaryPolicyName?: string;
}

function pathProblem(path: unknown, config: Config): string | undefined {
  if (path === undefined || path === "/")
    return `path is ${path === undefined ? "not set" : '"/"'}: the CI deploy role manages IAM only under the stack's workload path (catalyst:iamPath).`;
  if (config.path !== undefined && path !== config.path) return `path is ${JSON.stringify(path)}; the stack's IAM must live under ${config.path}.`;
  return undefined;
}

function boundaryProblem(boundary: unknown, config: Config): string | undefined {
  if (boundary === undefined || boundary === "")
    return "permissionsBoundary is not set: the role could be granted more than the workload boundary allows (and the CI deploy role may not create it).";
  if (typeof boundary !== "string" || !POLICY_ARN.test(boundary)) return `permissionsBoundary ${JSON.stringify(boundary)} is not a managed policy ARN.`;
  const name = boundary.split("/").pop();
  if (config.boundaryPolicyName !== undefined && name !== config.boundaryPolicyName)
    return `permissionsBoundary is ${boundary}; roles must carry the ${config.boundaryPolicyName} boundary.`;
  return undefined;
}

export const iamRolePermissionsBoundary = catalystResourcePolicy({
  name: "iam-role-permissions-boundary",
  description:
    "Every IAM role the stack creates must carry the workload permissions boundary, and every role, managed policy and instance profile must sit under the stack's IAM path: the ceiling that keeps a deployed role (or a deploy) from granting more than the stack's own services.",
  severity: "high",
  remediationSteps:
    "Create IAM through the components with the stack's `IamSettings` (stacks/catalyst.ts passes `path` and `permissionsBoundary` from catalyst:iamPath / catalyst:iamPermissionsBoundary, which must mirror the bootstrap). A stack whose bootstrap runs with requireWorkloadBoundary=false sets this policy to advisory with --policy-pack-config.",
  checklist: ["Regular Security Maintenance › Review user access and permissions"],
  configSchema: { properties: { path: { type: "string" }, boundaryPolicyName: { type: "string" } } },
  validateResource: forTypes([ROLE, ...PATH_ONLY], (props, args, reportViolation) => {
    const config = args.getConfig<Config>();
    const why = "the path and boundary must be literals (or invoke results) in the program";
    const path = pathProblem(requireKnown(props, "path", why), config);
    if (path) reportViolation(path);
    if (args.type !== ROLE) return;
    const boundary = boundaryProblem(requireKnown(props, "permissionsBoundary", why), config);
    if (boundary) reportViolation(boundary);
  }),
});
