import { parseJsonProp, runComponent, UNKNOWN } from "../../test/harness";
import { evaluate } from "../../test/iamPolicy";
import { GithubOidcRoles, GithubOidcRolesArgs, workloadRoleSettings } from "./githubOidcRoles";

const ACCOUNT = "123456789012";
const base: GithubOidcRolesArgs = {
  accountId: ACCOUNT,
  region: "eu-west-1",
  repository: { owner: "acme", name: "catalyst-infra" },
  state: { bucketName: "acme-catalyst-pulumi-state", keyAliases: ["alias/catalyst-pulumi-state", "alias/catalyst-pulumi-secrets"] },
};
const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: { Federated?: string };
  Condition?: Record<string, Record<string, string | string[]>>;
}
interface Doc {
  Statement: Statement[];
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

async function deploy(args: Partial<GithubOidcRolesArgs> = {}, preview = false) {
  const run = await runComponent(() => new GithubOidcRoles("ci", { ...base, ...args }), { preview });
  const doc = (type: string, suffix: string, prop: string) => parseJsonProp<Doc>(run.one(type, suffix).inputs[prop]);
  return {
    run,
    previewTrust: doc("aws:iam/role:Role", "ci-preview", "assumeRolePolicy"),
    deployTrust: doc("aws:iam/role:Role", "ci-deploy", "assumeRolePolicy"),
    previewAccess: doc("aws:iam/rolePolicy:RolePolicy", "ci-preview-access", "policy"),
    deployAccess: doc("aws:iam/rolePolicy:RolePolicy", "ci-deploy-access", "policy"),
  };
}

function trustConditions(doc: Doc): Record<string, string | string[]> {
  expect(doc.Statement).toHaveLength(1);
  const [s] = doc.Statement;
  expect(s.Effect).toBe("Allow");
  expect(s.Action).toBe("sts:AssumeRoleWithWebIdentity");
  expect(s.Principal?.Federated).toBe(PROVIDER_ARN);
  // Only exact matches: a StringLike (or any pattern operator) could widen the trust.
  expect(Object.keys(s.Condition ?? {})).toEqual(["StringEquals"]);
  return s.Condition!.StringEquals;
}

describe("GithubOidcRoles", () => {
  it("creates the GitHub OIDC provider for the STS audience", async () => {
    const { run } = await deploy();
    const provider = run.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
    expect(provider.inputs.url).toBe("https://token.actions.githubusercontent.com");
    expect(provider.inputs.clientIdLists).toEqual(["sts.amazonaws.com"]);
  });

  it("preview role trusts only pull-request jobs of this repository, with the sts audience", async () => {
    const c = trustConditions((await deploy()).previewTrust);
    expect(c["token.actions.githubusercontent.com:aud"]).toBe("sts.amazonaws.com");
    expect(c["token.actions.githubusercontent.com:sub"]).toEqual(["repo:acme/catalyst-infra:pull_request"]);
  });

  it("preview role can additionally trust one branch when asked", async () => {
    const c = trustConditions((await deploy({ previewAlsoFromBranch: "main" })).previewTrust);
    expect(c["token.actions.githubusercontent.com:sub"]).toEqual(["repo:acme/catalyst-infra:pull_request", "repo:acme/catalyst-infra:ref:refs/heads/main"]);
  });

  it("deploy role trusts only the protected environment, on main, from the deploy workflow", async () => {
    const c = trustConditions((await deploy()).deployTrust);
    expect(c).toEqual({
      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
      "token.actions.githubusercontent.com:sub": "repo:acme/catalyst-infra:environment:production",
      "token.actions.githubusercontent.com:ref": "refs/heads/main",
      "token.actions.githubusercontent.com:job_workflow_ref": "acme/catalyst-infra/.github/workflows/deploy.yml@refs/heads/main",
    });
  });

  it("deploy trust follows a custom environment, branch and workflow", async () => {
    const c = trustConditions(
      (await deploy({ deploy: { environment: "prod-aws", branch: "release", workflowPath: ".github/workflows/ship.yml" } })).deployTrust,
    );
    expect(c["token.actions.githubusercontent.com:sub"]).toBe("repo:acme/catalyst-infra:environment:prod-aws");
    expect(c["token.actions.githubusercontent.com:ref"]).toBe("refs/heads/release");
    expect(c["token.actions.githubusercontent.com:job_workflow_ref"]).toBe("acme/catalyst-infra/.github/workflows/ship.yml@refs/heads/release");
  });

  it("pins both roles to the numeric repository id when it is given", async () => {
    const { previewTrust, deployTrust } = await deploy({ repository: { ...base.repository, id: "987654321" } });
    for (const doc of [previewTrust, deployTrust]) expect(trustConditions(doc)["token.actions.githubusercontent.com:repository_id"]).toBe("987654321");
  });

  it("never trusts a wildcard repository or subject", async () => {
    const { previewTrust, deployTrust } = await deploy();
    for (const doc of [previewTrust, deployTrust]) {
      const values = Object.values(trustConditions(doc)).flatMap(list);
      expect(values.filter((v) => /[*?]/.test(v))).toEqual([]);
      for (const sub of list(trustConditions(doc)["token.actions.githubusercontent.com:sub"])) expect(sub.startsWith("repo:acme/catalyst-infra:")).toBe(true);
    }
  });

  it("reuses an existing provider by its fixed ARN instead of creating a second one", async () => {
    const { run, deployTrust } = await deploy({ createOidcProvider: false });
    expect(run.byType("aws:iam/openIdConnectProvider:OpenIdConnectProvider")).toHaveLength(0);
    expect(deployTrust.Statement[0].Principal?.Federated).toBe(PROVIDER_ARN);
  });

  it("trust and permission documents are known at preview", async () => {
    const { run } = await deploy({}, true);
    for (const r of run.byType("aws:iam/role:Role")) expect(r.inputs.assumeRolePolicy).not.toBe(UNKNOWN);
    for (const r of run.byType("aws:iam/rolePolicy:RolePolicy")) expect(r.inputs.policy).not.toBe(UNKNOWN);
  });

  it("preview permissions never write, never read secrets, and read state without locking it", async () => {
    const { previewAccess } = await deploy();
    const actions = previewAccess.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => list(s.Action));
    const writes = actions.filter((a) =>
      /:(Create|Delete|Put|Update|Modify|Attach|Detach|Tag|Untag|Set|Run|Start|Stop|Register|Deregister|Encrypt|GenerateDataKey|\*$)/.test(a),
    );
    expect(writes).toEqual([]);
    expect(actions).not.toContain("secretsmanager:GetSecretValue");
    expect(actions).not.toContain("s3:PutObject");
    const objects = previewAccess.Statement.find((s) => s.Sid === "StateObjects")!;
    expect(objects.Resource).toBe("arn:aws:s3:::acme-catalyst-pulumi-state/*");
    const keys = previewAccess.Statement.find((s) => s.Sid === "StateKeys")!;
    expect(keys.Condition).toEqual({ "ForAnyValue:StringEquals": { "kms:ResourceAliases": ["alias/catalyst-pulumi-state", "alias/catalyst-pulumi-secrets"] } });
  });

  it("deploy permissions are limited to the stack's region and require the workload boundary on roles", async () => {
    const { deployAccess } = await deploy();
    const services = deployAccess.Statement.find((s) => s.Sid === "ManageStackServicesInRegion")!;
    expect(services.Condition).toEqual({ StringEquals: { "aws:RequestedRegion": ["eu-west-1"] } });
    expect(list(services.Action)).not.toContain("iam:*");
    const rolePerms = deployAccess.Statement.find((s) => s.Sid === "StackRolePermissions")!;
    expect(list(rolePerms.Action)).toContain("iam:CreateRole");
    expect(rolePerms.Condition).toEqual({ StringEquals: { "iam:PermissionsBoundary": `arn:aws:iam::${ACCOUNT}:policy/catalyst-workload-boundary` } });
    const passRole = deployAccess.Statement.find((s) => s.Sid === "PassStackRolesToServices")!;
    expect(list(passRole.Condition?.StringEquals["iam:PassedToService"])).toContain("ecs-tasks.amazonaws.com");
  });

  it("deploy role and the workload boundary also cover the additional regions (backup copies)", async () => {
    const { run, deployAccess } = await deploy({ additionalRegions: ["eu-central-1", "eu-west-1"] });
    const regions = { StringEquals: { "aws:RequestedRegion": ["eu-west-1", "eu-central-1"] } };
    expect(deployAccess.Statement.find((s) => s.Sid === "ManageStackServicesInRegion")!.Condition).toEqual(regions);
    const boundary = parseJsonProp<Doc>(run.one("aws:iam/policy:Policy").inputs.policy);
    expect(boundary.Statement.find((s) => s.Sid === "StackServicesInRegion")!.Condition).toEqual(regions);
  });

  it("deploy role manages IAM only under the stack's path, so no other role in the account can be re-trusted", async () => {
    const { deployAccess } = await deploy();
    const iamAllows = deployAccess.Statement.filter((s) => s.Effect === "Allow" && list(s.Action).some((a) => a.startsWith("iam:")));
    expect(iamAllows.length).toBeGreaterThan(0);
    for (const s of iamAllows) {
      for (const r of list(s.Resource))
        expect(r).toMatch(new RegExp(`^arn:aws:iam::${ACCOUNT}:(role|policy|instance-profile)/(catalyst|aws-service-role)/\\*$`));
    }
    expect(list(deployAccess.Statement.find((s) => s.Sid === "StackRoleHousekeeping")!.Action)).toContain("iam:UpdateAssumeRolePolicy");
    expect(deployAccess.Statement.find((s) => s.Sid === "StackRoleHousekeeping")!.Resource).toBe(`arn:aws:iam::${ACCOUNT}:role/catalyst/*`);
    expect(deployAccess.Statement.find((s) => s.Sid === "PassStackRolesToServices")!.Resource).toBe(`arn:aws:iam::${ACCOUNT}:role/catalyst/*`);
  });

  it("tells the main stack the path and boundary its roles must carry", async () => {
    expect(workloadRoleSettings(ACCOUNT)).toEqual({ path: "/catalyst/", permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/catalyst-workload-boundary` });
    const { run } = await deploy({ workloadPath: "/apps/catalyst/" });
    const doc = parseJsonProp<Doc>(run.one("aws:iam/rolePolicy:RolePolicy", "ci-deploy-access").inputs.policy);
    expect(doc.Statement.find((s) => s.Sid === "StackRolePermissions")!.Resource).toBe(`arn:aws:iam::${ACCOUNT}:role/apps/catalyst/*`);
    await expect(deploy({ workloadPath: "catalyst" })).rejects.toThrow(/must be an IAM path/);
    // The explicit opt-out: every role in the account.
    const all = parseJsonProp<Doc>((await deploy({ workloadPath: "/" })).run.one("aws:iam/rolePolicy:RolePolicy", "ci-deploy-access").inputs.policy);
    expect(all.Statement.find((s) => s.Sid === "StackRoleHousekeeping")!.Resource).toBe(`arn:aws:iam::${ACCOUNT}:role/*`);
  });

  it("deploy role cannot change its own trust, the OIDC provider, the state bucket or the state keys", async () => {
    const { deployAccess } = await deploy();
    const denies = deployAccess.Statement.filter((s) => s.Effect === "Deny");
    const iamDeny = denies.find((s) => s.Sid === "DenyChangingDeliveryIam")!;
    expect(list(iamDeny.Resource)).toEqual(
      expect.arrayContaining([
        PROVIDER_ARN,
        `arn:aws:iam::${ACCOUNT}:role/catalyst-github-deploy`,
        `arn:aws:iam::${ACCOUNT}:role/catalyst-github-preview`,
        `arn:aws:iam::${ACCOUNT}:policy/catalyst-workload-boundary`,
      ]),
    );
    const bucketDeny = denies.find((s) => s.Sid === "DenyWeakeningStateBucket")!;
    expect(list(bucketDeny.Action)).toEqual(expect.arrayContaining(["s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteObjectVersion"]));
    const keyDeny = denies.find((s) => s.Sid === "DenyDisablingStateKeys")!;
    expect(list(keyDeny.Action)).toContain("kms:ScheduleKeyDeletion");
  });

  it("the boundary policy denies identity administration to every stack role", async () => {
    const { run } = await deploy();
    const boundary = run.one("aws:iam/policy:Policy", "ci-boundary");
    expect(boundary.inputs.name).toBe("catalyst-workload-boundary");
    const doc = parseJsonProp<Doc>(boundary.inputs.policy);
    const deny = doc.Statement.find((s) => s.Sid === "NoIdentityAdministration")!;
    expect(deny.Effect).toBe("Deny");
    expect(list(deny.Action)).toEqual(expect.arrayContaining(["iam:*", "sts:AssumeRole"]));
  });

  it("dropping the boundary is explicit and removes the condition on role creation", async () => {
    const { run, deployAccess } = await deploy({ requireWorkloadBoundary: false });
    expect(run.byType("aws:iam/policy:Policy")).toHaveLength(0);
    expect(deployAccess.Statement.find((s) => s.Sid === "StackRolePermissions")!.Condition).toBeUndefined();
  });

  it("policies fit IAM's size limits (10,240 characters of inline policy per role, 6,144 per managed policy)", async () => {
    const { run } = await deploy();
    for (const r of run.byType("aws:iam/rolePolicy:RolePolicy")) expect(JSON.stringify(JSON.parse(r.inputs.policy as string)).length).toBeLessThan(10_240);
    const boundary = run.one("aws:iam/policy:Policy");
    expect(JSON.stringify(JSON.parse(boundary.inputs.policy as string)).length).toBeLessThan(6_144);
  });

  it("protects the roles, policies and provider when asked", async () => {
    const { run } = await deploy({ protect: true });
    const custom = run.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    expect(custom.length).toBeGreaterThan(0);
    expect(custom.filter((r) => !r.protect).map((r) => r.name)).toEqual([]);
  });

  it("names the roles with the prefix so their ARNs are known in advance", async () => {
    const { run } = await deploy({ namePrefix: "acme" });
    expect(run.one("aws:iam/role:Role", "ci-preview").inputs.name).toBe("acme-github-preview");
    expect(run.one("aws:iam/role:Role", "ci-deploy").inputs.name).toBe("acme-github-deploy");
    expect(run.one("aws:iam/role:Role", "ci-deploy").inputs.maxSessionDuration).toBe(3600);
  });

  describe("what a deploy run needs, judged by an IAM evaluator", () => {
    let deployAccess: Doc;
    let boundary: Doc;
    const region = { "aws:RequestedRegion": "eu-west-1" };
    const allowed = (doc: Doc, action: string, resource: string, context: Record<string, string | string[]> = {}) =>
      evaluate(doc as never, { action, resource, context: { ...region, ...context } });
    beforeAll(async () => {
      const d = await deploy();
      deployAccess = d.deployAccess;
      boundary = parseJsonProp<Doc>(d.run.one("aws:iam/policy:Policy", "ci-boundary").inputs.policy);
    });

    it("manages instance profiles under the stack's path and passes roles to EC2 (the admin host)", () => {
      const profile = `arn:aws:iam::${ACCOUNT}:instance-profile/catalyst/db-admin-profile-1a2b3c4`;
      for (const action of ["iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:TagInstanceProfile", "iam:DeleteInstanceProfile"]) {
        expect([action, allowed(deployAccess, action, profile)]).toEqual([action, "allow"]);
      }
      expect(allowed(deployAccess, "iam:CreateInstanceProfile", `arn:aws:iam::${ACCOUNT}:instance-profile/other-profile`)).toBe("implicit-deny");
      const role = `arn:aws:iam::${ACCOUNT}:role/catalyst/db-admin-role-1a2b3c4`;
      expect(allowed(deployAccess, "iam:PassRole", role, { "iam:PassedToService": "ec2.amazonaws.com" })).toBe("allow");
      expect(allowed(deployAccess, "iam:PassRole", role, { "iam:PassedToService": "lambda.amazonaws.com" })).toBe("implicit-deny");
    });

    it("creates only the service-linked roles of the services the stack uses", () => {
      const slr = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`;
      for (const service of [
        "ecs.amazonaws.com",
        "elasticloadbalancing.amazonaws.com",
        "rds.amazonaws.com",
        "ecs.application-autoscaling.amazonaws.com",
        "backup.amazonaws.com",
        "restore-testing.backup.amazonaws.com",
      ]) {
        expect([service, allowed(deployAccess, "iam:CreateServiceLinkedRole", slr, { "iam:AWSServiceName": service })]).toEqual([service, "allow"]);
      }
      expect(allowed(deployAccess, "iam:CreateServiceLinkedRole", slr, { "iam:AWSServiceName": "organizations.amazonaws.com" })).toBe("implicit-deny");
    });

    it("opens the database tunnel: a port-forward session to the admin host only, and ends only its own sessions", () => {
      const host = `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0123456789abcdef0`;
      const document = "arn:aws:ssm:eu-west-1::document/AWS-StartPortForwardingSessionToRemoteHost";
      expect(allowed(deployAccess, "ssm:StartSession", host, { "ssm:resourceTag/catalyst:role": "admin" })).toBe("allow");
      expect(allowed(deployAccess, "ssm:StartSession", document)).toBe("allow");
      // Any other instance of the account, or a shell session, is not the tunnel.
      expect(allowed(deployAccess, "ssm:StartSession", host, { "ssm:resourceTag/catalyst:role": "app" })).toBe("implicit-deny");
      expect(allowed(deployAccess, "ssm:StartSession", host)).toBe("implicit-deny");
      expect(allowed(deployAccess, "ssm:StartSession", "arn:aws:ssm:eu-west-1::document/AWS-StartInteractiveCommand")).toBe("implicit-deny");
      expect(allowed(deployAccess, "ssm:SendCommand", host, { "ssm:resourceTag/catalyst:role": "admin" })).toBe("implicit-deny");
      const session = `arn:aws:ssm:eu-west-1:${ACCOUNT}:session/catalyst-deploy-42-0a1b2c3d4e5f`;
      const me = { "aws:userid": "AROAEXAMPLE:catalyst-deploy-42" };
      expect(
        allowed(deployAccess, "ssm:TerminateSession", session, { ...me, "ssm:resourceTag/aws:ssmmessages:session-id": "AROAEXAMPLE:catalyst-deploy-42-0a1b" }),
      ).toBe("allow");
      expect(allowed(deployAccess, "ssm:TerminateSession", session, { ...me, "ssm:resourceTag/aws:ssmmessages:session-id": "AROAOTHER:operator-0a1b" })).toBe(
        "implicit-deny",
      );
    });

    it("reads the RDS master secret and decrypts it with the database key through its service grants", () => {
      const master = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:rds!db-0a1b2c3d-aaaa-bbbb-cccc-0123456789ab-AbCdEf`;
      expect(allowed(deployAccess, "secretsmanager:GetSecretValue", master)).toBe("allow");
      expect(allowed(deployAccess, "kms:Decrypt", `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab`)).toBe("allow");
      expect(allowed(deployAccess, "secretsmanager:GetSecretValue", master.replace("eu-west-1", "us-west-2"), { "aws:RequestedRegion": "us-west-2" })).toBe(
        "implicit-deny",
      );
    });

    it("reads the public AMI parameter and manages Route 53 health checks, but no account parameter and no hosted zone", () => {
      expect(
        allowed(deployAccess, "ssm:GetParameter", "arn:aws:ssm:eu-west-1::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"),
      ).toBe("allow");
      expect(allowed(deployAccess, "ssm:GetParameter", `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/app/secret`)).toBe("implicit-deny");
      expect(allowed(deployAccess, "route53:CreateHealthCheck", "*", { "aws:RequestedRegion": "us-east-1" })).toBe("allow");
      expect(allowed(deployAccess, "route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/Z123")).toBe("implicit-deny");
    });

    it("the boundary lets the admin host's SSM agent carry sessions; the deploy role gets none of that", () => {
      for (const action of ["ssm:UpdateInstanceInformation", "ssmmessages:OpenDataChannel", "ec2messages:GetMessages"]) {
        expect([action, allowed(boundary, action, "*")]).toEqual([action, "allow"]);
        expect([action, allowed(deployAccess, action, "*")]).toEqual([action, "implicit-deny"]);
      }
      expect(allowed(boundary, "iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/catalyst/x`)).toBe("deny");
    });
  });
});
