import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  DEFAULT_DEPLOY_SERVICES,
  DEFAULT_PASS_ROLE_SERVICES,
  DEFAULT_PREVIEW_READ_ACTIONS,
  DEFAULT_SERVICE_LINKED_ROLE_SERVICES,
  DEFAULT_WORKLOAD_ONLY_SERVICES,
  Foundation,
  GITHUB_OIDC_HOST,
  GithubRepository,
  STS_AUDIENCE,
  StateAccess,
  deployPermissions,
  deployTrustPolicy,
  githubOidcProviderArn,
  policyArn,
  previewPermissions,
  previewTrustPolicy,
  workloadBoundary,
} from "./iamDocuments";

export interface GithubOidcRolesArgs {
  accountId: string;
  region: string;
  /** Other regions the deploy role (and the stack's roles) may act in, e.g. the backup copy region. */
  additionalRegions?: readonly string[];
  repository: GithubRepository;
  /** The Pulumi state bucket and KMS aliases both roles use (see StateBackend). */
  state: StateAccess;
  /** The protected environment, branch and workflow file allowed to deploy. */
  deploy?: { environment?: string; branch?: string; workflowPath?: string };
  /** Also let jobs on this branch preview (e.g. a scheduled drift check). Default: pull requests only. */
  previewAlsoFromBranch?: string;
  /** An account holds one provider per issuer URL: set false when it already exists (its ARN is fixed). */
  createOidcProvider?: boolean;
  /** Prefix of the role and policy names (names are fixed so the ARNs can be set as repository variables). */
  namePrefix?: string;
  /**
   * IAM path the stack's roles and policies must use (see workloadRoleSettings); default `/<namePrefix>/`.
   * "/" lets the deploy role manage every role in the account: explicit opt-out only.
   */
  workloadPath?: string;
  deployServices?: readonly string[];
  previewReadActions?: readonly string[];
  passRoleServices?: readonly string[];
  /** AWS services whose service-linked role the deploy role may create (`iam:AWSServiceName`). */
  serviceLinkedRoleServices?: readonly string[];
  /** Services the stack's roles use but the deploy role does not (the boundary allows them too). */
  workloadOnlyServices?: readonly string[];
  /**
   * Require every role the deploy role creates or re-permissions to carry the workload boundary.
   * Turning this off lets a deploy create a role more powerful than itself: explicit opt-out only.
   */
  requireWorkloadBoundary?: boolean;
  maxSessionSeconds?: number;
  protect?: boolean;
}

/**
 * GitHub Actions → AWS without long-lived keys: the GitHub OIDC identity provider, a preview role
 * for pull requests (metadata reads + state read) and a deploy role for the protected environment on
 * the deploy branch (the stack's services in its region, guarded against changing its own foundation).
 */
export class GithubOidcRoles extends pulumi.ComponentResource {
  public readonly previewRoleArn: pulumi.Output<string>;
  public readonly deployRoleArn: pulumi.Output<string>;
  public readonly oidcProviderArn: string;
  /** Set on every stack role (`permissionsBoundary`) when the boundary is required; undefined otherwise. */
  public readonly workloadBoundaryArn: pulumi.Output<string> | undefined;
  /** The IAM path every stack role and managed policy must be created under. */
  public readonly workloadPath: string;

