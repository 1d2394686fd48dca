import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IamSettings } from "../iam";
import { dataKey, keyPolicyContext } from "../secrets/kmsKey";
import { serviceRole } from "../secrets/serviceRole";

export interface RestoreTestArgs {
  /** Where restored copies come up: the isolated database subnets. */
  subnetGroupName: pulumi.Input<string>;
  /** A group that only the admin host can reach (to validate the data), with no egress. */
  securityGroupId: pulumi.Input<string>;
  /** When restore tests run (AWS Backup cron, UTC). Default: Sundays 09:00, after that day's backup. */
  scheduleExpression?: string;
  /** Hours the restored copy is kept for validation before AWS Backup deletes it. */
  validationWindowHours?: number;
}

export interface DatabaseBackupArgs {
  /** Prefix of vault, plan and key names, e.g. `catalyst-prod`. */
  namePrefix: string;
  /** The RDS instance ARN to back up. */
  databaseArn: pulumi.Input<string>;
  /** Days each daily recovery point is kept (also in the copy region). */
  retentionDays: number;
  /**
   * Daily backup schedule (AWS Backup cron, UTC). Default 05:00: clear of the RDS backup window and
   * the maintenance window (AWS Backup jobs that overlap them are delayed or fail).
   */
  scheduleExpression?: string;
  /** A second region that receives a copy of every recovery point (separate location, own key). */
  copyRegion?: string;
  /** Vault Lock in compliance mode: after a 3-day grace period, no one can delete recovery points early. */
  vaultLock?: boolean;
  restoreTesting: RestoreTestArgs;
  /** IAM path and permissions boundary of the AWS Backup role. */
  iam: IamSettings;
  protect?: boolean;
}

/** Recovery points may not be deleted before this many days, even by the account root, once locked. */
export const VAULT_LOCK_MIN_RETENTION_DAYS = 7;
/** The grace period in which a compliance-mode lock can still be removed. */
export const VAULT_LOCK_GRACE_DAYS = 3;

/** Restore-testing plan names allow only letters, digits and underscores. */
export function restorePlanName(prefix: string): string {
  return `${prefix}_db_restore_test`.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 50);
}

/**
 * AWS Backup for the database, separate from RDS's own automated backups: a vault encrypted with its
 * own key (locked in production), a daily plan with retention and an optional cross-region copy, and
 * a restore-testing plan that restores the latest recovery point on a schedule, so "backups are
 * tested" is a fact AWS records (restore job status) rather than a calendar reminder.
 */
export class DatabaseBackup extends pulumi.ComponentResource {
  public readonly vaultName: string;
  public readonly vaultArn: pulumi.Output<string>;
  public readonly copyVaultArn?: pulumi.Output<string>;
  public readonly planId: pulumi.Output<string>;
  public readonly restoreTestingPlanName: string;
  public readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: DatabaseBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("catalyst:backup:DatabaseBackup", name, {}, opts);
    const child = { parent: this };
    const protect = args.protect ?? true;
    const prefix = args.namePrefix;
    const ctx = keyPolicyContext(this);

    const lock = args.vaultLock ?? true;
    const vault = this.vault(name, prefix, undefined, lock, protect);
    const copyVault = args.copyRegion ? this.vault(`${name}-copy`, prefix, args.copyRegion, lock, protect) : undefined;

    const role = serviceRole(
      `${name}-role`,
      {
        service: "backup.amazonaws.com",
        description: `AWS Backup for ${prefix}: backups, copies and restore tests`,
        sourceAccount: ctx.accountId,
        managedPolicyArns: [aws.iam.ManagedPolicy.AWSBackupServiceRolePolicyForBackup, aws.iam.ManagedPolicy.AWSBackupServiceRolePolicyForRestores],
        iam: args.iam,
      },
      this,
    );

