/**
 * The on-call dashboard: alarm states first, then uptime, per-app golden signals (traffic, errors,
 * latency, saturation), the database, the WAF and the database's AWS Backup jobs. Built from resolved values so it can be tested as data.
 */
import { AppName, APPS, appMetricName } from "./specs";
import { UPTIME_REGION } from "./uptime";

export interface DashboardValues {
  region: string;
  domain: string;
  runbookIndexUrl: string;
  albArnSuffix: string;
  targetGroupArnSuffixes: Record<AppName, string>;
  clusterName: string;
  serviceNames: Record<AppName, string>;
  dbInstanceIdentifier: string;
  webAclMetricName: string;
  authRateRuleMetricName: string;
  blockListRuleMetricName: string;
  backupVaultName: string;
  appMetricsNamespace: string;
  healthChecks: { path: string; id: string }[];
  alarmArns: string[];
  uptimeAlarmArns: string[];
}

type MetricLine = (string | Record<string, string>)[];
type Widget = Record<string, unknown>;

function metricWidget(title: string, region: string, metrics: MetricLine[], opts: { stat?: string; period?: number; width?: number } = {}): Widget {
  return {
    type: "metric",
    width: opts.width ?? 8,
    height: 6,
    properties: { title, region, view: "timeSeries", stacked: false, stat: opts.stat ?? "Sum", period: opts.period ?? 60, metrics },
  };
}

function text(markdown: string): Widget {
  return { type: "text", width: 24, height: 2, properties: { markdown } };
}

function appRow(app: AppName, v: DashboardValues): Widget[] {
  const tg = ["TargetGroup", v.targetGroupArnSuffixes[app], "LoadBalancer", v.albArnSuffix];
  const svc = ["ClusterName", v.clusterName, "ServiceName", v.serviceNames[app]];
  return [
    text(`## ${app}`),
    metricWidget(`${app}: traffic (requests/min)`, v.region, [["AWS/ApplicationELB", "RequestCount", ...tg]]),
    metricWidget(`${app}: errors`, v.region, [
      ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", ...tg, { label: "target 5xx" }],
      ["AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", ...tg, { label: "target 4xx" }],
      [v.appMetricsNamespace, appMetricName(app, "server-errors"), { label: "logged server errors" }],
    ]),
    metricWidget(`${app}: latency (s)`, v.region, [
      ["AWS/ApplicationELB", "TargetResponseTime", ...tg, { stat: "p50", label: "p50" }],
      ["AWS/ApplicationELB", "TargetResponseTime", ...tg, { stat: "p99", label: "p99" }],
    ]),
    metricWidget(
      `${app}: CPU / memory (%)`,
      v.region,
      [
        ["AWS/ECS", "CPUUtilization", ...svc, { label: "CPU" }],
        ["AWS/ECS", "MemoryUtilization", ...svc, { label: "memory" }],
      ],
      { stat: "Average", period: 300 },
    ),
    metricWidget(
      `${app}: tasks and targets`,
      v.region,
      [
        ["ECS/ContainerInsights", "RunningTaskCount", ...svc, { label: "running tasks" }],
        ["ECS/ContainerInsights", "DesiredTaskCount", ...svc, { label: "desired tasks" }],
        ["AWS/ApplicationELB", "HealthyHostCount", ...tg, { label: "healthy targets" }],
        ["AWS/ApplicationELB", "UnHealthyHostCount", ...tg, { label: "unhealthy targets" }],
      ],
      { stat: "Average" },
    ),
    metricWidget(`${app}: auth failures (logged)`, v.region, [[v.appMetricsNamespace, appMetricName(app, "auth-failures")]], { period: 300 }),
  ];
}

function backupJobLines(vaultName: string): MetricLine[] {
  return ["Backup", "Copy", "Restore"].flatMap((kind) =>
    ["Completed", "Failed"].map((state) => [
      "AWS/Backup",
      `NumberOf${kind}Jobs${state}`,
      "BackupVaultName",
      vaultName,
      { label: `${kind.toLowerCase()} jobs ${state.toLowerCase()}` },
    ]),
  );
}

