/**
 * What each alarm watches, when it fires, and what it means to the on-call engineer. Pure data: the
 * Observability component turns these into CloudWatch alarms, the tests read them back from the stack.
 * Missing-data behaviour is chosen per alarm: `notBreaching` where silence means "nothing happened"
 * (error counts, blocks), `breaching` where silence means the thing stopped reporting (healthy hosts,
 * uptime, RDS gauges), `missing` where gaps are normal (daily certificate metric).
 */
import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec, MetricRef } from "./alarms";
import { RUNBOOKS } from "./runbooks";

export const APPS = ["frontend", "agent"] as const;
export type AppName = (typeof APPS)[number];

/** Defaults live in stacks/config.ts (DEFAULT_ALARM_THRESHOLDS) and are documented in docs/runbooks/README.md. */
export interface ObservabilityThresholds {
  albElb5xxPerMinute: number;
  albTarget5xxPerMinute: number;
  albTargetP99Seconds: number;
  albRejectedConnectionsPerMinute: number;
  ecsCpuPercent: number;
  ecsMemoryPercent: number;
  ecsTasksBelowDesiredMinutes: number;
  rdsCpuPercent: number;
  rdsFreeStorageGiB: number;
  rdsFreeableMemoryMiB: number;
  rdsConnections: number;
  rdsReadLatencyMs: number;
  rdsWriteLatencyMs: number;
  wafAuthBlocksPer5Min: number;
  wafBlockedPer5Min: number;
  certificateDaysToExpiry: number;
  authFailuresPer5Min: number;
  serverErrorsPer5Min: number;
}

export interface MonitoredResources {
  region: string;
  albArnSuffix: pulumi.Input<string>;
  targetGroupArnSuffixes: Record<AppName, pulumi.Input<string>>;
  clusterName: pulumi.Input<string>;
  serviceNames: Record<AppName, pulumi.Input<string>>;
  dbInstanceIdentifier: pulumi.Input<string>;
  /** WAF metrics are dimensioned by the web ACL's and the rule's metric names (visibilityConfig.metricName). */
  webAclMetricName: pulumi.Input<string>;
  authRateRuleMetricName: pulumi.Input<string>;
  blockListRuleMetricName: pulumi.Input<string>;
  certificateArn: pulumi.Input<string>;
  /** The AWS Backup vault of the database (AWS/Backup metrics are dimensioned by its name). */
  backupVaultName: string;
  restoreTestingPlanName: string;
  /** Where recovery points are copied, if anywhere. */
  backupCopyRegion?: string;
  /** Namespace of the metrics the app log filters publish. */
  appMetricsNamespace: string;
}

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

export function appMetricName(app: AppName, metric: "auth-failures" | "server-errors"): string {
  return `${app}-${metric}`;
}

function alb(r: MonitoredResources, metricName: string, statistic: string, targetGroup?: pulumi.Input<string>): MetricRef {
  const dimensions: Record<string, pulumi.Input<string>> = { LoadBalancer: r.albArnSuffix };
  if (targetGroup !== undefined) dimensions.TargetGroup = targetGroup;
  return { namespace: "AWS/ApplicationELB", metricName, dimensions, statistic, period: 60 };
}

export function loadBalancerAlarms(r: MonitoredResources, t: ObservabilityThresholds): AlarmSpec[] {
  return [
    {
      id: "alb-elb-5xx",
      meaning: `The load balancer itself answered more than ${t.albElb5xxPerMinute} requests per minute with 5xx (502 bad gateway, 503 no healthy target, 504 target timeout) in 3 of the last 5 minutes. Check target health and recent deployments first.`,
      runbook: RUNBOOKS.loadBalancerErrors,
      metric: alb(r, "HTTPCode_ELB_5XX_Count", "Sum"),
      comparison: "GreaterThanThreshold",
      threshold: t.albElb5xxPerMinute,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      missingData: "notBreaching", // no datapoint = no 5xx in that minute
    },
    {
      id: "alb-rejected-connections",
      meaning: `The load balancer rejected ${t.albRejectedConnectionsPerMinute} or more connections per minute for 3 minutes: it reached its connection limit, clients are being turned away. Check for a traffic spike or attack (WAF dashboard) first.`,
      runbook: RUNBOOKS.loadBalancerErrors,
      metric: alb(r, "RejectedConnectionCount", "Sum"),
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: t.albRejectedConnectionsPerMinute,
      evaluationPeriods: 3,
      missingData: "notBreaching", // no datapoint = nothing rejected
    },
  ];
}

/** The alarm id that means "this app has no healthy target": covered by the uptime check on the app's path. */
export function noHealthyHostsId(app: AppName): string {
  return `${app}-no-healthy-hosts`;
}

