import { runComponent } from "../../test/harness";
import { DatabaseBackup, DatabaseBackupArgs, restorePlanName } from "./databaseBackup";

const DB_ARN = "arn:aws:rds:eu-west-1:123456789012:db:catalyst-test-db";
const base: DatabaseBackupArgs = {
  namePrefix: "catalyst-test",
  databaseArn: DB_ARN,
  retentionDays: 14,
  restoreTesting: { subnetGroupName: "catalyst-test-db-isolated", securityGroupId: "sg-restore" },
  iam: { path: "/catalyst/", permissionsBoundary: "arn:aws:iam::123456789012:policy/catalyst-workload-boundary" },
};

describe("DatabaseBackup", () => {
  it("locks the vault and protects it by default; copies nowhere unless a region is given", async () => {
    const run = await runComponent(() => new DatabaseBackup("backup", base));
    expect(run.byType("aws:backup/vault:Vault").map((v) => [v.inputs.name, v.inputs.forceDestroy, v.protect])).toEqual([
      ["catalyst-test-database", false, true],
    ]);
    expect(run.one("aws:backup/vaultLockConfiguration:VaultLockConfiguration").inputs).toMatchObject({ minRetentionDays: 7, changeableForDays: 3 });
    const [rule] = run.one("aws:backup/plan:Plan").inputs.rules as Array<Record<string, unknown>>;
    expect(rule).toMatchObject({ lifecycle: { deleteAfter: 14 }, copyActions: [] });
    expect(run.component.copyVaultArn).toBeUndefined();
    expect(run.unknownCalls).toEqual([]);
  });

  it("lets only AWS Backup of this account assume its role, with the backup and restore managed policies", async () => {
    const run = await runComponent(() => new DatabaseBackup("backup", base));
    const trust = JSON.parse(run.one("aws:iam/role:Role").inputs.assumeRolePolicy as string);
    expect(trust.Statement[0]).toMatchObject({
      Principal: { Service: "backup.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
    });
    expect(
      run
        .byType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .map((a) => a.inputs.policyArn)
        .sort(),
    ).toEqual([
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    ]);
    expect(run.one("aws:backup/selection:Selection").inputs.iamRoleArn).toBe(run.one("aws:iam/role:Role").outputs.arn);
    expect(run.one("aws:iam/role:Role").inputs).toMatchObject({ path: "/catalyst/", permissionsBoundary: base.iam.permissionsBoundary });
  });

  it("leaves the vault unlocked only when asked (non-production)", async () => {
    const run = await runComponent(() => new DatabaseBackup("backup", { ...base, vaultLock: false, protect: false }));
    expect(run.byType("aws:backup/vaultLockConfiguration:VaultLockConfiguration")).toEqual([]);
    expect(run.one("aws:backup/vault:Vault").protect).toBe(false);
  });

  it("copies every recovery point to a vault in the copy region, encrypted by a key in that region", async () => {
    const run = await runComponent(() => new DatabaseBackup("backup", { ...base, copyRegion: "eu-central-1" }));
    const copy = run.one("aws:backup/vault:Vault", "backup-copy-vault");
    expect(copy.inputs).toMatchObject({ name: "catalyst-test-database-copy", region: "eu-central-1" });
    expect(copy.outputs.arn).toMatch(/^arn:aws:backup:eu-central-1:/);
    expect(run.one("aws:kms/key:Key", "backup-copy-vault-key").inputs.region).toBe("eu-central-1");
    const [rule] = run.one("aws:backup/plan:Plan").inputs.rules as Array<Record<string, unknown>>;
    expect(rule.copyActions).toEqual([{ destinationVaultArn: copy.outputs.arn, lifecycle: { deleteAfter: 14 } }]);
  });

  it("names the restore-testing plan with the characters AWS allows", () => {
    expect(restorePlanName("catalyst-prod")).toBe("catalyst_prod_db_restore_test");
    expect(restorePlanName("a.b/c")).toMatch(/^[A-Za-z0-9_]+$/);
    expect(restorePlanName("x".repeat(80))).toHaveLength(50);
  });
});
