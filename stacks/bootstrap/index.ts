/**
 * The bootstrap program: the delivery foundation the main stack's CI stands on. It manages the
 * identities CI assumes, so CI never applies it (the deploy role is denied changes to all of it).
 */
import * as aws from "@pulumi/aws";
import { GithubOidcRoles, StateBackend } from "../../infra/delivery";
import { loadBootstrapConfig } from "./config";
import { UPTIME_REGION } from "../../infra/observability/uptime";

export = async () => {
  const cfg = loadBootstrapConfig();
  // Refuses to run against any other account, whatever credentials the operator's shell holds.
  const provider = new aws.Provider("bootstrap-account", { region: cfg.region, allowedAccountIds: [cfg.accountId] });
  const opts = { providers: { aws: provider } };

  const state = new StateBackend(
    "pulumi-state",
    {
      bucketName: cfg.stateBucketName,
      region: cfg.region,
      keyAliasPrefix: cfg.namePrefix,
      noncurrentVersionDays: cfg.noncurrentStateVersionDays,
      protect: cfg.protect,
    },
    opts,
  );
  const ci = new GithubOidcRoles(
    "github",
    {
      accountId: cfg.accountId,
      region: cfg.region,
      // The main stack always puts its uptime alarms, their topic and key in us-east-1.
      additionalRegions: [...new Set([...cfg.additionalRegions, UPTIME_REGION])],
      repository: cfg.repository,
      state: state.access(),
      deploy: cfg.deploy,
      previewAlsoFromBranch: cfg.previewAlsoFromBranch,
      createOidcProvider: cfg.createOidcProvider,
      namePrefix: cfg.namePrefix,
      workloadPath: cfg.workloadPath,
      requireWorkloadBoundary: cfg.requireWorkloadBoundary,
      protect: cfg.protect,
    },
    opts,
  );

  return {
    backendUrl: state.backendUrl,
    secretsProvider: state.secretsProviderUrl,
    stateBucketName: state.bucketName,
    previewRoleArn: ci.previewRoleArn,
    deployRoleArn: ci.deployRoleArn,
    oidcProviderArn: ci.oidcProviderArn,
    // Every aws.iam.Role / aws.iam.Policy of the main stack: `path` = workloadPath, `permissionsBoundary` = workloadBoundaryArn.
    workloadBoundaryArn: ci.workloadBoundaryArn,
    workloadPath: ci.workloadPath,
    // What to set under Settings → Secrets and variables → Actions → Variables (none of them is a secret).
    githubVariables: {
      AWS_REGION: cfg.region,
      AWS_PREVIEW_ROLE_ARN: ci.previewRoleArn,
      AWS_DEPLOY_ROLE_ARN: ci.deployRoleArn,
      PULUMI_BACKEND_URL: state.backendUrl,
    },
  };
};
