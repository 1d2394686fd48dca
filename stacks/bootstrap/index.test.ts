import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { runOffline } from "../../scripts/lib/offline/runtime";
import { parseJsonProp } from "../../test/harness";
import { loadBootstrapConfig } from "./config";

const config = {
  "aws:region": "eu-west-1",
  "catalyst-bootstrap:accountId": "123456789012",
  "catalyst-bootstrap:githubOwner": "acme",
  "catalyst-bootstrap:githubRepo": "catalyst-infra",
  "catalyst-bootstrap:stateBucketName": "acme-catalyst-pulumi-state",
};

async function runBootstrap(overrides: Record<string, string> = {}) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require("./index") as () => Promise<Record<string, unknown>>;
  return runOffline({ project: "catalyst-bootstrap", stack: "prod", config: { ...config, ...overrides }, program });
}

describe("bootstrap program", () => {
  it("is its own Pulumi project, run from this folder", () => {
    const project = parse(fs.readFileSync(path.join(__dirname, "Pulumi.yaml"), "utf8")) as { name: string; main: string; runtime: { name: string } };
    expect(project.name).toBe("catalyst-bootstrap");
    expect(project.runtime.name).toBe("nodejs");
    expect(fs.existsSync(path.join(__dirname, project.main))).toBe(true);
  });

  it("declares every resource through a provider locked to the configured account", async () => {
    const run = await runBootstrap();
    const provider = run.resources.find((r) => r.type === "pulumi:providers:aws" && r.name === "bootstrap-account")!;
    // Provider inputs are stored JSON-encoded, as the engine passes them to the provider plugin.
    expect(parseJsonProp(provider.inputs.allowedAccountIds)).toEqual(["123456789012"]);
    expect(provider.inputs.region).toBe("eu-west-1");
    const awsResources = run.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
    expect(awsResources.length).toBeGreaterThanOrEqual(14);
    expect(awsResources.filter((r) => !r.provider?.startsWith(provider.urn)).map((r) => r.name)).toEqual([]);
  });

  it("wires the roles to the state bucket and keys it creates, protected by default", async () => {
    const run = await runBootstrap();
    const deployPolicy = run.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "github-deploy-access")!;
    const doc = parseJsonProp<{ Statement: Array<{ Sid: string; Resource: string | string[]; Condition?: unknown }> }>(deployPolicy.inputs.policy);
    expect(doc.Statement.find((s) => s.Sid === "StateObjects")!.Resource).toBe("arn:aws:s3:::acme-catalyst-pulumi-state/*");
    expect(doc.Statement.find((s) => s.Sid === "StateKeys")!.Condition).toEqual({
      "ForAnyValue:StringEquals": { "kms:ResourceAliases": ["alias/catalyst-pulumi-state", "alias/catalyst-pulumi-secrets"] },
    });
    const bucket = run.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!;
    expect(bucket.protect).toBe(true);
  });

  const deployRegions = async (overrides: Record<string, string> = {}) => {
    const run = await runBootstrap(overrides);
    const deployPolicy = run.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "github-deploy-access")!;
    const doc = parseJsonProp<{ Statement: Array<{ Sid: string; Condition?: unknown }> }>(deployPolicy.inputs.policy);
    return doc.Statement.find((s) => s.Sid === "ManageStackServicesInRegion")!.Condition;
  };

  it("lets the deploy role act in the additional regions it is configured with, and always in the uptime region", async () => {
    expect(await deployRegions({ "catalyst-bootstrap:additionalRegions": '["eu-central-1"]' })).toEqual({
      StringEquals: { "aws:RequestedRegion": ["eu-west-1", "eu-central-1", "us-east-1"] },
    });
  });

  it("covers us-east-1 on defaults, where the main stack always puts its uptime alarms and their topic", async () => {
    expect(await deployRegions()).toEqual({ StringEquals: { "aws:RequestedRegion": ["eu-west-1", "us-east-1"] } });
    expect(await deployRegions({ "aws:region": "us-east-1" })).toEqual({ StringEquals: { "aws:RequestedRegion": ["us-east-1"] } });
  });

  it("exports what the README tells the operator to set in GitHub", async () => {
    const run = await runBootstrap();
    expect(run.stackOutputs.backendUrl).toBe("s3://acme-catalyst-pulumi-state?region=eu-west-1");
    expect(run.stackOutputs.secretsProvider).toBe("awskms://alias/catalyst-pulumi-secrets?region=eu-west-1");
    const vars = run.stackOutputs.githubVariables as Record<string, string>;
    expect(Object.keys(vars).sort()).toEqual(["AWS_DEPLOY_ROLE_ARN", "AWS_PREVIEW_ROLE_ARN", "AWS_REGION", "PULUMI_BACKEND_URL"]);
    expect(run.stackOutputs.workloadPath).toBe("/catalyst/");
    expect(run.stackOutputs.workloadBoundaryArn).toMatch(/:policy\/catalyst-workload-boundary$/);
    expect(vars.AWS_DEPLOY_ROLE_ARN).toMatch(/^arn:aws:iam::\d{12}:role\/catalyst-github-deploy$/);
  });

  it("stops with every configuration problem, as a RunError, before declaring anything", () => {
    pulumi.runtime.setAllConfig({ ...config, "catalyst-bootstrap:githubRepo": "*", "catalyst-bootstrap:accountId": "1" });
    let error: unknown;
    try {
      loadBootstrapConfig();
    } catch (e) {
      error = e;
    }
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/2 problems[\s\S]*catalyst-bootstrap:accountId[\s\S]*catalyst-bootstrap:githubRepo/);
  });
});
