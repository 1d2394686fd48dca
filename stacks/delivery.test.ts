/**
 * The two halves of delivery agree: what the bootstrap's CI deploy role (infra/delivery) may do, and
 * what the real prod stack (Pulumi.prod.yaml) asks of it. Every role, policy and instance profile of
 * the stack sits under the workload path with the workload boundary, the deploy role's own policy
 * (built by GithubOidcRoles for the same account and prefix) allows managing and passing each of
 * them, every other resource lies within its services and regions, and the secrets admit a fixed
 * list of managers rather than whoever runs pulumi.
 */
import { GithubOidcRoles, workloadRoleSettings } from "../infra/delivery";
import { ADMIN_HOST_TAG } from "../infra/delivery/iamDocuments";
import { MOCK_ACCOUNT } from "../scripts/lib/offline/mocks";
import { Captured, CapturedResource, loadStackConfigFile, parseJsonProp, runComponent, runProgram } from "../test/harness";
import { evaluate, IamRequest } from "../test/iamPolicy";
import { parseConfig } from "./config";
import { ConfigProblems } from "./validation";

const T = {
  role: "aws:iam/role:Role",
  policy: "aws:iam/policy:Policy",
  profile: "aws:iam/instanceProfile:InstanceProfile",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  instance: "aws:ec2/instance:Instance",
  secretPolicy: "aws:secretsmanager/secretPolicy:SecretPolicy",
};
const REGION = "eu-west-1";
const BOUNDARY = `arn:aws:iam::${MOCK_ACCOUNT}:policy/catalyst-workload-boundary`;
const DEPLOY_ROLE = `arn:aws:iam::${MOCK_ACCOUNT}:role/catalyst-github-deploy`;
/** The regions the prod stack uses: its own, the backup copy region, us-east-1 (Route 53 health-check metrics). */
const BOOTSTRAP_ADDITIONAL_REGIONS = ["eu-central-1", "us-east-1"];

type Doc = { Statement: Array<{ Principal?: { Service?: string | string[] }; Condition?: { StringNotEquals?: Record<string, string[]> } }> };
const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The deploy role's policy exactly as the bootstrap program builds it for this account. */
async function deployRolePolicy(): Promise<Doc> {
  const run = await runComponent(
    () =>
      new GithubOidcRoles("ci", {
        accountId: MOCK_ACCOUNT,
        region: REGION,
        additionalRegions: BOOTSTRAP_ADDITIONAL_REGIONS,
        repository: { owner: "acme", name: "catalyst-infra" },
        state: { bucketName: "acme-catalyst-pulumi-state", keyAliases: ["alias/catalyst-pulumi-state", "alias/catalyst-pulumi-secrets"] },
      }),
  );
  return parseJsonProp<Doc>(run.one(T.rolePolicy, "ci-deploy-access").inputs.policy);
}

/** The IAM service (and a representative action) behind a Pulumi AWS type token. */
function requestFor(r: CapturedResource): IamRequest {
  const [, module, kind] = /^aws:([^/]+)\/[^:]+:(\w+)$/.exec(r.type)!;
  const service: Record<string, string> = { vpc: "ec2", lb: "elasticloadbalancing", appautoscaling: "application-autoscaling" };
  const logs = ["LogGroup", "LogMetricFilter"].includes(kind);
  const iamService = logs ? "logs" : (service[module] ?? module);
  // Route 53 is a global service: its API is in us-east-1.
  const region = iamService === "route53" ? "us-east-1" : String(r.inputs.region ?? REGION);
  return { action: `${iamService}:Create${kind}`, resource: "*", context: { "aws:RequestedRegion": region } };
}

