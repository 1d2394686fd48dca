import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_ALARM_THRESHOLDS } from "../../stacks/config";
import { CapturedResource, isSecret, Json, parseJsonProp, plain, runComponent, UNKNOWN } from "../../test/harness";
import { MOCK_ACCOUNT } from "../../scripts/lib/offline/mocks";
import { INCIDENT_RUNBOOKS, MAX_DESCRIPTION_LENGTH, RUNBOOKS } from "./runbooks";
import { AUTH_FAILURE_PATTERN, Observability, ObservabilityArgs, SERVER_ERROR_PATTERN } from "./observability";

const RUNBOOK_DIR = path.resolve(__dirname, "..", "..", "docs", "runbooks");
const BASE_URL = "https://github.com/acme/catalyst-infra/blob/main/docs/runbooks";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const COMPOSITE = "aws:cloudwatch/compositeAlarm:CompositeAlarm";
const TOPIC = "aws:sns/topic:Topic";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";

const fake = {
  alb: "app/catalyst-prod-alb/0123456789abcdef",
  tg: { frontend: "targetgroup/catalyst-prod-frontend/1111111111111111", agent: "targetgroup/catalyst-prod-agent/2222222222222222" },
  cluster: "catalyst-prod",
  services: { frontend: "catalyst-prod-frontend", agent: "catalyst-prod-agent" },
  logGroups: { frontend: "/catalyst/prod/frontend", agent: "/catalyst/prod/agent" },
  db: "catalyst-prod-db",
  webAclMetric: "catalyst-prod-waf",
  authRule: "catalyst-prod-auth-rate",
  blockListRule: "catalyst-prod-ip-block-list",
  cert: "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-1111-2222-3333-444444444444",
  vault: "catalyst-prod-database",
  restorePlan: "catalyst_prod_db_restore_test",
};

function args(over: Partial<ObservabilityArgs> = {}): ObservabilityArgs {
  return {
    namePrefix: "catalyst-prod",
    region: "eu-west-1",
    domain: "app.example.com",
    runbookBaseUrl: BASE_URL,
    oncall: {
      emails: ["oncall@example.com", "sre@example.com"],
      httpsEndpoints: pulumi.secret(["https://events.pagerduty.com/integration/k1/enqueue", "https://api.opsgenie.com/v1/json/amazonsns?apiKey=k2"]),
      httpsEndpointCount: 2,
    },
    thresholds: DEFAULT_ALARM_THRESHOLDS,
    loadBalancer: { arnSuffix: fake.alb },
    targetGroups: { frontend: { arnSuffix: fake.tg.frontend }, agent: { arnSuffix: fake.tg.agent } },
    cluster: { name: fake.cluster },
    services: { frontend: { name: fake.services.frontend }, agent: { name: fake.services.agent } },
    logGroups: {
      frontend: { name: fake.logGroups.frontend, arn: `arn:aws:logs:eu-west-1:123456789012:log-group:${fake.logGroups.frontend}` },
      agent: { name: fake.logGroups.agent, arn: `arn:aws:logs:eu-west-1:123456789012:log-group:${fake.logGroups.agent}` },
    },
    database: { instanceIdentifier: fake.db },
    waf: { webAclMetricName: fake.webAclMetric, authRateRuleMetricName: fake.authRule, blockListRuleMetricName: fake.blockListRule },
    certificateArn: fake.cert,
    backup: { vaultName: fake.vault, restoreTestingPlanName: fake.restorePlan, copyRegion: "eu-central-1" },
    appMetricsNamespace: "Catalyst/prod",
    protect: true,
    ...over,
  };
}

type Run = Awaited<ReturnType<typeof deploy>>;
function deploy(over: Partial<ObservabilityArgs> = {}, preview = false) {
  return runComponent(() => new Observability("obs", args(over)), { preview });
}

const alarmsOf = (run: Run) => [...run.byType(ALARM), ...run.byType(COMPOSITE)];
const nameOf = (a: CapturedResource) => String(a.inputs.name ?? a.inputs.alarmName);
function alarm(run: Run, name: string): CapturedResource {
  const found = alarmsOf(run).filter((a) => nameOf(a) === name);
  if (found.length !== 1) throw new Error(`expected one alarm ${name}, found ${found.length}`);
  return found[0];
}
const topicIn = (run: Run, region: string) => run.byType(TOPIC).filter((t) => t.inputs.region === region);

