/**
 * Composition of the Catalyst stack from typed, validated configuration. Each block below is owned by
 * one concern (infra/<concern>/); wiring between concerns happens only here.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as cloudflare from "@pulumi/cloudflare";
import { DatabaseBackup } from "../infra/backup";
import { Compute } from "../infra/compute";
import { Database, DatabaseUsers, DbAdminHost } from "../infra/database";
import { deliveryNames, roleArn, workloadRoleSettings } from "../infra/delivery";
import { Edge } from "../infra/edge";
import { IamSettings } from "../infra/iam";
import { INTERNET_SOURCES, Network } from "../infra/network";
import { Observability } from "../infra/observability";
import { AppSecrets, SecretAccessPolicy } from "../infra/secrets";
import type { StackConfig } from "./config";

export interface CatalystOutputs {
  [key: string]: unknown;
}

/**
 * What the bootstrap stack's CI deploy role expects of this stack (infra/delivery): roles under its
 * IAM path, carrying its workload boundary, and the deploy role's ARN for the secrets' policies. The
 * account comes from the provider's own credentials: the stack can only change that account anyway,
 * and the invoke is answered at preview, so the boundary ARN is known when the policy pack runs.
 */
function deliveryContract(cfg: StackConfig): { iam: IamSettings; deployRoleArn: pulumi.Output<string> } {
  const accountId = aws.getCallerIdentityOutput().accountId;
  const prefix = cfg.iam.deliveryNamePrefix;
  const permissionsBoundary = cfg.iam.permissionsBoundary ? accountId.apply((id) => workloadRoleSettings(id, prefix).permissionsBoundary) : false;
  return { iam: { path: cfg.iam.path, permissionsBoundary }, deployRoleArn: accountId.apply((id) => roleArn(id, deliveryNames(prefix).deploy)) };
}

