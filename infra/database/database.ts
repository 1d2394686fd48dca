import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IamSettings } from "../iam";
import { dataKey, keyPolicyContext } from "../secrets/kmsKey";
import { serviceRole } from "../secrets/serviceRole";
import { DB_PARAMETERS, ENGINE_VERSION, EXPORTED_LOGS, PARAMETER_GROUP_FAMILY } from "./parameters";

export type RdsCaIdentifier = "rds-ca-rsa2048-g1" | "rds-ca-rsa4096-g1" | "rds-ca-ecc384-g1";

export interface DatabaseArgs {
  /** RDS instance identifier, e.g. `catalyst-prod-db`; also the prefix of the group, key and log names. */
  identifier: string;
  /** Isolated subnets (no route out of the VPC), in at least two zones. */
  subnetIds: pulumi.Input<string>[];
  securityGroupIds: pulumi.Input<string>[];
  instanceClass: string;
  allocatedStorageGb: number;
  /** Storage autoscaling ceiling. */
  maxAllocatedStorageGb: number;
  multiAz?: boolean;
  /** Automated backups (point-in-time recovery) in days, 7..35. */
  backupRetentionDays?: number;
  /** UTC, hh:mm-hh:mm. */
  backupWindow: string;
  /** UTC, ddd:hh:mm-ddd:hh:mm. */
  maintenanceWindow: string;
  caCertIdentifier?: RdsCaIdentifier;
  logRetentionDays?: number;
  masterUsername?: string;
  /** Enhanced Monitoring granularity in seconds (1, 5, 10, 15, 30 or 60). */
  monitoringIntervalSeconds?: number;
  /** IAM path and permissions boundary of the Enhanced Monitoring role. */
  iam: IamSettings;
  /** Turning deletion protection off must be explicit. */
  deletionProtection?: boolean;
  /** Pulumi `protect` on the instance, its keys and log groups. */
  protect?: boolean;
}

export const DEFAULT_MASTER_USERNAME = "dbadmin";

/**
 * RDS for MySQL 8.4 in isolated subnets: private, encrypted with its own rotating key, TLS-only through
 * its own parameter group, Multi-AZ, automated backups with deletion protection and a final snapshot,
 * the master password generated and rotated by RDS in Secrets Manager (never seen by Pulumi), Enhanced
 * Monitoring, Database Insights and error/slow-query logs in encrypted, retained log groups.
 */
export class Database extends pulumi.ComponentResource {
  public readonly instanceIdentifier: string;
  public readonly arn: pulumi.Output<string>;
  /** host:port */
  public readonly endpoint: pulumi.Output<string>;
  public readonly address: pulumi.Output<string>;
  public readonly port: pulumi.Output<number>;
  public readonly kmsKeyArn: pulumi.Output<string>;
  public readonly masterUsername: string;
  /** The RDS-managed secret holding the master credentials (rotated by RDS every 7 days). */
  public readonly masterUserSecretArn: pulumi.Output<string>;
  public readonly parameterGroupName: pulumi.Output<string>;
  public readonly subnetGroupName: pulumi.Output<string>;
  public readonly logGroupNames: string[];

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("catalyst:database:Database", name, {}, opts);
    const child = { parent: this };
    const protect = args.protect ?? true;
    const id = args.identifier;
    this.instanceIdentifier = id;
    this.masterUsername = args.masterUsername ?? DEFAULT_MASTER_USERNAME;
    this.logGroupNames = EXPORTED_LOGS.map((log) => `/aws/rds/instance/${id}/${log}`);

    const ctx = keyPolicyContext(this);
    const key = dataKey(
      `${name}-key`,
      { description: `Encrypts ${id}: storage, snapshots, Performance Insights, master secret`, aliasName: id, protect },
      ctx,
      this,
    );
    const logsKey = dataKey(
      `${name}-logs-key`,
      { description: `Encrypts the CloudWatch log groups of ${id}`, aliasName: `${id}-logs`, logGroupNames: this.logGroupNames, protect },
      ctx,
      this,
    );
    // Created before the instance so RDS writes into groups with retention and encryption, instead of
    // creating unencrypted, never-expiring ones itself.
    const logGroups = this.logGroupNames.map(
      (logName, i) =>
        new aws.cloudwatch.LogGroup(
          `${name}-log-${EXPORTED_LOGS[i]}`,
          { name: logName, retentionInDays: args.logRetentionDays ?? 365, kmsKeyId: logsKey.arn },
          { ...child, protect },
        ),
    );

