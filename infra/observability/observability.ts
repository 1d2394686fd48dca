import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec, AlarmTarget, alarmName, anyInAlarm, createAlarm } from "./alarms";
import { dashboardBody, dashboardUrl } from "./dashboard";
import { OncallNotifications } from "./notifications";
import { alarmDescription, RUNBOOKS, runbookUrl } from "./runbooks";
import {
  AppName,
  APPS,
  appMetricName,
  backupAlarms,
  databaseAlarms,
  edgeAlarms,
  loadBalancerAlarms,
  logAlarms,
  MonitoredResources,
  noHealthyHostsId,
  ObservabilityThresholds,
  serviceAlarms,
  targetGroupAlarms,
} from "./specs";
import {
  SITE_DOWN_ID,
  siteDownMeaning,
  UPTIME_CHECKS,
  UPTIME_FAILURE_THRESHOLD,
  UPTIME_REGION,
  UPTIME_REQUEST_INTERVAL_SECONDS,
  uptimeAlarm,
  uptimeAlarmId,
} from "./uptime";

/**
 * The app contract for log-based metrics (docs/runbooks/README.md): apps write one JSON object per line;
 * a failed sign-in carries `"event": "auth.failure"`, an error `"level": "error"` (or `fatal`) or a
 * 5xx `"status"`.
 */
export const AUTH_FAILURE_PATTERN = '{ $.event = "auth.failure" }';
export const SERVER_ERROR_PATTERN = '{ ($.level = "error") || ($.level = "fatal") || ($.status >= 500) }';

export interface ObservabilityArgs {
  /** Prefix of every physical name (alarms, topics, keys, dashboard), e.g. `catalyst-prod`. */
  namePrefix: string;
  /** The stack's region (where the app's metrics are). */
  region: string;
  domain: string;
  /** Where docs/runbooks is browsable, e.g. `https://github.com/<org>/catalyst-infra/blob/main/docs/runbooks`. */
  runbookBaseUrl: string;
  oncall: { emails: string[]; httpsEndpoints: pulumi.Input<string[]>; httpsEndpointCount: number };
  thresholds: ObservabilityThresholds;
  loadBalancer: { arnSuffix: pulumi.Input<string> };
  targetGroups: Record<AppName, { arnSuffix: pulumi.Input<string> }>;
  cluster: { name: pulumi.Input<string> };
  services: Record<AppName, { name: pulumi.Input<string> }>;
  /** The app log groups; their ARNs order the metric filters after the groups exist. */
  logGroups: Record<AppName, { name: pulumi.Input<string>; arn: pulumi.Input<string> }>;
  database: { instanceIdentifier: pulumi.Input<string> };
  waf: { webAclMetricName: pulumi.Input<string>; authRateRuleMetricName: pulumi.Input<string>; blockListRuleMetricName: pulumi.Input<string> };
  certificateArn: pulumi.Input<string>;
  /** The database's AWS Backup vault and restore-testing plan; `copyRegion` when recovery points are copied. */
  backup: { vaultName: string; restoreTestingPlanName: string; copyRegion?: string };
  /** CloudWatch namespace of the log-derived app metrics, e.g. `Catalyst/prod`. */
  appMetricsNamespace: string;
  protect?: boolean;
}

/**
 * On-call monitoring for Catalyst: an on-call topic per alarm region, alarms for the load balancer,
 * target groups, ECS services, database, WAF, certificate, AWS Backup jobs and app logs, Route 53 uptime checks with
 * a composite site-down alarm, and a dashboard. Every alarm notifies the on-call topic on ALARM and OK
 * and links its runbook. One outage pages once: the alarms the site-down composite covers (uptime
 * checks, "no healthy target") reach e-mail but not the paging endpoints; the composite pages.
 */