export function buildCatalyst(cfg: StackConfig): CatalystOutputs {
  const protect = cfg.production;
  const appUrl = `https://${cfg.domain}`;
  const { iam, deployRoleArn } = deliveryContract(cfg);

  // --- network (infra/network) -------------------------------------------------------------
  const namePrefix = `catalyst-${cfg.stack}`;
  const cloudflareRanges = cloudflare.getIpRangesOutput();
  const network = new Network("network", {
    namePrefix,
    region: cfg.region,
    cidr: cfg.network.cidr,
    azCount: cfg.network.azCount,
    natGateways: cfg.network.natGateways,
    flowLogRetentionDays: cfg.network.flowLogRetentionDays,
    // Proxied: only Cloudflare may reach the origin. Unproxied: the internet, stated explicitly.
    loadBalancerSources: cfg.cloudflare.proxied ? { ipv4: cloudflareRanges.ipv4Cidrs, ipv6: cloudflareRanges.ipv6Cidrs } : INTERNET_SOURCES,
    iam,
    protect,
  });

  // --- data (infra/database, infra/backup) ----------------------------------------------------
  const db = new Database("db", {
    identifier: `${namePrefix}-db`,
    subnetIds: network.databaseSubnetIds,
    securityGroupIds: [network.securityGroupIds.database],
    instanceClass: cfg.database.instanceClass,
    allocatedStorageGb: cfg.database.allocatedStorageGb,
    maxAllocatedStorageGb: cfg.database.maxAllocatedStorageGb,
    multiAz: cfg.database.multiAz,
    backupRetentionDays: cfg.database.backupRetentionDays,
    backupWindow: cfg.database.backupWindow,
    maintenanceWindow: cfg.database.maintenanceWindow,
    caCertIdentifier: cfg.database.caCertIdentifier,
    logRetentionDays: cfg.logRetentionDays,
    deletionProtection: true,
    iam,
    protect,
  });
  const dbAdmin = new DbAdminHost("db-admin", { namePrefix, subnetId: network.privateSubnetIds[0], securityGroupId: network.securityGroupIds.dbAdmin, iam });
  const dbUsers = new DatabaseUsers("db-users", {
    host: db.address,
    port: db.port,
    // scripts/db-tunnel.sh serves a SOCKS5 proxy on dbAdminEndpoint that reaches only this database.
    proxy: cfg.database.adminProxy ?? `socks5://${cfg.database.adminEndpoint}`,
    master: db.masterCredentials({ readSecret: !pulumi.runtime.isDryRun() }),
    passwordGeneration: cfg.secrets.generation,
    protect,
  });
  const secrets = new AppSecrets("secrets", {
    namePrefix: `catalyst/${cfg.stack}`,
    keyAlias: `${namePrefix}-secrets`,
    runtimeDatabaseUrl: dbUsers.runtimeDatabaseUrl,
    migrateDatabaseUrl: dbUsers.migrateDatabaseUrl,
    generation: cfg.secrets.generation,
    recoveryWindowDays: cfg.secrets.recoveryWindowDays,
    protect,
  });
  const backup = new DatabaseBackup("db-backup", {
    namePrefix,
    databaseArn: db.arn,
    retentionDays: cfg.backup.retentionDays,
    copyRegion: cfg.backup.copyRegion,
    vaultLock: cfg.backup.vaultLock,
    restoreTesting: { subnetGroupName: db.subnetGroupName, securityGroupId: network.securityGroupIds.restoreTest },
    iam,
    protect,
  });
  const dataOutputs = {
    vpcId: network.vpcId,
    natPublicIps: network.natPublicIps,
    dbInstanceIdentifier: db.instanceIdentifier,
    dbEndpoint: db.endpoint,
    dbAddress: db.address,
    dbPort: db.port,
    dbMasterSecretArn: db.masterUserSecretArn,
    dbName: dbUsers.databaseName,
    dbUsers: { runtime: dbUsers.runtimeUser, migrate: dbUsers.migrateUser },
    runtimeSecretArn: secrets.runtimeSecretArn,
    migrateSecretArn: secrets.migrateSecretArn,
    // Read by scripts/db-tunnel.sh (`pulumi stack output --json`).
    dbTunnel: { region: cfg.region, instanceId: dbAdmin.instanceId, host: db.address, port: db.port, localEndpoint: cfg.database.adminEndpoint },
    dbTunnelCommand: `scripts/db-tunnel.sh start --stack ${cfg.stack}`,
    backupVaultName: backup.vaultName,
    restoreTestingPlanName: backup.restoreTestingPlanName,
  };

  // --- edge (infra/edge) -------------------------------------------------------------------------
  const edge = new Edge("edge", {
    namePrefix,
    domain: cfg.domain,
    cloudflareZoneId: cfg.cloudflare.zoneId,
    proxied: cfg.cloudflare.proxied,
    region: cfg.region,
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    securityGroupIds: [network.securityGroupIds.loadBalancer],
    tlsPolicy: cfg.edge.tlsPolicy,
    deletionProtection: cfg.production,
    wafRateLimitPer5Min: cfg.edge.wafRateLimitPer5Min,
    wafAuthRateLimit: cfg.edge.wafAuthRateLimit,
    wafAuthWindowSeconds: cfg.edge.wafAuthWindowSeconds,
    wafBlockedIpv4Cidrs: cfg.edge.wafBlockedCidrs.ipv4,
    wafBlockedIpv6Cidrs: cfg.edge.wafBlockedCidrs.ipv6,
    logRetentionDays: cfg.logRetentionDays,
    protect,
  });
  const edgeOutputs = {
    albDnsName: edge.alb.dnsName,
    certificateArn: edge.certificateArn,
    webAclName: edge.webAcl.name,
    cloudflareProxied: edge.proxied,
    albLogBucket: edge.logBucketName,
    wafLogGroup: edge.wafLogGroupName,
    // For an emergency `aws wafv2 update-ip-set` (docs/runbooks/block-ip.md).
    wafBlockedIpSets: edge.blockedIpSets,
  };

  // --- compute (infra/compute) -------------------------------------------------------------------
  const compute = new Compute("compute", {
    namePrefix,
    region: cfg.region,
    appUrl,
    apps: cfg.apps,
    network: {
      privateSubnetIds: network.privateSubnetIds,
      securityGroupIds: { frontend: network.securityGroupIds.frontend, agent: network.securityGroupIds.agent, migrate: network.securityGroupIds.migrate },
    },
    secrets: { runtimeSecretArn: secrets.runtimeSecretArn, migrateSecretArn: secrets.migrateSecretArn, kmsKeyArn: secrets.kmsKeyArn },
    loadBalancer: { arnSuffix: edge.alb.arnSuffix, targetGroups: edge.targetGroups },
    logRetentionDays: cfg.logRetentionDays,
    // ECS refuses a service whose target group no listener forwards to yet. After a rotation, tasks
    // must start only once the new values are stored and the database users accept them.
    waitFor: [...edge.routingResources, secrets, dbUsers],
    iam,
    // A new generation (rotate-all-secrets runbook) rolls the services onto the new values.
    secretsGeneration: cfg.secrets.generation,
    protect,
  });
  // Each secret's value is readable only by the execution roles that inject it, the CI deploy role
  // (it writes the values and reads them back) and the configured break-glass admins: a fixed list,
  // so neither a PR preview nor an `up` by another principal changes the policy.
  const secretManagers = [deployRoleArn, ...cfg.secrets.adminArns];
  new SecretAccessPolicy("runtime-secret-access", {
    secretArn: secrets.runtimeSecretArn,
    readerRoleArns: compute.runtimeSecretReaderArns,
    managerArns: secretManagers,
  });
  new SecretAccessPolicy("migrate-secret-access", {
    secretArn: secrets.migrateSecretArn,
    readerRoleArns: compute.migrateSecretReaderArns,
    managerArns: secretManagers,
  });
  const computeOutputs = {
    clusterName: compute.cluster.name,
    services: { frontend: compute.services.frontend.name, agent: compute.services.agent.name },
    logGroups: { frontend: compute.logGroups.frontend.name, agent: compute.logGroups.agent.name, migration: compute.logGroups.migration.name },
    migrationTaskDefinitionArn: compute.migrationTaskDefinitionArn,
    // Read by `npm run migrate -- --stack <stack>` (scripts/migrate.ts).
    migrationTask: compute.migrationRun,
  };

  // --- observability (infra/observability) ---------------------------------------------------------
  const observability = new Observability("observability", {
    namePrefix,
    region: cfg.region,
    domain: cfg.domain,
    runbookBaseUrl: cfg.runbookBaseUrl,
    oncall: cfg.oncall,
    thresholds: cfg.alarmThresholds,
    loadBalancer: { arnSuffix: edge.alb.arnSuffix },
    targetGroups: edge.targetGroups,
    cluster: compute.cluster,
    services: compute.services,
    logGroups: compute.logGroups,
    database: { instanceIdentifier: db.instanceIdentifier },
    // WAF metrics are dimensioned by metric names; infra/edge names the web ACL's metric after the web ACL.
    waf: { webAclMetricName: edge.webAcl.name, authRateRuleMetricName: edge.authRateRuleMetric, blockListRuleMetricName: edge.blockListRuleMetric },
    certificateArn: edge.certificateArn,
    backup: { vaultName: backup.vaultName, restoreTestingPlanName: backup.restoreTestingPlanName, copyRegion: cfg.backup.copyRegion },
    appMetricsNamespace: `Catalyst/${cfg.stack}`,
    protect,
  });
  const observabilityOutputs = {
    oncallTopicArn: observability.oncallTopicArn,
    uptimeTopicArn: observability.uptimeTopicArn,
    siteDownAlarmName: observability.siteDownAlarmName,
    dashboardUrl: observability.dashboardUrl,
  };

  return {
    appUrl: pulumi.output(appUrl),
    protectedStatefulResources: protect,
    ...dataOutputs,
    ...edgeOutputs,
    ...computeOutputs,
    ...observabilityOutputs,
  };
}
