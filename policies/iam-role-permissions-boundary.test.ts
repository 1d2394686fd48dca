import { iamRolePermissionsBoundary } from "./iam-role-permissions-boundary";
import { runResourcePolicy, UNKNOWN } from "./testing";

const ROLE = "aws:iam/role:Role";
const BOUNDARY = "arn:aws:iam::123456789012:policy/catalyst-workload-boundary";
const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const role = (over: Record<string, unknown> = {}) => ({
  type: ROLE,
  props: { name: "catalyst-prod-frontend-execution", assumeRolePolicy: TRUST, path: "/catalyst/", permissionsBoundary: BOUNDARY, ...over },
});
const violations = async (r: { type: string; props: Record<string, unknown> }, config?: Record<string, unknown>) =>
  (await runResourcePolicy(iamRolePermissionsBoundary, r, { config })).violations;

describe("iam-role-permissions-boundary", () => {
  it("passes a role under the stack's path with the workload boundary, and a path-only policy and instance profile", async () => {
    expect(await violations(role())).toEqual([]);
    expect(await violations({ type: "aws:iam/instanceProfile:InstanceProfile", props: { role: "r", path: "/catalyst/" } })).toEqual([]);
    expect(await violations({ type: "aws:iam/policy:Policy", props: { policy: "{}", path: "/catalyst/" } })).toEqual([]);
  });

  it.each([
    [
      "no boundary",
      { permissionsBoundary: undefined },
      "permissionsBoundary is not set: the role could be granted more than the workload boundary allows (and the CI deploy role may not create it).",
    ],
    [
      "a boundary that is not an ARN",
      { permissionsBoundary: "catalyst-workload-boundary" },
      'permissionsBoundary "catalyst-workload-boundary" is not a managed policy ARN.',
    ],
    ["no path", { path: undefined }, "path is not set: the CI deploy role manages IAM only under the stack's workload path (catalyst:iamPath)."],
    ["the root path", { path: "/" }, 'path is "/": the CI deploy role manages IAM only under the stack\'s workload path (catalyst:iamPath).'],
  ])("blocks a role with %s", async (_label, change, message) => {
    const r = await runResourcePolicy(iamRolePermissionsBoundary, role(change));
    expect(r.violations).toEqual([message]);
    expect(r.findings[0].level).toBe("mandatory");
  });

  it("blocks an instance profile at the root path (its role could not be added by the deploy role)", async () => {
    expect(await violations({ type: "aws:iam/instanceProfile:InstanceProfile", props: { role: "r" } })).toEqual([
      "path is not set: the CI deploy role manages IAM only under the stack's workload path (catalyst:iamPath).",
    ]);
  });

  it("honours an exact path and boundary name from policy config", async () => {
    const config = { path: "/catalyst/", boundaryPolicyName: "catalyst-workload-boundary" };
    expect(await violations(role(), config)).toEqual([]);
    expect(await violations(role({ path: "/other/" }), config)).toEqual(['path is "/other/"; the stack\'s IAM must live under /catalyst/.']);
    expect(await violations(role({ permissionsBoundary: "arn:aws:iam::aws:policy/AdministratorAccess" }), config)).toEqual([
      "permissionsBoundary is arn:aws:iam::aws:policy/AdministratorAccess; roles must carry the catalyst-workload-boundary boundary.",
    ]);
  });

  it("can be made advisory for a stack whose bootstrap opts out of the boundary", async () => {
    const r = await runResourcePolicy(iamRolePermissionsBoundary, role({ permissionsBoundary: undefined }), { config: { enforcementLevel: "advisory" } });
    expect(r.findings.map((f) => f.level)).toEqual(["advisory"]);
  });

  it("is not applicable to other IAM resources", async () => {
    expect(
      (await runResourcePolicy(iamRolePermissionsBoundary, { type: "aws:iam/rolePolicy:RolePolicy", props: { role: "r", policy: "{}" } })).notApplicable,
    ).toBe(true);
  });

  it("decides at preview on the literals; explicit when the boundary itself is unknown", async () => {
    expect((await runResourcePolicy(iamRolePermissionsBoundary, role({ assumeRolePolicy: UNKNOWN, name: UNKNOWN }), { preview: true })).undecidable).toBe(
      false,
    );
    const r = await runResourcePolicy(iamRolePermissionsBoundary, role({ permissionsBoundary: UNKNOWN }), { preview: true });
    expect(r).toMatchObject({ undecidable: true, violations: [] });
    expect(r.findings[0].message).toMatch(/permissionsBoundary is unknown during preview; decided at `pulumi up`/);
  });
});
