import * as pulumi from "@pulumi/pulumi";
import { outputValue, runComponent } from "../../test/harness";
import { DbAdminHost, DEFAULT_AMI_PARAMETER } from "./adminHost";
import { Database, DatabaseArgs } from "./database";

const IAM = { path: "/catalyst/", permissionsBoundary: "arn:aws:iam::123456789012:policy/catalyst-workload-boundary" };
const minimal: DatabaseArgs = {
  identifier: "catalyst-test-db",
  subnetIds: ["subnet-a", "subnet-b"],
  securityGroupIds: ["sg-db"],
  instanceClass: "db.t4g.medium",
  allocatedStorageGb: 20,
  maxAllocatedStorageGb: 100,
  backupWindow: "02:00-03:00",
  maintenanceWindow: "sun:03:30-sun:04:30",
  iam: IAM,
};

describe("Database", () => {
  it("is secure when every optional argument is left out: Multi-AZ, deletion protection, protect, 14-day backups, explicit CA", async () => {
    const run = await runComponent(() => new Database("db", minimal));
    const db = run.one("aws:rds/instance:Instance");
    expect(db.inputs).toMatchObject({
      multiAz: true,
      deletionProtection: true,
      backupRetentionPeriod: 14,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      publiclyAccessible: false,
      storageEncrypted: true,
      applyImmediately: false,
      engineLifecycleSupport: "open-source-rds-extended-support-disabled",
    });
    expect(db.protect).toBe(true);
    expect(run.byType("aws:kms/key:Key").every((k) => k.protect)).toBe(true);
    expect(run.byType("aws:cloudwatch/logGroup:LogGroup").every((g) => g.protect && g.inputs.retentionInDays === 365)).toBe(true);
    expect(run.one("aws:rds/subnetGroup:SubnetGroup").inputs).toMatchObject({ name: "catalyst-test-db-isolated", subnetIds: ["subnet-a", "subnet-b"] });
    expect(run.unknownCalls).toEqual([]);
  });

  it("lets CloudWatch Logs use the logs key only for this instance's log groups", async () => {
    const run = await runComponent(() => new Database("db", minimal));
    const policy = JSON.parse(run.one("aws:kms/key:Key", "db-logs-key").inputs.policy as string);
    const logs = policy.Statement.find((s: { Sid: string }) => s.Sid === "CloudWatchLogsForNamedLogGroups");
    expect(logs.Principal).toEqual({ Service: "logs.eu-west-1.amazonaws.com" });
    expect(logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toEqual([
      "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/rds/instance/catalyst-test-db/error",
      "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/rds/instance/catalyst-test-db/slowquery",
    ]);
    expect(run.one("aws:iam/role:Role", "db-monitoring-role").inputs).toMatchObject({ path: "/catalyst/", permissionsBoundary: IAM.permissionsBoundary });
    const storage = JSON.parse(run.one("aws:kms/key:Key", "db-key").inputs.policy as string);
    expect(storage.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(["AccountAdministersThroughIam"]);
  });

  it("turns off deletion protection and protect only when told to", async () => {
    const run = await runComponent(() => new Database("db", { ...minimal, deletionProtection: false, protect: false, multiAz: false }));
    expect(run.one("aws:rds/instance:Instance").inputs).toMatchObject({ deletionProtection: false, multiAz: false, skipFinalSnapshot: false });
    expect(run.one("aws:rds/instance:Instance").protect).toBe(false);
  });

  it("reads the master password from the RDS-managed secret, as a secret", async () => {
    let creds: { username: string; password?: pulumi.Output<string> } | undefined;
    await runComponent(() => {
      const db = new Database("db", minimal);
      creds = db.masterCredentials({ readSecret: true });
      return db;
    });
    expect(creds!.username).toBe("dbadmin");
    expect(await outputValue(creds!.password!)).toMatch(/^mock-master-/);
    expect(await pulumi.isSecret(creds!.password!)).toBe(true);
  });

  it("leaves the password out when not reading the secret, as at preview", async () => {
    let creds: { username: string; password?: pulumi.Output<string> } | undefined;
    await runComponent(() => {
      const db = new Database("db", minimal);
      creds = db.masterCredentials({ readSecret: false });
      return db;
    });
    expect(creds).toEqual({ username: "dbadmin" });
  });
});

describe("DbAdminHost", () => {
  it("runs the latest Amazon Linux from the SSM public parameter, without a public address, with IMDSv2 and an encrypted disk", async () => {
    const run = await runComponent(
      () => new DbAdminHost("admin", { namePrefix: "catalyst-test", subnetId: "subnet-private", securityGroupId: "sg-admin", iam: IAM }),
    );
    const host = run.one("aws:ec2/instance:Instance");
    expect(host.inputs).toMatchObject({
      instanceType: "t4g.nano",
      subnetId: "subnet-private",
      vpcSecurityGroupIds: ["sg-admin"],
      associatePublicIpAddress: false,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
      rootBlockDevice: { encrypted: true, volumeType: "gp3" },
      iamInstanceProfile: run.one("aws:iam/instanceProfile:InstanceProfile").outputs.name,
    });
    expect(host.inputs.ami).toMatch(/^ami-0[0-9a-f]{16}$/);
    expect(DEFAULT_AMI_PARAMETER).toMatch(/al2023-ami-kernel-default-arm64$/);
    const trust = JSON.parse(run.one("aws:iam/role:Role").inputs.assumeRolePolicy as string);
    expect(trust.Statement[0].Principal).toEqual({ Service: "ec2.amazonaws.com" });
    // The deploy role manages only roles and instance profiles under the stack's path, with the boundary.
    expect(run.one("aws:iam/role:Role").inputs).toMatchObject({ path: "/catalyst/", permissionsBoundary: IAM.permissionsBoundary });
    expect(run.one("aws:iam/instanceProfile:InstanceProfile").inputs.path).toBe("/catalyst/");
    expect(run.unknownCalls).toEqual([]);
  });
});