  constructor(name: string, args: GithubOidcRolesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("catalyst:delivery:GithubOidcRoles", name, {}, opts);
    const prefix = args.namePrefix ?? "catalyst";
    const names = deliveryNames(prefix);
    const workloadPath = args.workloadPath ?? workloadRoleSettings(args.accountId, prefix).path;
    if (!/^\/([\w+=,.@-]+\/)*$/.test(workloadPath)) throw new Error(`workloadPath ${JSON.stringify(workloadPath)} must be an IAM path such as /catalyst/`);
    const requireBoundary = args.requireWorkloadBoundary ?? true;
    const scope = { accountId: args.accountId, region: args.region, additionalRegions: args.additionalRegions };
    const foundation: Foundation = { roleNames: [names.preview, names.deploy], policyNames: [names.boundary] };
    const services = args.deployServices ?? DEFAULT_DEPLOY_SERVICES;
    const child = { parent: this, protect: args.protect };

    this.oidcProviderArn = githubOidcProviderArn(args.accountId);
    const provider =
      (args.createOidcProvider ?? true)
        ? new aws.iam.OpenIdConnectProvider(
            `${name}-github`,
            // No thumbprint: AWS validates GitHub's issuer against its own trusted CAs.
            { url: `https://${GITHUB_OIDC_HOST}`, clientIdLists: [STS_AUDIENCE] },
            child,
          )
        : undefined;
    const afterProvider = { ...child, dependsOn: provider ? [provider] : [] };

    const boundary = requireBoundary
      ? new aws.iam.Policy(
          `${name}-boundary`,
          {
            name: names.boundary,
            description: "Permissions boundary for every role the Catalyst stack creates",
            policy: JSON.stringify(
              workloadBoundary({
                ...scope,
                state: args.state,
                services,
                workloadOnlyServices: args.workloadOnlyServices ?? DEFAULT_WORKLOAD_ONLY_SERVICES,
                foundation,
              }),
            ),
          },
          child,
        )
      : undefined;

    const maxSessionDuration = args.maxSessionSeconds ?? 3600;
    const preview = new aws.iam.Role(
      `${name}-preview`,
      {
        name: names.preview,
        description: `pulumi preview from pull requests of ${args.repository.owner}/${args.repository.name}`,
        assumeRolePolicy: JSON.stringify(
          previewTrustPolicy({ accountId: args.accountId, repository: args.repository, alsoFromBranch: args.previewAlsoFromBranch }),
        ),
        maxSessionDuration,
      },
      afterProvider,
    );
    new aws.iam.RolePolicy(
      `${name}-preview-access`,
      {
        role: preview.name,
        name: "preview",
        policy: JSON.stringify(previewPermissions({ ...scope, state: args.state, readActions: args.previewReadActions ?? DEFAULT_PREVIEW_READ_ACTIONS })),
      },
      child,
    );

    const deployTarget = {
      environment: args.deploy?.environment ?? "production",
      branch: args.deploy?.branch ?? "main",
      workflowPath: args.deploy?.workflowPath ?? ".github/workflows/deploy.yml",
    };
    const deploy = new aws.iam.Role(
      `${name}-deploy`,
      {
        name: names.deploy,
        description: `pulumi up from the ${deployTarget.environment} environment of ${args.repository.owner}/${args.repository.name}`,
        assumeRolePolicy: JSON.stringify(deployTrustPolicy({ accountId: args.accountId, repository: args.repository, ...deployTarget })),
        maxSessionDuration,
      },
      afterProvider,
    );
    new aws.iam.RolePolicy(
      `${name}-deploy-access`,
      {
        role: deploy.name,
        name: "deploy",
        policy: JSON.stringify(
          deployPermissions({
            ...scope,
            state: args.state,
            services,
            passRoleServices: args.passRoleServices ?? DEFAULT_PASS_ROLE_SERVICES,
            serviceLinkedRoleServices: args.serviceLinkedRoleServices ?? DEFAULT_SERVICE_LINKED_ROLE_SERVICES,
            boundaryPolicyArn: requireBoundary ? policyArn(args.accountId, names.boundary) : undefined,
            workloadPath,
            foundation,
          }),
        ),
      },
      child,
    );

    this.previewRoleArn = preview.arn;
    this.deployRoleArn = deploy.arn;
    this.workloadBoundaryArn = boundary?.arn;
    this.workloadPath = workloadPath;
    this.registerOutputs({
      previewRoleArn: this.previewRoleArn,
      deployRoleArn: this.deployRoleArn,
      oidcProviderArn: this.oidcProviderArn,
      workloadBoundaryArn: this.workloadBoundaryArn,
      workloadPath: this.workloadPath,
    });
  }
}

/** Fixed names, so the role ARNs are known before they exist (docs, repository variables, guards). */
export function deliveryNames(prefix = "catalyst"): { preview: string; deploy: string; boundary: string } {
  return { preview: `${prefix}-github-preview`, deploy: `${prefix}-github-deploy`, boundary: `${prefix}-workload-boundary` };
}

/**
 * What every aws.iam.Role (and aws.iam.Policy: `path` only) of the main stack must carry for the
 * deploy role to manage it: the stack's IAM path and the workload boundary. Deterministic, so the
 * stack computes it from the account id and prefix without reading the bootstrap stack.
 */
export function workloadRoleSettings(accountId: string, namePrefix = "catalyst"): { path: string; permissionsBoundary: string } {
  return { path: `/${namePrefix}/`, permissionsBoundary: policyArn(accountId, deliveryNames(namePrefix).boundary) };
}