export class Observability extends pulumi.ComponentResource {
  /** The on-call topic in the stack's region (every app alarm notifies it). */
  public readonly oncallTopicArn: pulumi.Output<string>;
  /** The on-call topic in us-east-1 (uptime alarms and site-down); the same topic when the stack is in us-east-1. */
  public readonly uptimeTopicArn: pulumi.Output<string>;
  public readonly siteDownAlarmName: string;
  public readonly alarmNames: string[];
  public readonly dashboardName: string;
  public readonly dashboardUrl: string;
  public readonly healthCheckIds: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("catalyst:observability:Observability", name, {}, opts);
    const child = { parent: this };
    const prefix = args.namePrefix;
    const accountId = aws.getCallerIdentityOutput({}, child).accountId;

    const sameRegion = args.region === UPTIME_REGION;
    const uptimeNames = UPTIME_CHECKS.map((c) => alarmName(prefix, uptimeAlarmId(c)));
    // An app without a healthy target fails the uptime check of its path: site-down pages for it.
    const coveredNoTargetNames = UPTIME_CHECKS.flatMap((c) => (c.covers ? [alarmName(prefix, noHealthyHostsId(c.covers))] : []));
    // Composite rules can only name alarms of their own region.
    const siteDownMembers = sameRegion ? [...uptimeNames, ...coveredNoTargetNames] : uptimeNames;

    const notifications = (suffix: string, region: string, quietAlarmNames: string[]) =>
      new OncallNotifications(`${name}-${suffix}`, { namePrefix: prefix, region, accountId, ...args.oncall, quietAlarmNames, protect: args.protect }, child);
    const primary = notifications("oncall", args.region, sameRegion ? siteDownMembers : coveredNoTargetNames);
    const uptimeNotifications = sameRegion ? primary : notifications("oncall-us-east-1", UPTIME_REGION, uptimeNames);

    const resources: MonitoredResources = {
      region: args.region,
      albArnSuffix: args.loadBalancer.arnSuffix,
      targetGroupArnSuffixes: { frontend: args.targetGroups.frontend.arnSuffix, agent: args.targetGroups.agent.arnSuffix },
      clusterName: args.cluster.name,
      serviceNames: { frontend: args.services.frontend.name, agent: args.services.agent.name },
      dbInstanceIdentifier: args.database.instanceIdentifier,
      webAclMetricName: args.waf.webAclMetricName,
      authRateRuleMetricName: args.waf.authRateRuleMetricName,
      blockListRuleMetricName: args.waf.blockListRuleMetricName,
      certificateArn: args.certificateArn,
      backupVaultName: args.backup.vaultName,
      restoreTestingPlanName: args.backup.restoreTestingPlanName,
      backupCopyRegion: args.backup.copyRegion,
      appMetricsNamespace: args.appMetricsNamespace,
    };
    const t = args.thresholds;
    const appSpecs: AlarmSpec[] = [
      ...loadBalancerAlarms(resources, t),
      ...APPS.flatMap((app) => [...targetGroupAlarms(app, resources, t), ...serviceAlarms(app, resources, t), ...logAlarms(app, resources, t)]),
      ...databaseAlarms(resources, t),
      ...edgeAlarms(resources, t),
      ...backupAlarms(resources),
    ];
    const target = (region: string, topicArn: pulumi.Output<string>): AlarmTarget => ({
      namePrefix: prefix,
      region,
      runbookBaseUrl: args.runbookBaseUrl,
      topicArn,
    });
    const appTarget = target(args.region, primary.topicArn);
    const appAlarms = appSpecs.map((spec) => createAlarm(`${name}-${spec.id}`, spec, appTarget, child));

    this.createLogMetricFilters(name, args);