    const lifecycle = { deleteAfter: args.retentionDays };
    const plan = new aws.backup.Plan(
      `${name}-plan`,
      {
        name: `${prefix}-database`,
        rules: [
          {
            ruleName: "daily",
            targetVaultName: vault.name,
            schedule: args.scheduleExpression ?? "cron(0 5 ? * * *)",
            scheduleExpressionTimezone: "Etc/UTC",
            startWindow: 60,
            completionWindow: 480,
            lifecycle,
            recoveryPointTags: { "catalyst:backup": "daily" },
            copyActions: copyVault ? [{ destinationVaultArn: copyVault.arn, lifecycle }] : [],
          },
        ],
      },
      child,
    );
    new aws.backup.Selection(`${name}-selection`, { name: `${prefix}-database`, planId: plan.id, iamRoleArn: role.arn, resources: [args.databaseArn] }, child);

    this.restoreTestingPlanName = restorePlanName(prefix);
    const restorePlan = new aws.backup.RestoreTestingPlan(
      `${name}-restore-test`,
      {
        name: this.restoreTestingPlanName,
        scheduleExpression: args.restoreTesting.scheduleExpression ?? "cron(0 9 ? * SUN *)",
        scheduleExpressionTimezone: "Etc/UTC",
        startWindowHours: 24,
        recoveryPointSelection: { algorithm: "LATEST_WITHIN_WINDOW", includeVaults: [vault.arn], recoveryPointTypes: ["SNAPSHOT"], selectionWindowDays: 7 },
      },
      child,
    );
    new aws.backup.RestoreTestingSelection(
      `${name}-restore-test-selection`,
      {
        name: `${this.restoreTestingPlanName}_rds`,
        restoreTestingPlanName: restorePlan.name,
        protectedResourceType: "RDS",
        protectedResourceArns: [args.databaseArn],
        iamRoleArn: role.arn,
        validationWindowHours: args.restoreTesting.validationWindowHours ?? 4,
        // The restored copy comes up single-AZ in the isolated subnets, reachable only from the admin host.
        restoreMetadataOverrides: {
          dbsubnetgroupname: args.restoreTesting.subnetGroupName,
          vpcsecuritygroupids: pulumi.output(args.restoreTesting.securityGroupId).apply((sg) => JSON.stringify([sg])),
          multiaz: "false",
          publiclyaccessible: "false",
        },
      },
      child,
    );

    this.vaultName = `${prefix}-database`;
    this.vaultArn = vault.arn;
    this.copyVaultArn = copyVault?.arn;
    this.planId = plan.id;
    this.roleArn = role.arn;
    this.registerOutputs({
      vaultName: this.vaultName,
      vaultArn: this.vaultArn,
      copyVaultArn: this.copyVaultArn,
      planId: this.planId,
      restoreTestingPlanName: this.restoreTestingPlanName,
    });
  }

  /** A vault with its own rotating key, in the stack's region or in `region`, optionally locked. */
  private vault(name: string, prefix: string, region: string | undefined, lock: boolean, protect: boolean): aws.backup.Vault {
    const where = region ? { region } : {};
    const vaultName = region ? `${prefix}-database-copy` : `${prefix}-database`;
    const key = dataKey(
      `${name}-vault-key`,
      { description: `Encrypts the AWS Backup vault ${vaultName}${region ? ` (${region})` : ""}`, aliasName: `${vaultName}-backups`, region, protect },
      keyPolicyContext(this, region),
      this,
    );
    const vault = new aws.backup.Vault(`${name}-vault`, { name: vaultName, kmsKeyArn: key.arn, forceDestroy: false, ...where }, { parent: this, protect });
    if (lock) {
      new aws.backup.VaultLockConfiguration(
        `${name}-vault-lock`,
        { backupVaultName: vault.name, minRetentionDays: VAULT_LOCK_MIN_RETENTION_DAYS, changeableForDays: VAULT_LOCK_GRACE_DAYS, ...where },
        { parent: this, protect },
      );
    }
    return vault;
  }
}