export function targetGroupAlarms(app: AppName, r: MonitoredResources, t: ObservabilityThresholds): AlarmSpec[] {
  const tg = r.targetGroupArnSuffixes[app];
  return [
    {
      id: noHealthyHostsId(app),
      meaning: `No healthy ${app} target behind the load balancer for 2 minutes: every ${app} request gets a 503. Check the ECS service's events and stopped tasks first.`,
      runbook: RUNBOOKS.targetHealth,
      metric: alb(r, "HealthyHostCount", "Minimum", tg),
      comparison: "LessThanThreshold",
      threshold: 1,
      evaluationPeriods: 2,
      missingData: "breaching", // the load balancer reports this every minute; silence means no targets at all
    },
    {
      id: `${app}-unhealthy-hosts`,
      meaning: `At least one ${app} target has failed its load-balancer health check for 5 minutes (tasks that never become healthy, or crash after start). Capacity and redundancy are reduced.`,
      runbook: RUNBOOKS.targetHealth,
      metric: alb(r, "UnHealthyHostCount", "Maximum", tg),
      comparison: "GreaterThanThreshold",
      threshold: 0,
      evaluationPeriods: 5,
      missingData: "notBreaching", // no datapoint = no unhealthy target
    },
    {
      id: `${app}-target-5xx`,
      meaning: `The ${app} app answered more than ${t.albTarget5xxPerMinute} requests per minute with 5xx in 3 of the last 5 minutes. Check the app's error logs (server-errors metric) and the database first.`,
      runbook: RUNBOOKS.loadBalancerErrors,
      metric: alb(r, "HTTPCode_Target_5XX_Count", "Sum", tg),
      comparison: "GreaterThanThreshold",
      threshold: t.albTarget5xxPerMinute,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      missingData: "notBreaching", // no datapoint = no 5xx
    },
    {
      id: `${app}-p99-latency`,
      meaning: `99th-percentile response time of the ${app} app above ${t.albTargetP99Seconds} s in 3 of the last 5 minutes: users wait. Check database latency and CPU, then the app's own saturation.`,
      runbook: RUNBOOKS.latency,
      metric: alb(r, "TargetResponseTime", "p99", tg),
      comparison: "GreaterThanThreshold",
      threshold: t.albTargetP99Seconds,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      missingData: "notBreaching", // no requests = nobody waited
    },
  ];
}

function ecs(r: MonitoredResources, app: AppName, namespace: string, metricName: string, statistic: string, period: number): MetricRef {
  return { namespace, metricName, dimensions: { ClusterName: r.clusterName, ServiceName: r.serviceNames[app] }, statistic, period };
}

export function serviceAlarms(app: AppName, r: MonitoredResources, t: ObservabilityThresholds): AlarmSpec[] {
  const minutes = t.ecsTasksBelowDesiredMinutes;
  return [
    {
      id: `${app}-tasks-below-desired`,
      meaning: `The ${app} ECS service has run fewer tasks than desired for ${minutes} minutes: tasks fail to start or keep crashing (image pull, secrets, health check, out of memory). Check the service events and the stopped tasks' reasons first.`,
      runbook: RUNBOOKS.ecsService,
      math: {
        expression: "desired - running",
        label: `${app} tasks below desired`,
        metrics: {
          desired: ecs(r, app, "ECS/ContainerInsights", "DesiredTaskCount", "Average", 60),
          running: ecs(r, app, "ECS/ContainerInsights", "RunningTaskCount", "Average", 60),
        },
      },
      comparison: "GreaterThanThreshold",
      threshold: 0,
      evaluationPeriods: minutes,
      // Container Insights reports a service every minute while it exists; a gap (e.g. before the first
      // deployment finishes) must not page, and a service without targets pages through site-down.
      missingData: "notBreaching",
    },
    {
      id: `${app}-cpu-high`,
      meaning: `Average CPU of the ${app} service above ${t.ecsCpuPercent}% for 15 minutes: autoscaling is at its maximum or cannot keep up. Check request volume (WAF, ALB) and the autoscaling activity first.`,
      runbook: RUNBOOKS.ecsService,
      metric: ecs(r, app, "AWS/ECS", "CPUUtilization", "Average", 300),
      comparison: "GreaterThanThreshold",
      threshold: t.ecsCpuPercent,
      evaluationPeriods: 3,
      missingData: "notBreaching", // no running task = no CPU; tasks-below-desired covers that case
    },
    {
      id: `${app}-memory-high`,
      meaning: `Average memory of the ${app} service above ${t.ecsMemoryPercent}% for 15 minutes: tasks risk being killed out of memory. Check for a leak (memory climbing since the last deployment) first.`,
      runbook: RUNBOOKS.ecsService,
      metric: ecs(r, app, "AWS/ECS", "MemoryUtilization", "Average", 300),
      comparison: "GreaterThanThreshold",
      threshold: t.ecsMemoryPercent,
      evaluationPeriods: 3,
      missingData: "notBreaching", // as for CPU
    },
  ];
}