    const uptimeTarget = target(UPTIME_REGION, uptimeNotifications.topicArn);
    this.healthCheckIds = {};
    const uptimeAlarms = UPTIME_CHECKS.map((check) => {
      const healthCheck = new aws.route53.HealthCheck(
        `${name}-uptime-${check.id}`,
        {
          type: "HTTPS",
          fqdn: args.domain,
          port: 443,
          resourcePath: check.path,
          enableSni: true,
          requestInterval: UPTIME_REQUEST_INTERVAL_SECONDS,
          failureThreshold: UPTIME_FAILURE_THRESHOLD,
          measureLatency: true,
          tags: { Name: alarmName(prefix, uptimeAlarmId(check)) },
        },
        child,
      );
      this.healthCheckIds[check.path] = healthCheck.id;
      return createAlarm(`${name}-uptime-${check.id}`, uptimeAlarm(check, args.domain, healthCheck.id), uptimeTarget, child);
    });

    this.siteDownAlarmName = alarmName(prefix, SITE_DOWN_ID);
    const siteDown = new aws.cloudwatch.CompositeAlarm(
      `${name}-${SITE_DOWN_ID}`,
      {
        region: UPTIME_REGION,
        alarmName: this.siteDownAlarmName,
        alarmDescription: alarmDescription(siteDownMeaning(args.domain), args.runbookBaseUrl, RUNBOOKS.siteDown),
        alarmRule: anyInAlarm(siteDownMembers),
        actionsEnabled: true,
        alarmActions: [uptimeNotifications.topicArn],
        okActions: [uptimeNotifications.topicArn],
      },
      // The rule names its members: they must exist first.
      { ...child, dependsOn: sameRegion ? [...uptimeAlarms, ...appAlarms] : uptimeAlarms },
    );

    this.dashboardName = `${prefix}-oncall`;
    this.dashboardUrl = dashboardUrl(args.region, this.dashboardName);
    const values = pulumi.output({
      ...resources,
      domain: args.domain,
      runbookIndexUrl: runbookUrl(args.runbookBaseUrl, "README"),
      healthChecks: UPTIME_CHECKS.map((c) => ({ path: c.path, id: this.healthCheckIds[c.path] })),
      alarmArns: appAlarms.map((a) => a.arn),
      uptimeAlarmArns: [...uptimeAlarms.map((a) => a.arn), siteDown.arn],
    });
    new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      { region: args.region, dashboardName: this.dashboardName, dashboardBody: values.apply((v) => JSON.stringify(dashboardBody(v))) },
      child,
    );

    this.oncallTopicArn = primary.topicArn;
    this.uptimeTopicArn = uptimeNotifications.topicArn;
    this.alarmNames = [...appSpecs.map((s) => alarmName(prefix, s.id)), ...uptimeNames, this.siteDownAlarmName];
    this.registerOutputs({
      oncallTopicArn: this.oncallTopicArn,
      uptimeTopicArn: this.uptimeTopicArn,
      siteDownAlarmName: this.siteDownAlarmName,
      alarmNames: this.alarmNames,
      dashboardName: this.dashboardName,
      dashboardUrl: this.dashboardUrl,
      healthCheckIds: this.healthCheckIds,
    });
  }

  /** Seed: log and watch authentication events. Filters count matching lines; zero when none match. */
  private createLogMetricFilters(name: string, args: ObservabilityArgs): void {
    const filters = [
      { metric: "auth-failures", pattern: AUTH_FAILURE_PATTERN },
      { metric: "server-errors", pattern: SERVER_ERROR_PATTERN },
    ] as const;
    for (const app of APPS) {
      for (const f of filters) {
        new aws.cloudwatch.LogMetricFilter(
          `${name}-${app}-${f.metric}`,
          {
            region: args.region,
            name: `${args.namePrefix}-${app}-${f.metric}`,
            logGroupName: pulumi.all([args.logGroups[app].name, args.logGroups[app].arn]).apply(([groupName]) => groupName),
            pattern: f.pattern,
            metricTransformation: { namespace: args.appMetricsNamespace, name: appMetricName(app, f.metric), value: "1", defaultValue: "0", unit: "Count" },
          },
          { parent: this },
        );
      }
    }
  }
}