describe("Observability", () => {
  let run: Run;
  beforeAll(async () => {
    run = await deploy();
  });

  it("calls only provider functions the mocks know", () => {
    expect(run.unknownCalls).toEqual([]);
  });

  it("sends ALARM and OK of every alarm to the on-call topic of the alarm's own region", () => {
    const alarms = alarmsOf(run);
    // 32 in the stack region (2 load balancer, 9 per app, 6 database, 3 edge, 3 backup), 3 uptime + site-down in us-east-1.
    expect(alarms.length).toBe(36);
    for (const a of alarms) {
      const region = String(a.inputs.region);
      const [topic] = topicIn(run, region);
      expect(topic.outputs.arn).toBe(`arn:aws:sns:${region}:${MOCK_ACCOUNT}:catalyst-prod-oncall`);
      expect(a.inputs.actionsEnabled).toBe(true);
      expect(a.inputs.alarmActions).toEqual([topic.outputs.arn]);
      expect(a.inputs.okActions).toEqual([topic.outputs.arn]);
    }
    expect(
      run
        .byType(ALARM)
        .filter((a) => a.inputs.region === "us-east-1")
        .map(nameOf)
        .sort(),
    ).toEqual(["catalyst-prod-uptime-agent", "catalyst-prod-uptime-auth-health", "catalyst-prod-uptime-frontend"]);
  });

  it("links every alarm to a runbook that exists in docs/runbooks, within CloudWatch's description limit", () => {
    const linked = new Set<string>();
    for (const a of alarmsOf(run)) {
      const description = String(a.inputs.alarmDescription);
      expect(description.length).toBeLessThanOrEqual(MAX_DESCRIPTION_LENGTH);
      const match = description.match(/Runbook: (\S+)$/);
      expect(match).not.toBeNull();
      const url = match![1];
      expect(url.startsWith(`${BASE_URL}/`)).toBe(true);
      const file = url.slice(BASE_URL.length + 1);
      linked.add(file);
      expect(fs.existsSync(path.join(RUNBOOK_DIR, file))).toBe(true);
    }
    expect([...linked].sort()).toEqual(
      Object.values(RUNBOOKS)
        .map((r) => `${r}.md`)
        .sort(),
    );
    for (const r of INCIDENT_RUNBOOKS) expect(fs.existsSync(path.join(RUNBOOK_DIR, `${r}.md`))).toBe(true);
  });

  it.each([
    [
      "catalyst-prod-alb-elb-5xx",
      "AWS/ApplicationELB",
      "HTTPCode_ELB_5XX_Count",
      "Sum",
      { LoadBalancer: fake.alb },
      "GreaterThanThreshold",
      10,
      "notBreaching",
    ],
    [
      "catalyst-prod-alb-rejected-connections",
      "AWS/ApplicationELB",
      "RejectedConnectionCount",
      "Sum",
      { LoadBalancer: fake.alb },
      "GreaterThanOrEqualToThreshold",
      1,
      "notBreaching",
    ],
    [
      "catalyst-prod-frontend-no-healthy-hosts",
      "AWS/ApplicationELB",
      "HealthyHostCount",
      "Minimum",
      { LoadBalancer: fake.alb, TargetGroup: fake.tg.frontend },
      "LessThanThreshold",
      1,
      "breaching",
    ],
    [
      "catalyst-prod-agent-unhealthy-hosts",
      "AWS/ApplicationELB",
      "UnHealthyHostCount",
      "Maximum",
      { LoadBalancer: fake.alb, TargetGroup: fake.tg.agent },
      "GreaterThanThreshold",
      0,
      "notBreaching",
    ],
    [
      "catalyst-prod-agent-target-5xx",
      "AWS/ApplicationELB",
      "HTTPCode_Target_5XX_Count",
      "Sum",
      { LoadBalancer: fake.alb, TargetGroup: fake.tg.agent },
      "GreaterThanThreshold",
      10,
      "notBreaching",
    ],
    [
      "catalyst-prod-frontend-p99-latency",
      "AWS/ApplicationELB",
      "TargetResponseTime",
      "p99",
      { LoadBalancer: fake.alb, TargetGroup: fake.tg.frontend },
      "GreaterThanThreshold",
      2,
      "notBreaching",
    ],
    [
      "catalyst-prod-frontend-cpu-high",
      "AWS/ECS",
      "CPUUtilization",
      "Average",
      { ClusterName: fake.cluster, ServiceName: fake.services.frontend },
      "GreaterThanThreshold",
      85,
      "notBreaching",
    ],
    [
      "catalyst-prod-agent-memory-high",
      "AWS/ECS",
      "MemoryUtilization",
      "Average",
      { ClusterName: fake.cluster, ServiceName: fake.services.agent },
      "GreaterThanThreshold",
      85,
      "notBreaching",
    ],
    ["catalyst-prod-db-cpu-high", "AWS/RDS", "CPUUtilization", "Average", { DBInstanceIdentifier: fake.db }, "GreaterThanThreshold", 80, "notBreaching"],
    [
      "catalyst-prod-db-free-storage-low",
      "AWS/RDS",
      "FreeStorageSpace",
      "Minimum",
      { DBInstanceIdentifier: fake.db },
      "LessThanThreshold",
      10 * 1024 ** 3,
      "breaching",
    ],
    [
      "catalyst-prod-db-freeable-memory-low",
      "AWS/RDS",
      "FreeableMemory",
      "Average",
      { DBInstanceIdentifier: fake.db },
      "LessThanThreshold",
      256 * 1024 ** 2,
      "breaching",
    ],
    [
      "catalyst-prod-db-connections-high",
      "AWS/RDS",
      "DatabaseConnections",
      "Maximum",
      { DBInstanceIdentifier: fake.db },
      "GreaterThanThreshold",
      200,
      "notBreaching",
    ],
    ["catalyst-prod-db-read-latency", "AWS/RDS", "ReadLatency", "Average", { DBInstanceIdentifier: fake.db }, "GreaterThanThreshold", 0.02, "notBreaching"],
    ["catalyst-prod-db-write-latency", "AWS/RDS", "WriteLatency", "Average", { DBInstanceIdentifier: fake.db }, "GreaterThanThreshold", 0.02, "notBreaching"],
    [
      "catalyst-prod-waf-auth-rate-blocks",
      "AWS/WAFV2",
      "BlockedRequests",
      "Sum",
      { WebACL: fake.webAclMetric, Rule: fake.authRule, Region: "eu-west-1" },
      "GreaterThanThreshold",
      20,
      "notBreaching",
    ],
    [
      "catalyst-prod-waf-blocked-requests",
      "AWS/WAFV2",
      "BlockedRequests",
      "Sum",
      { WebACL: fake.webAclMetric, Rule: "ALL", Region: "eu-west-1" },
      "GreaterThanThreshold",
      500,
      "notBreaching",
    ],
    [
      "catalyst-prod-certificate-expiry",
      "AWS/CertificateManager",
      "DaysToExpiry",
      "Minimum",
      { CertificateArn: fake.cert },
      "LessThanThreshold",
      30,
      "missing",
    ],
    ["catalyst-prod-frontend-auth-failures", "Catalyst/prod", "frontend-auth-failures", "Sum", {}, "GreaterThanThreshold", 50, "notBreaching"],
    ["catalyst-prod-agent-server-errors", "Catalyst/prod", "agent-server-errors", "Sum", {}, "GreaterThanThreshold", 20, "notBreaching"],
    [
      "catalyst-prod-backup-job-failed",
      "AWS/Backup",
      "NumberOfBackupJobsFailed",
      "Sum",
      { BackupVaultName: fake.vault },
      "GreaterThanThreshold",
      0,
      "notBreaching",
    ],
    [
      "catalyst-prod-backup-copy-job-failed",
      "AWS/Backup",
      "NumberOfCopyJobsFailed",
      "Sum",
      { BackupVaultName: fake.vault },
      "GreaterThanThreshold",
      0,
      "notBreaching",
    ],
    [
      "catalyst-prod-backup-restore-job-failed",
      "AWS/Backup",
      "NumberOfRestoreJobsFailed",
      "Sum",
      { BackupVaultName: fake.vault },
      "GreaterThanThreshold",
      0,
      "notBreaching",
    ],
  ] as const)("%s watches %s %s (%s) of the right resource", (name, namespace, metricName, statistic, dimensions, comparison, threshold, missing) => {
    const a = alarm(run, name).inputs;
    expect(a.region).toBe("eu-west-1");
    expect([a.namespace, a.metricName]).toEqual([namespace, metricName]);
    if (statistic.startsWith("p")) expect([a.extendedStatistic, a.statistic]).toEqual([statistic, undefined]);
    else expect([a.statistic, a.extendedStatistic]).toEqual([statistic, undefined]);
    expect(a.dimensions ?? {}).toEqual(dimensions);
    expect([a.comparisonOperator, a.threshold, a.treatMissingData]).toEqual([comparison, threshold, missing]);
    expect(Number(a.datapointsToAlarm)).toBeLessThanOrEqual(Number(a.evaluationPeriods));
  });

  it("has every per-app alarm for both apps", () => {
    const names = run.byType(ALARM).map(nameOf);
    for (const app of ["frontend", "agent"]) {
      for (const kind of [
        "no-healthy-hosts",
        "unhealthy-hosts",
        "target-5xx",
        "p99-latency",
        "tasks-below-desired",
        "cpu-high",
        "memory-high",
        "auth-failures",
        "server-errors",
      ]) {
        expect(names).toContain(`catalyst-prod-${app}-${kind}`);
      }
    }
  });

  it("pages when a service runs fewer tasks than desired, from Container Insights, for the configured minutes", () => {
    const a = alarm(run, "catalyst-prod-agent-tasks-below-desired").inputs;
    const queries = a.metricQueries as Array<Record<string, Json>>;
    const byId = Object.fromEntries(queries.map((q) => [q.id, q]));
    expect(byId.result).toMatchObject({ expression: "desired - running", returnData: true });
    for (const [id, metricName] of [
      ["desired", "DesiredTaskCount"],
      ["running", "RunningTaskCount"],
    ]) {
      expect(byId[id]).toMatchObject({
        returnData: false,
        metric: {
          namespace: "ECS/ContainerInsights",
          metricName,
          dimensions: { ClusterName: fake.cluster, ServiceName: fake.services.agent },
          period: 60,
          stat: "Average",
        },
      });
    }
    expect([a.comparisonOperator, a.threshold, a.evaluationPeriods, a.datapointsToAlarm]).toEqual(["GreaterThanThreshold", 0, 10, 10]);
    expect(a.namespace).toBeUndefined();
  });

  it("pages on the first failed backup, copy or restore job of the vault and stays in ALARM for 24 hours", () => {
    for (const kind of ["backup-job", "backup-copy-job", "backup-restore-job"]) {
      const a = alarm(run, `catalyst-prod-${kind}-failed`).inputs;
      // 1 of 24 hourly datapoints: one failure pages at once; OK means no failure for a day, i.e. the next
      // daily job did not fail (it does not mean the failed job was redone).
      expect([a.period, a.evaluationPeriods, a.datapointsToAlarm]).toEqual([3600, 24, 1]);
      expect(String(a.alarmDescription)).toMatch(/Runbook: \S+\/backup-failed\.md$/);
    }
    expect(alarm(run, "catalyst-prod-backup-restore-job-failed").inputs.alarmDescription).toContain(`restore-testing plan ${fake.restorePlan}`);
    expect(alarm(run, "catalyst-prod-backup-copy-job-failed").inputs.alarmDescription).toContain("eu-central-1");
    expect(alarm(run, "catalyst-prod-backup-job-failed").inputs.alarmDescription).toContain(`vault ${fake.vault}`);
  });

  it("has no copy-job alarm when backups are not copied to another region", async () => {
    const single = await deploy({ backup: { vaultName: fake.vault, restoreTestingPlanName: fake.restorePlan } });
    const names = single.byType(ALARM).map(nameOf);
    expect(names).toContain("catalyst-prod-backup-job-failed");
    expect(names).toContain("catalyst-prod-backup-restore-job-failed");
    expect(names).not.toContain("catalyst-prod-backup-copy-job-failed");
  });

  it("takes every threshold from its arguments", async () => {
    const custom = await deploy({
      thresholds: { ...DEFAULT_ALARM_THRESHOLDS, rdsCpuPercent: 65, albTargetP99Seconds: 1.5, ecsTasksBelowDesiredMinutes: 4, rdsFreeStorageGiB: 20 },
    });
    expect(alarm(custom, "catalyst-prod-db-cpu-high").inputs.threshold).toBe(65);
    expect(alarm(custom, "catalyst-prod-agent-p99-latency").inputs.threshold).toBe(1.5);
    expect(alarm(custom, "catalyst-prod-frontend-tasks-below-desired").inputs.evaluationPeriods).toBe(4);
    expect(alarm(custom, "catalyst-prod-db-free-storage-low").inputs.threshold).toBe(20 * 1024 ** 3);
    expect(alarm(custom, "catalyst-prod-db-cpu-high").inputs.alarmDescription).toContain("above 65%");
  });

  it("counts authentication failures and server errors from each app's log group into the metrics the alarms watch", () => {
    const filters = run.byType("aws:cloudwatch/logMetricFilter:LogMetricFilter");
    expect(filters).toHaveLength(4);
    for (const app of ["frontend", "agent"] as const) {
      for (const [metric, pattern] of [
        ["auth-failures", AUTH_FAILURE_PATTERN],
        ["server-errors", SERVER_ERROR_PATTERN],
      ]) {
        const f = filters.find((x) => x.inputs.name === `catalyst-prod-${app}-${metric}`)!.inputs;
        expect(f.logGroupName).toBe(fake.logGroups[app]);
        expect(f.pattern).toBe(pattern);
        expect(f.metricTransformation).toEqual({ namespace: "Catalyst/prod", name: `${app}-${metric}`, value: "1", defaultValue: "0", unit: "Count" });
        const a = alarm(run, `catalyst-prod-${app}-${metric}`).inputs;
        expect([a.namespace, a.metricName]).toEqual(["Catalyst/prod", `${app}-${metric}`]);
      }
    }
    expect(AUTH_FAILURE_PATTERN).toBe('{ $.event = "auth.failure" }');
  });

  it("checks the three seed URLs over HTTPS from Route 53, with alarms on each check in us-east-1", () => {
    const checks = run.byType("aws:route53/healthCheck:HealthCheck");
    expect(checks.map((c) => c.inputs.resourcePath).sort()).toEqual(["/", "/agent", "/api/auth/health"]);
    for (const c of checks) {
      expect(c.inputs).toMatchObject({ type: "HTTPS", fqdn: "app.example.com", port: 443, enableSni: true, requestInterval: 30, failureThreshold: 3 });
      const suffix = c.inputs.resourcePath === "/" ? "frontend" : c.inputs.resourcePath === "/agent" ? "agent" : "auth-health";
      const a = alarm(run, `catalyst-prod-uptime-${suffix}`).inputs;
      expect(a).toMatchObject({
        region: "us-east-1",
        namespace: "AWS/Route53",
        metricName: "HealthCheckStatus",
        statistic: "Minimum",
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        treatMissingData: "breaching",
      });
      expect(a.dimensions).toEqual({ HealthCheckId: c.id });
    }
  });

  it("pages once per outage: a site-down composite in us-east-1 over the uptime alarms", () => {
    const siteDown = alarm(run, "catalyst-prod-site-down");
    expect(siteDown.type).toBe(COMPOSITE);
    expect(siteDown.inputs.region).toBe("us-east-1");
    expect(siteDown.inputs.alarmRule).toBe(
      'ALARM("catalyst-prod-uptime-frontend") OR ALARM("catalyst-prod-uptime-agent") OR ALARM("catalyst-prod-uptime-auth-health")',
    );
    const members = run.byType(ALARM).filter((a) => nameOf(a).startsWith("catalyst-prod-uptime-"));
    for (const m of members) expect(siteDown.dependencies).toContain(m.urn);
    expect(String(siteDown.inputs.alarmDescription)).toMatch(/^SITE DOWN: https:\/\/app\.example\.com /);
  });

  it("keeps the alarms the composite covers off the paging endpoints, but not off e-mail", () => {
    const subs = run.byType(SUBSCRIPTION);
    const quiet = (region: string) => {
      const topic = topicIn(run, region)[0].outputs.arn;
      const paging = subs.filter((s) => s.inputs.topic === topic && s.inputs.protocol === "https");
      expect(paging).toHaveLength(2);
      const policies = paging.map((s) => {
        expect(s.inputs.filterPolicyScope).toBe("MessageBody");
        return parseJsonProp<{ AlarmName: [{ "anything-but": string[] }] }>(s.inputs.filterPolicy).AlarmName[0]["anything-but"];
      });
      expect(policies[0]).toEqual(policies[1]);
      const email = subs.filter((s) => s.inputs.topic === topic && s.inputs.protocol === "email");
      expect(email.map((s) => s.inputs.endpoint).sort()).toEqual(["oncall@example.com", "sre@example.com"]);
      for (const s of email) expect(s.inputs.filterPolicy).toBeUndefined();
      return policies[0];
    };
    expect(quiet("us-east-1")).toEqual(["catalyst-prod-uptime-agent", "catalyst-prod-uptime-auth-health", "catalyst-prod-uptime-frontend"]);
    // Covered across regions: an app without a healthy target fails the uptime check of its path.
    expect(quiet("eu-west-1")).toEqual(["catalyst-prod-agent-no-healthy-hosts", "catalyst-prod-frontend-no-healthy-hosts"]);
    expect(alarm(run, "catalyst-prod-uptime-frontend").inputs.alarmDescription).toContain("https://app.example.com/ ");
    expect(alarm(run, "catalyst-prod-uptime-agent").inputs.alarmDescription).toContain("https://app.example.com/agent ");
  });

  it("subscribes each paging endpoint without apply, keeping the endpoint secret, with retries for an hour", () => {
    const https = run.byType(SUBSCRIPTION).filter((s) => s.inputs.protocol === "https");
    expect(https).toHaveLength(4);
    for (const s of https) {
      expect(isSecret(s.inputs.endpoint)).toBe(true);
      expect(s.inputs.endpointAutoConfirms).toBe(true);
      expect(parseJsonProp<{ healthyRetryPolicy: { numRetries: number } }>(s.inputs.deliveryPolicy).healthyRetryPolicy.numRetries).toBe(20);
    }
    const endpoints = https.filter((s) => s.inputs.region === "eu-west-1").map((s) => plain(s.inputs.endpoint));
    expect(endpoints.sort()).toEqual(["https://api.opsgenie.com/v1/json/amazonsns?apiKey=k2", "https://events.pagerduty.com/integration/k1/enqueue"]);
  });

  it("encrypts each topic with its own rotating key in the topic's region, usable by this stack's alarms only", () => {
    for (const region of ["eu-west-1", "us-east-1"]) {
      const [topic] = topicIn(run, region);
      expect(topic.inputs.kmsMasterKeyId).toBe("alias/catalyst-prod-oncall");
      const alias = run.byType("aws:kms/alias:Alias").find((a) => a.inputs.region === region)!;
      expect(alias.inputs.name).toBe("alias/catalyst-prod-oncall");
      expect(topic.dependencies).toContain(alias.urn);
      const key = run.byType("aws:kms/key:Key").find((k) => k.inputs.region === region)!;
      expect(alias.inputs.targetKeyId).toBe(key.outputs.keyId);
      expect([key.inputs.enableKeyRotation, key.protect]).toEqual([true, true]);
      const policy = parseJsonProp<{ Statement: Array<Record<string, unknown>> }>(key.inputs.policy);
      const cw = policy.Statement.find((s) => s.Sid === "CloudWatchAlarmsEncrypt")!;
      expect(cw).toMatchObject({
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Condition: {
          StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT },
          ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${region}:${MOCK_ACCOUNT}:alarm:catalyst-prod-*` },
        },
      });
    }
  });

  it("refuses publishes without TLS and lets only this stack's alarms publish", () => {
    for (const region of ["eu-west-1", "us-east-1"]) {
      const [topic] = topicIn(run, region);
      const tp = run.byType("aws:sns/topicPolicy:TopicPolicy").find((p) => p.inputs.region === region)!;
      expect(tp.inputs.arn).toBe(topic.outputs.arn);
      const doc = parseJsonProp<{ Statement: Array<Record<string, unknown>> }>(tp.inputs.policy);
      const bySid = Object.fromEntries(doc.Statement.map((s) => [s.Sid, s]));
      expect(bySid.DenyPublishWithoutTls).toEqual({
        Sid: "DenyPublishWithoutTls",
        Effect: "Deny",
        Principal: "*",
        Action: "sns:Publish",
        Resource: topic.outputs.arn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
      expect(bySid.CloudWatchAlarmsPublish).toMatchObject({
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topic.outputs.arn,
      });
      expect(doc.Statement).toHaveLength(2);
    }
  });

  it("protects the topic keys only when asked", async () => {
    const unprotected = await deploy({ protect: false });
    expect(unprotected.byType("aws:kms/key:Key").map((k) => k.protect)).toEqual([false, false]);
  });

  it("uses one topic and one composite over uptime and target health when the stack runs in us-east-1", async () => {
    const east = await deploy({ region: "us-east-1" });
    expect(east.byType(TOPIC)).toHaveLength(1);
    const rule = String(alarm(east, "catalyst-prod-site-down").inputs.alarmRule);
    expect(rule).toContain('ALARM("catalyst-prod-frontend-no-healthy-hosts")');
    expect(rule).toContain('ALARM("catalyst-prod-uptime-auth-health")');
    const paging = east.byType(SUBSCRIPTION).filter((s) => s.inputs.protocol === "https");
    expect(parseJsonProp<{ AlarmName: [{ "anything-but": string[] }] }>(paging[0].inputs.filterPolicy).AlarmName[0]["anything-but"]).toHaveLength(5);
  });

  it("creates no paging subscription when there is no endpoint", async () => {
    const emailOnly = await deploy({ oncall: { emails: ["oncall@example.com"], httpsEndpoints: pulumi.secret([]), httpsEndpointCount: 0 } });
    expect(emailOnly.byType(SUBSCRIPTION).map((s) => s.inputs.protocol)).toEqual(["email", "email"]);
  });

  it("builds an on-call dashboard over the real resources", () => {
    const d = run.one("aws:cloudwatch/dashboard:Dashboard");
    expect(d.inputs.dashboardName).toBe("catalyst-prod-oncall");
    const body = parseJsonProp<{ widgets: Array<{ type: string; properties: Record<string, unknown> }> }>(d.inputs.dashboardBody);
    const text = JSON.stringify(body);
    for (const v of [
      fake.alb,
      fake.tg.frontend,
      fake.tg.agent,
      fake.services.frontend,
      fake.services.agent,
      fake.db,
      fake.webAclMetric,
      fake.authRule,
      fake.blockListRule,
      fake.vault,
    ])
      expect(text).toContain(v);
    const backup = body.widgets.find((w) => w.properties.title === "Backup: jobs of the vault (per day)")!;
    expect(backup.properties.metrics).toEqual(
      ["Backup", "Copy", "Restore"].flatMap((kind) =>
        ["Completed", "Failed"].map((state) => [
          "AWS/Backup",
          `NumberOf${kind}Jobs${state}`,
          "BackupVaultName",
          fake.vault,
          { label: `${kind.toLowerCase()} jobs ${state.toLowerCase()}` },
        ]),
      ),
    );
    const alarmWidgets = body.widgets.filter((w) => w.type === "alarm");
    const listed = alarmWidgets.flatMap((w) => w.properties.alarms as string[]);
    expect(listed.sort()).toEqual(
      alarmsOf(run)
        .map((a) => String(a.outputs.arn))
        .sort(),
    );
    const uptime = body.widgets.find((w) => w.properties.title === "Uptime: health checkers reporting healthy (%)")!;
    expect(uptime.properties.region).toBe("us-east-1");
    for (const c of run.byType("aws:route53/healthCheck:HealthCheck")) expect(JSON.stringify(uptime)).toContain(String(c.id));
  });

  it("synthesizes in preview with the security-relevant values known", async () => {
    const preview = await deploy({}, true);
    for (const topic of preview.byType(TOPIC)) expect(topic.inputs.kmsMasterKeyId).toBe("alias/catalyst-prod-oncall");
    for (const tp of preview.byType("aws:sns/topicPolicy:TopicPolicy")) expect(tp.inputs.policy).not.toBe(UNKNOWN);
    for (const a of alarmsOf(preview)) {
      expect(a.inputs.actionsEnabled).toBe(true);
      expect(a.inputs.alarmActions).toHaveLength(1);
    }
    expect(alarm(preview, "catalyst-prod-site-down").inputs.alarmRule).not.toBe(UNKNOWN);
  });
});
