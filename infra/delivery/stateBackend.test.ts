import { outputValue, parseJsonProp, runComponent, UNKNOWN } from "../../test/harness";
import { StateBackend, StateBackendArgs } from "./stateBackend";

const base: StateBackendArgs = { bucketName: "acme-catalyst-pulumi-state", region: "eu-west-1" };

async function deploy(args: Partial<StateBackendArgs> = {}, preview = false) {
  return runComponent(() => new StateBackend("state", { ...base, ...args }), { preview });
}

interface Statement {
  Sid: string;
  Effect: string;
  Principal: string;
  Action: string;
  Resource: string[];
  Condition: Record<string, Record<string, string>>;
}

describe("StateBackend", () => {
  it("names the bucket exactly and never lets a destroy empty it", async () => {
    const run = await deploy();
    const bucket = run.one("aws:s3/bucket:Bucket");
    expect(bucket.inputs.bucket).toBe("acme-catalyst-pulumi-state");
    expect(bucket.inputs.forceDestroy).toBe(false);
  });

  it("versions every state write", async () => {
    const run = await deploy();
    expect(run.one("aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration).toEqual({ status: "Enabled" });
  });

  it("encrypts with its own rotating KMS key (SSE-KMS, bucket key on)", async () => {
    const run = await deploy();
    const key = run.one("aws:kms/key:Key", "state-state-key");
    expect(key.inputs.enableKeyRotation).toBe(true);
    expect(key.inputs.deletionWindowInDays).toBe(30);
    const [rule] = run.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules as Array<{
      applyServerSideEncryptionByDefault: { sseAlgorithm: string; kmsMasterKeyId: string };
      bucketKeyEnabled: boolean;
    }>;
    expect(rule.applyServerSideEncryptionByDefault.sseAlgorithm).toBe("aws:kms");
    expect(rule.applyServerSideEncryptionByDefault.kmsMasterKeyId).toBe(key.outputs.arn);
    expect(rule.bucketKeyEnabled).toBe(true);
  });

  it("blocks every form of public access and disables ACLs", async () => {
    const run = await deploy();
    const block = run.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
    expect([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets]).toEqual([true, true, true, true]);
    expect(run.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
  });

  it("refuses non-TLS and pre-1.2 TLS requests, with a policy known at preview", async () => {
    const run = await deploy({}, true);
    const policy = run.one("aws:s3/bucketPolicy:BucketPolicy");
    expect(policy.inputs.policy).not.toBe(UNKNOWN);
    const doc = parseJsonProp<{ Statement: Statement[] }>(policy.inputs.policy);
    const bySid = Object.fromEntries(doc.Statement.map((s) => [s.Sid, s]));
    for (const s of doc.Statement) {
      expect([s.Effect, s.Principal, s.Action]).toEqual(["Deny", "*", "s3:*"]);
      expect(s.Resource).toEqual(["arn:aws:s3:::acme-catalyst-pulumi-state", "arn:aws:s3:::acme-catalyst-pulumi-state/*"]);
    }
    expect(bySid.DenyInsecureTransport.Condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });
    expect(bySid.DenyOldTls.Condition).toEqual({ NumericLessThan: { "s3:TlsVersion": "1.2" } });
    const publicAccess = run.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
    expect(policy.dependencies).toContain(publicAccess.urn);
  });

  it("keeps superseded state for the rollback window", async () => {
    const run = await deploy({ noncurrentVersionDays: 90 });
    const [rule] = run.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules as Array<Record<string, unknown>>;
    expect(rule.status).toBe("Enabled");
    expect(rule.noncurrentVersionExpiration).toEqual({ noncurrentDays: 90 });
    expect(rule).not.toHaveProperty("expiration");
  });

  it("protects the bucket and both keys by default, and only when not told otherwise", async () => {
    const stateful = ["aws:s3/bucket:Bucket", "aws:kms/key:Key"];
    const protectedNames = (run: Awaited<ReturnType<typeof deploy>>) => run.resources.filter((r) => stateful.includes(r.type) && r.protect).length;
    expect(protectedNames(await deploy())).toBe(3);
    expect(protectedNames(await deploy({ protect: false }))).toBe(0);
  });

  it("publishes the backend URL, the secrets-provider URL and the aliases the CI roles need", async () => {
    const run = await deploy({ keyAliasPrefix: "acme" });
    const backend = run.component;
    expect(backend.backendUrl).toBe("s3://acme-catalyst-pulumi-state?region=eu-west-1");
    expect(backend.secretsProviderUrl).toBe("awskms://alias/acme-pulumi-secrets?region=eu-west-1");
    expect(backend.access()).toEqual({ bucketName: "acme-catalyst-pulumi-state", keyAliases: ["alias/acme-pulumi-state", "alias/acme-pulumi-secrets"] });
    const aliases = run.byType("aws:kms/alias:Alias").map((a) => a.inputs.name);
    expect(aliases.sort()).toEqual(["alias/acme-pulumi-secrets", "alias/acme-pulumi-state"]);
    expect(await outputValue(backend.secretsKeyArn)).toBe(run.one("aws:kms/key:Key", "state-secrets-key").outputs.arn);
  });
});