    const parameterGroup = new aws.rds.ParameterGroup(
      `${name}-params`,
      {
        name: `${id}-mysql84`,
        family: PARAMETER_GROUP_FAMILY,
        description: `TLS-only MySQL 8.4 settings for ${id}`,
        parameters: DB_PARAMETERS.map((p) => ({ ...p })),
      },
      child,
    );
    const subnetGroup = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      { name: `${id}-isolated`, description: `Isolated database subnets of ${id}`, subnetIds: args.subnetIds },
      child,
    );
    const monitoringRole = serviceRole(
      `${name}-monitoring-role`,
      {
        service: "monitoring.rds.amazonaws.com",
        description: `Enhanced Monitoring for ${id}`,
        sourceAccount: ctx.accountId,
        managedPolicyArns: [aws.iam.ManagedPolicy.AmazonRDSEnhancedMonitoringRole],
        iam: args.iam,
      },
      this,
    );

    const instance = new aws.rds.Instance(
      `${name}-instance`,
      {
        identifier: id,
        engine: "mysql",
        // Major version only: RDS applies minor versions in the maintenance window and Pulumi does not fight it.
        engineVersion: ENGINE_VERSION,
        autoMinorVersionUpgrade: true,
        allowMajorVersionUpgrade: false,
        // Without this, a version past standard support silently enrolls in paid Extended Support.
        engineLifecycleSupport: "open-source-rds-extended-support-disabled",
        instanceClass: args.instanceClass,
        allocatedStorage: args.allocatedStorageGb,
        maxAllocatedStorage: args.maxAllocatedStorageGb,
        storageType: "gp3",
        storageEncrypted: true,
        kmsKeyId: key.arn,
        multiAz: args.multiAz ?? true,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: args.securityGroupIds,
        publiclyAccessible: false,
        networkType: "IPV4",
        parameterGroupName: parameterGroup.name,
        caCertIdentifier: args.caCertIdentifier ?? "rds-ca-rsa2048-g1",
        username: this.masterUsername,
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: key.arn,
        backupRetentionPeriod: args.backupRetentionDays ?? 14,
        backupWindow: args.backupWindow,
        maintenanceWindow: args.maintenanceWindow,
        copyTagsToSnapshot: true,
        deleteAutomatedBackups: false,
        deletionProtection: args.deletionProtection ?? true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: `${id}-final`,
        monitoringInterval: args.monitoringIntervalSeconds ?? 60,
        monitoringRoleArn: monitoringRole.arn,
        databaseInsightsMode: "standard",
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: key.arn,
        performanceInsightsRetentionPeriod: 7,
        enabledCloudwatchLogsExports: [...EXPORTED_LOGS],
        // Changes wait for the maintenance window unless an operator applies them deliberately.
        applyImmediately: false,
      },
      { ...child, protect, dependsOn: logGroups },
    );

    this.arn = instance.arn;
    this.endpoint = instance.endpoint;
    this.address = instance.address;
    this.port = instance.port;
    this.kmsKeyArn = key.arn;
    this.masterUserSecretArn = instance.masterUserSecrets.apply((s) => s?.[0]?.secretArn ?? "");
    this.parameterGroupName = parameterGroup.name;
    this.subnetGroupName = subnetGroup.name;
    this.registerOutputs({
      instanceIdentifier: this.instanceIdentifier,
      arn: this.arn,
      endpoint: this.endpoint,
      address: this.address,
      port: this.port,
      kmsKeyArn: this.kmsKeyArn,
      masterUserSecretArn: this.masterUserSecretArn,
      parameterGroupName: this.parameterGroupName,
      subnetGroupName: this.subnetGroupName,
      logGroupNames: this.logGroupNames,
    });
  }

  /**
   * The master credentials for the mysql provider, read from the RDS-managed secret and kept secret;
   * never written to another secret or an output. With `readSecret: false` (preview) the password is
   * left out: a preview then needs neither the tunnel nor read access to the master secret, and the
   * provider's configuration holds no unknown value (which could be taken to mean "replace").
   */
  masterCredentials(opts: { readSecret: boolean }): { username: string; password?: pulumi.Output<string> } {
    if (!opts.readSecret) return { username: this.masterUsername };
    const version = aws.secretsmanager.getSecretVersionOutput({ secretId: this.masterUserSecretArn }, { parent: this });
    const password = pulumi.secret(version.secretString).apply((s) => {
      const parsed = JSON.parse(s) as { password?: unknown };
      if (typeof parsed.password !== "string") throw new Error(`the master user secret of ${this.instanceIdentifier} has no password field`);
      return parsed.password;
    });
    return { username: this.masterUsername, password };
  }
}