function rds(r: MonitoredResources, metricName: string, statistic: string, period = 300): MetricRef {
  return { namespace: "AWS/RDS", metricName, dimensions: { DBInstanceIdentifier: r.dbInstanceIdentifier }, statistic, period };
}

export function databaseAlarms(r: MonitoredResources, t: ObservabilityThresholds): AlarmSpec[] {
  const latency = (kind: "read" | "write", ms: number): AlarmSpec => ({
    id: `db-${kind}-latency`,
    meaning: `Average database ${kind} latency above ${ms} ms for 10 minutes: every request that touches the database slows down. Check Performance Insights for the top SQL and the instance's CPU, IOPS and storage first.`,
    runbook: RUNBOOKS.database,
    metric: rds(r, kind === "read" ? "ReadLatency" : "WriteLatency", "Average"),
    comparison: "GreaterThanThreshold",
    threshold: ms / 1000,
    evaluationPeriods: 2,
    missingData: "notBreaching", // no I/O = no latency
  });
  return [
    {
      id: "db-cpu-high",
      meaning: `Database CPU above ${t.rdsCpuPercent}% for 15 minutes. Check Performance Insights for the top SQL (a missing index or a runaway query) first.`,
      runbook: RUNBOOKS.database,
      metric: rds(r, "CPUUtilization", "Average"),
      comparison: "GreaterThanThreshold",
      threshold: t.rdsCpuPercent,
      evaluationPeriods: 3,
      missingData: "notBreaching", // a failover gap is not load
    },
    {
      id: "db-free-storage-low",
      meaning: `Less than ${t.rdsFreeStorageGiB} GiB of database storage left: storage autoscaling has reached its maximum or cannot keep up. When storage runs out, writes fail and the instance stops.`,
      runbook: RUNBOOKS.database,
      metric: rds(r, "FreeStorageSpace", "Minimum"),
      comparison: "LessThanThreshold",
      threshold: t.rdsFreeStorageGiB * GIB,
      evaluationPeriods: 1,
      missingData: "breaching", // RDS reports this gauge every minute while the instance is up
    },
    {
      id: "db-freeable-memory-low",
      meaning: `Less than ${t.rdsFreeableMemoryMiB} MiB of freeable database memory for 15 minutes: the instance swaps and queries slow down. Check connections and the buffer pool, or move to a larger instance class.`,
      runbook: RUNBOOKS.database,
      metric: rds(r, "FreeableMemory", "Average"),
      comparison: "LessThanThreshold",
      threshold: t.rdsFreeableMemoryMiB * MIB,
      evaluationPeriods: 3,
      missingData: "breaching", // as for storage: silence means the instance is not reporting
    },
    {
      id: "db-connections-high",
      meaning: `More than ${t.rdsConnections} database connections for 10 minutes: connection pools are leaking or tasks scaled out too far; new connections will be refused at max_connections.`,
      runbook: RUNBOOKS.database,
      metric: rds(r, "DatabaseConnections", "Maximum"),
      comparison: "GreaterThanThreshold",
      threshold: t.rdsConnections,
      evaluationPeriods: 2,
      missingData: "notBreaching", // no datapoint = no connections reported
    },
    latency("read", t.rdsReadLatencyMs),
    latency("write", t.rdsWriteLatencyMs),
  ];
}

function waf(r: MonitoredResources, rule: pulumi.Input<string>): MetricRef {
  return {
    namespace: "AWS/WAFV2",
    metricName: "BlockedRequests",
    dimensions: { WebACL: r.webAclMetricName, Rule: rule, Region: r.region },
    statistic: "Sum",
    period: 300,
  };
}