describe("the prod stack and the CI deploy role agree (infra/delivery)", () => {
  let run: Captured;
  let preview: Captured;
  let deploy: Doc;
  const decide = (req: IamRequest) => evaluate(deploy as never, req);

  beforeAll(async () => {
    run = await runProgram();
    preview = await runProgram({ preview: true });
    deploy = await deployRolePolicy();
  });

  it("puts every role under the workload path with the workload boundary", () => {
    const roles = run.byType(T.role);
    expect(roles.length).toBeGreaterThanOrEqual(10);
    for (const r of roles) {
      expect([r.name, r.inputs.path, r.inputs.permissionsBoundary]).toEqual([r.name, "/catalyst/", BOUNDARY]);
      expect([r.name, r.outputs.arn]).toEqual([r.name, `arn:aws:iam::${MOCK_ACCOUNT}:role/catalyst/${r.outputs.name}`]);
    }
  });

  it("puts every managed policy and instance profile under the workload path", () => {
    const pathOnly = [...run.byType(T.policy), ...run.byType(T.profile)];
    expect(run.byType(T.profile)).toHaveLength(1);
    for (const r of pathOnly) expect([r.name, r.inputs.path]).toEqual([r.name, "/catalyst/"]);
  });

  it("the deploy role may create, re-permission, tag and delete every role, and pass each to the service it trusts", () => {
    for (const r of run.byType(T.role)) {
      const arn = r.outputs.arn as string;
      const withBoundary = { "iam:PermissionsBoundary": r.inputs.permissionsBoundary as string };
      for (const action of ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRolePolicy", "iam:DetachRolePolicy"]) {
        expect([r.name, action, decide({ action, resource: arn, context: withBoundary })]).toEqual([r.name, action, "allow"]);
      }
      for (const action of [
        "iam:TagRole",
        "iam:GetRole",
        "iam:UpdateAssumeRolePolicy",
        "iam:DeleteRole",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
      ]) {
        expect([r.name, action, decide({ action, resource: arn })]).toEqual([r.name, action, "allow"]);
      }
      const services = parseJsonProp<Doc>(r.inputs.assumeRolePolicy).Statement.flatMap((s) => list(s.Principal?.Service));
      expect(services.length).toBeGreaterThan(0);
      for (const service of services) {
        expect([r.name, service, decide({ action: "iam:PassRole", resource: arn, context: { "iam:PassedToService": service } })]).toEqual([
          r.name,
          service,
          "allow",
        ]);
      }
    }
  });

  it("the same role outside the path, or without the boundary, would be refused (the check has teeth)", () => {
    const [role] = run.byType(T.role);
    expect(
      decide({
        action: "iam:CreateRole",
        resource: `arn:aws:iam::${MOCK_ACCOUNT}:role/${role.outputs.name}`,
        context: { "iam:PermissionsBoundary": BOUNDARY },
      }),
    ).toBe("implicit-deny");
    expect(decide({ action: "iam:CreateRole", resource: role.outputs.arn as string })).toBe("implicit-deny");
  });

  it("the deploy role may manage the admin host's instance profile and put its role in it", () => {
    const profile = run.one(T.profile);
    const arn = `arn:aws:iam::${MOCK_ACCOUNT}:instance-profile${profile.inputs.path}${profile.outputs.name}`;
    for (const action of [
      "iam:CreateInstanceProfile",
      "iam:AddRoleToInstanceProfile",
      "iam:TagInstanceProfile",
      "iam:GetInstanceProfile",
      "iam:RemoveRoleFromInstanceProfile",
      "iam:DeleteInstanceProfile",
    ]) {
      expect([action, decide({ action, resource: arn })]).toEqual([action, "allow"]);
    }
  });

  it("every other AWS resource is within the deploy role's services and regions", () => {
    const resources = run.resources.filter((r) => r.custom && r.type.startsWith("aws:") && !r.type.startsWith("aws:iam/"));
    const refused = resources.map((r) => ({ r, req: requestFor(r) })).filter(({ req }) => decide(req) !== "allow");
    expect(refused.map(({ r, req }) => `${r.type} ${r.name}: ${req.action} in ${String(req.context!["aws:RequestedRegion"])}`)).toEqual([]);
    const regions = [...new Set(resources.map((r) => requestFor(r).context!["aws:RequestedRegion"]))].sort();
    // The bootstrap's additionalRegions must name these (README, Delivery): the deploy role is region-locked.
    expect(regions).toEqual([REGION, ...BOOTSTRAP_ADDITIONAL_REGIONS].sort());
  });

  it("the admin host carries the tag the deploy role's database-tunnel grant requires", () => {
    const host = run.one(T.instance);
    const tags = host.inputs.tags as Record<string, string>;
    expect(tags[ADMIN_HOST_TAG.key]).toBe(ADMIN_HOST_TAG.value);
    const instanceArn = `arn:aws:ec2:${REGION}:${MOCK_ACCOUNT}:instance/${host.id}`;
    const tagged = { "aws:RequestedRegion": REGION, [`ssm:resourceTag/${ADMIN_HOST_TAG.key}`]: tags[ADMIN_HOST_TAG.key] };
    expect(decide({ action: "ssm:StartSession", resource: instanceArn, context: tagged })).toBe("allow");
    const masterSecret = run.stackOutputs.dbMasterSecretArn as string;
    expect(decide({ action: "secretsmanager:GetSecretValue", resource: masterSecret, context: { "aws:RequestedRegion": REGION } })).toBe("allow");
  });

  it("the path and the boundary are literals at preview, so policies decide on them", () => {
    const roles = preview.byType(T.role);
    expect(roles).toHaveLength(run.byType(T.role).length);
    for (const r of roles) expect([r.name, r.inputs.path, r.inputs.permissionsBoundary]).toEqual([r.name, "/catalyst/", BOUNDARY]);
    expect(preview.one(T.profile).inputs.path).toBe("/catalyst/");
  });

  describe("secret managers", () => {
    const admitted = (c: Captured) =>
      c.byType(T.secretPolicy).map((p) => ({ p, allowed: parseJsonProp<Doc>(p.inputs.policy).Statement[0].Condition!.StringNotEquals!["aws:PrincipalArn"] }));

    it("admit the deploy role by its fixed ARN, never the identity running pulumi", () => {
      const policies = admitted(run);
      expect(policies).toHaveLength(2);
      for (const { allowed } of policies) {
        expect(allowed).toContain(DEPLOY_ROLE);
        expect(allowed.filter((a) => !a.endsWith("-execution"))).toEqual([DEPLOY_ROLE]);
        // The mocks run pulumi as the IAM user offline-synth: it is not admitted.
        expect(allowed.join(" ")).not.toContain("offline-synth");
      }
    });

    it("add the configured break-glass admins to both secrets", async () => {
      const admin = `arn:aws:iam::${MOCK_ACCOUNT}:role/admins/break-glass`;
      const withAdmin = await runProgram({ override: { "catalyst:secretAdminArns": JSON.stringify([admin]) } });
      for (const { allowed } of admitted(withAdmin)) expect(allowed.filter((a) => !a.endsWith("-execution")).sort()).toEqual([admin, DEPLOY_ROLE].sort());
    });
  });
});