export function dashboardBody(v: DashboardValues): { widgets: Widget[] } {
  const db = ["DBInstanceIdentifier", v.dbInstanceIdentifier];
  const waf = (rule: string) => ["WebACL", v.webAclMetricName, "Rule", rule, "Region", v.region];
  return {
    widgets: [
      text(
        `# Catalyst on-call: https://${v.domain}\nEvery alarm links its runbook. Index: ${v.runbookIndexUrl}. Uptime and the site-down page live in ${UPTIME_REGION} (Route 53 metrics exist only there).`,
      ),
      {
        type: "alarm",
        width: 16,
        height: 6,
        properties: { title: `Alarms (${v.region})`, region: v.region, alarms: v.alarmArns, sortBy: "stateUpdatedTimestamp" },
      },
      {
        type: "alarm",
        width: 8,
        height: 6,
        properties: { title: `Uptime and site down (${UPTIME_REGION})`, region: UPTIME_REGION, alarms: v.uptimeAlarmArns, sortBy: "stateUpdatedTimestamp" },
      },
      metricWidget(
        "Uptime: health checkers reporting healthy (%)",
        UPTIME_REGION,
        v.healthChecks.map((h) => ["AWS/Route53", "HealthCheckPercentageHealthy", "HealthCheckId", h.id, { label: h.path }]),
        { stat: "Average", width: 12 },
      ),
      metricWidget(
        "Uptime: time to first byte (ms)",
        UPTIME_REGION,
        v.healthChecks.map((h) => ["AWS/Route53", "TimeToFirstByte", "HealthCheckId", h.id, { label: h.path }]),
        { stat: "Average", width: 12 },
      ),
      ...APPS.flatMap((app) => appRow(app, v)),
      text("## Load balancer and database"),
      metricWidget("Load balancer: ELB 5xx and rejected connections", v.region, [
        ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", v.albArnSuffix, { label: "ELB 5xx" }],
        ["AWS/ApplicationELB", "RejectedConnectionCount", "LoadBalancer", v.albArnSuffix, { label: "rejected connections" }],
      ]),
      metricWidget("Database: CPU (%)", v.region, [["AWS/RDS", "CPUUtilization", ...db]], { stat: "Average", period: 300 }),
      metricWidget("Database: connections", v.region, [["AWS/RDS", "DatabaseConnections", ...db]], { stat: "Maximum", period: 300 }),
      metricWidget(
        "Database: read / write latency (s)",
        v.region,
        [
          ["AWS/RDS", "ReadLatency", ...db, { label: "read" }],
          ["AWS/RDS", "WriteLatency", ...db, { label: "write" }],
        ],
        { stat: "Average", period: 300 },
      ),
      metricWidget(
        "Database: free storage / freeable memory (bytes)",
        v.region,
        [
          ["AWS/RDS", "FreeStorageSpace", ...db, { label: "free storage" }],
          ["AWS/RDS", "FreeableMemory", ...db, { label: "freeable memory" }],
        ],
        { stat: "Minimum", period: 300 },
      ),
      text("## WAF"),
      metricWidget(
        "WAF: allowed / blocked requests",
        v.region,
        [
          ["AWS/WAFV2", "AllowedRequests", ...waf("ALL"), { label: "allowed" }],
          ["AWS/WAFV2", "BlockedRequests", ...waf("ALL"), { label: "blocked (all rules)" }],
        ],
        { period: 300, width: 12 },
      ),
      metricWidget(
        "WAF: sign-in rate rule and operator block list blocks",
        v.region,
        [
          ["AWS/WAFV2", "BlockedRequests", ...waf(v.authRateRuleMetricName), { label: "auth rate rule" }],
          ["AWS/WAFV2", "BlockedRequests", ...waf(v.blockListRuleMetricName), { label: "operator block list" }],
        ],
        { period: 300, width: 12 },
      ),
      text("## Backups"),
      metricWidget("Backup: jobs of the vault (per day)", v.region, backupJobLines(v.backupVaultName), { period: 86400, width: 24 }),
    ],
  };
}

export function dashboardUrl(region: string, dashboardName: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${dashboardName}`;
}