export function edgeAlarms(r: MonitoredResources, t: ObservabilityThresholds): AlarmSpec[] {
  return [
    {
      id: "waf-auth-rate-blocks",
      meaning: `WAF blocked more than ${t.wafAuthBlocksPer5Min} sign-in requests in 5 minutes with the auth rate rule: likely credential stuffing or password guessing. Check the WAF logs for the client IPs and the auth-failures metric; block the source if it persists.`,
      runbook: RUNBOOKS.wafBlocks,
      metric: waf(r, r.authRateRuleMetricName),
      comparison: "GreaterThanThreshold",
      threshold: t.wafAuthBlocksPer5Min,
      evaluationPeriods: 1,
      missingData: "notBreaching", // no datapoint = nothing blocked
    },
    {
      id: "waf-blocked-requests",
      meaning: `WAF blocked more than ${t.wafBlockedPer5Min} requests in 5 minutes across all rules: an attack or scan, or a rule blocking legitimate users after a release. Check which rule blocks (WAF dashboard) first.`,
      runbook: RUNBOOKS.wafBlocks,
      metric: waf(r, "ALL"),
      comparison: "GreaterThanThreshold",
      threshold: t.wafBlockedPer5Min,
      evaluationPeriods: 1,
      missingData: "notBreaching", // as above
    },
    {
      id: "certificate-expiry",
      meaning: `The load balancer's TLS certificate expires in fewer than ${t.certificateDaysToExpiry} days: ACM's automatic renewal (which starts 60 days before expiry) has failed, usually because the DNS validation record is missing in Cloudflare.`,
      runbook: RUNBOOKS.certificateExpiry,
      metric: {
        namespace: "AWS/CertificateManager",
        metricName: "DaysToExpiry",
        dimensions: { CertificateArn: r.certificateArn },
        statistic: "Minimum",
        period: 86400,
      },
      comparison: "LessThanThreshold",
      threshold: t.certificateDaysToExpiry,
      evaluationPeriods: 1,
      missingData: "missing", // published once a day with jitter: a gap keeps the last state
    },
  ];
}

export function logAlarms(app: AppName, r: MonitoredResources, t: ObservabilityThresholds): AlarmSpec[] {
  const metric = (name: "auth-failures" | "server-errors"): MetricRef => ({
    namespace: r.appMetricsNamespace,
    metricName: appMetricName(app, name),
    dimensions: {},
    statistic: "Sum",
    period: 300,
  });
  return [
    {
      id: `${app}-auth-failures`,
      meaning: `More than ${t.authFailuresPer5Min} failed authentications logged by the ${app} app in 5 minutes: credential stuffing, or sign-in broken for real users. Check whether failures come from few IPs (attack) or all users (bug).`,
      runbook: RUNBOOKS.authFailures,
      metric: metric("auth-failures"),
      comparison: "GreaterThanThreshold",
      threshold: t.authFailuresPer5Min,
      evaluationPeriods: 1,
      missingData: "notBreaching", // no log line = no failure
    },
    {
      id: `${app}-server-errors`,
      meaning: `More than ${t.serverErrorsPer5Min} server errors logged by the ${app} app in 5 minutes. Read the error lines in the ${app} log group (Logs Insights query in the runbook) first.`,
      runbook: RUNBOOKS.serverErrors,
      metric: metric("server-errors"),
      comparison: "GreaterThanThreshold",
      threshold: t.serverErrorsPer5Min,
      evaluationPeriods: 1,
      missingData: "notBreaching", // as above
    },
  ];
}

function backupJobs(r: MonitoredResources, metricName: string): MetricRef {
  return { namespace: "AWS/Backup", metricName, dimensions: { BackupVaultName: r.backupVaultName }, statistic: "Sum", period: 3600 };
}

/**
 * One alarm per kind of AWS Backup job that can fail for the vault. A failed job pages at once (1 of
 * 24 hourly datapoints) and the alarm stays in ALARM for a day, until the next daily job has had its
 * chance: a job count has no datapoint when nothing ran, so an hourly OK would say nothing.
 */
export function backupAlarms(r: MonitoredResources): AlarmSpec[] {
  const failed = (id: string, metricName: string, meaning: string): AlarmSpec => ({
    id,
    meaning,
    runbook: RUNBOOKS.backupFailed,
    metric: backupJobs(r, metricName),
    comparison: "GreaterThanThreshold",
    threshold: 0,
    evaluationPeriods: 24,
    datapointsToAlarm: 1,
    missingData: "notBreaching", // no job in that hour = no failure
  });
  const vault = `vault ${r.backupVaultName}`;
  return [
    failed(
      "backup-job-failed",
      "NumberOfBackupJobsFailed",
      `An AWS Backup job of the database into the ${vault} failed in the last 24 hours: that day's recovery point is missing, so a restore would lose more data than planned. Check the job's status message (AWS Backup → Jobs → Backup jobs, state Failed) first.`,
    ),
    ...(r.backupCopyRegion === undefined
      ? []
      : [
          failed(
            "backup-copy-job-failed",
            "NumberOfCopyJobsFailed",
            `A copy of a database recovery point from the ${vault} to ${r.backupCopyRegion} failed in the last 24 hours: the off-region copy is behind, and a regional outage would lose more data. Check the copy job's status message (AWS Backup → Jobs → Copy jobs) first: usually the destination vault's key or lock.`,
          ),
        ]),
    failed(
      "backup-restore-job-failed",
      "NumberOfRestoreJobsFailed",
      `A restore from the ${vault} failed in the last 24 hours, usually a run of the restore-testing plan ${r.restoreTestingPlanName}: the backups may not be restorable. Check the restore job's status message (AWS Backup → Jobs → Restore jobs) and the restore testing results first.`,
    ),
  ];
}