describe("delivery settings that mirror the bootstrap", () => {
  it("drops the boundary, and only the boundary, when the bootstrap opts out", async () => {
    const run = await runProgram({ override: { "catalyst:iamPermissionsBoundary": "false" } });
    for (const r of run.byType(T.role)) expect([r.name, r.inputs.path, r.inputs.permissionsBoundary]).toEqual([r.name, "/catalyst/", undefined]);
  });

  it("follows the bootstrap's name prefix and workload path", async () => {
    const run = await runProgram({ override: { "catalyst:deliveryNamePrefix": "acme", "catalyst:iamPath": "/apps/acme/" } });
    expect(workloadRoleSettings(MOCK_ACCOUNT, "acme").permissionsBoundary).toBe(`arn:aws:iam::${MOCK_ACCOUNT}:policy/acme-workload-boundary`);
    for (const r of run.byType(T.role))
      expect([r.inputs.path, r.inputs.permissionsBoundary]).toEqual(["/apps/acme/", `arn:aws:iam::${MOCK_ACCOUNT}:policy/acme-workload-boundary`]);
    const allowed = parseJsonProp<Doc>(run.byType(T.secretPolicy)[0].inputs.policy).Statement[0].Condition!.StringNotEquals!["aws:PrincipalArn"];
    expect(allowed).toContain(`arn:aws:iam::${MOCK_ACCOUNT}:role/acme-github-deploy`);
  });

  describe("validation", () => {
    const prod = loadStackConfigFile("prod");
    const problems = (override: Record<string, string>): string[] => {
      const cfg = { ...prod, ...override };
      try {
        parseConfig(
          "prod",
          (k) => cfg[`catalyst:${k}`],
          (k) => cfg[`aws:${k}`],
        );
      } catch (e) {
        if (e instanceof ConfigProblems) return e.problems.map((p) => `${p.key}: ${p.problem}`);
        throw e;
      }
      return [];
    };

    it("defaults to the bootstrap's defaults: prefix catalyst, path /catalyst/, boundary on, no extra secret admin", () => {
      const cfg = parseConfig(
        "prod",
        (k) => prod[`catalyst:${k}`],
        (k) => prod[`aws:${k}`],
      );
      expect(cfg.iam).toEqual({ deliveryNamePrefix: "catalyst", path: "/catalyst/", permissionsBoundary: true });
      expect(cfg.secrets.adminArns).toEqual([]);
    });

    it.each([
      ["catalyst:iamPath", "catalyst", 'iamPath: "catalyst" must be an IAM path such as /catalyst/'],
      ["catalyst:iamPermissionsBoundary", "maybe", 'iamPermissionsBoundary: "maybe" is not true or false'],
      ["catalyst:deliveryNamePrefix", "Catalyst_CI", 'deliveryNamePrefix: "Catalyst_CI" must be the bootstrap\'s namePrefix'],
      [
        "catalyst:secretAdminArns",
        '["arn:aws:iam::123456789012:role/*"]',
        'secretAdminArns: item 0 "arn:aws:iam::123456789012:role/*" must be an IAM role ARN',
      ],
      ["catalyst:secretAdminArns", '["arn:aws:iam::123456789012:user/alice"]', "must be an IAM role ARN"],
    ])("%s = %s is refused", (key, value, message) => {
      expect(problems({ [key]: value }).join("\n")).toContain(message);
    });

    it("accepts role ARNs with paths (as aws:PrincipalArn carries them)", () => {
      expect(
        problems({
          "catalyst:secretAdminArns": '["arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef"]',
        }),
      ).toEqual([]);
    });
  });
});
