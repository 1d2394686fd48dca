/**
 * Observability as the real prod stack (Pulumi.prod.yaml) builds it: every alarm notifies the on-call
 * topic of its region on ALARM and OK, watches the right metric of the real resources, and links a
 * runbook that exists; the uptime checks cover the seed's three URLs over HTTPS.
 */
import * as fs from "fs";
import * as path from "path";
import { Captured, CapturedResource, Json, loadStackConfigFile, plain, runProgram, UNKNOWN } from "../test/harness";
import { RUNBOOKS } from "../infra/observability/runbooks";

const DOMAIN = "app.catalyst.example.com";
const REGION = "eu-west-1";
const RUNBOOK_BASE = loadStackConfigFile("prod")["catalyst:runbookBaseUrl"];
const RUNBOOK_DIR = path.resolve(__dirname, "..", "docs", "runbooks");

const T = {
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  composite: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
  topic: "aws:sns/topic:Topic",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  tg: "aws:lb/targetGroup:TargetGroup",
  cluster: "aws:ecs/cluster:Cluster",
  service: "aws:ecs/service:Service",
  rds: "aws:rds/instance:Instance",
  acl: "aws:wafv2/webAcl:WebAcl",
  cert: "aws:acm/certificate:Certificate",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  filter: "aws:cloudwatch/logMetricFilter:LogMetricFilter",
  healthCheck: "aws:route53/healthCheck:HealthCheck",
  vault: "aws:backup/vault:Vault",
  restorePlan: "aws:backup/restoreTestingPlan:RestoreTestingPlan",
};

const nameOf = (a: CapturedResource) => String(a.inputs.name ?? a.inputs.alarmName);
const alarms = (run: Captured) => [...run.byType(T.alarm), ...run.byType(T.composite)];
function alarm(run: Captured, name: string): Record<string, Json> {
  const found = alarms(run).filter((a) => nameOf(a) === name);
  expect(found).toHaveLength(1);
  return found[0].inputs;
}

describe("observability in the prod stack", () => {
  let run: Captured;
  beforeAll(async () => {
    run = await runProgram();
  });

  it("calls no provider function the mocks do not know", () => {
    expect(run.unknownCalls).toEqual([]);
  });

  it("sends ALARM and OK of every alarm in the stack to the on-call topic of the alarm's region", () => {
    const all = alarms(run);
    expect(all.length).toBeGreaterThanOrEqual(33);
    const topics = run.byType(T.topic).filter((t) => String(t.inputs.name).endsWith("-oncall"));
    expect(topics.map((t) => t.inputs.region).sort()).toEqual([REGION, "us-east-1"]);
    for (const a of all) {
      const region = a.inputs.region ?? REGION;
      const topic = topics.find((t) => t.inputs.region === region)!;
      expect([nameOf(a), a.inputs.actionsEnabled, a.inputs.alarmActions, a.inputs.okActions]).toEqual([
        nameOf(a),
        true,
        [topic.outputs.arn],
        [topic.outputs.arn],
      ]);
    }
  });

  it("links every alarm to a runbook file that exists in docs/runbooks", () => {
    expect(RUNBOOK_BASE).toMatch(/^https:\/\//);
    for (const a of alarms(run)) {
      const url = String(a.inputs.alarmDescription).match(/Runbook: (\S+)$/)?.[1];
      expect(url?.startsWith(`${RUNBOOK_BASE}/`)).toBe(true);
      const file = url!.slice(RUNBOOK_BASE.length + 1);
      expect(Object.values(RUNBOOKS).map((r) => `${r}.md`)).toContain(file);
      expect(fs.existsSync(path.join(RUNBOOK_DIR, file))).toBe(true);
    }
  });

  it("binds the load balancer and target group alarms to the real ALB and target groups", () => {
    const lb = run.one(T.lb).outputs.arnSuffix;
    const tgOnPort = (port: number) => run.byType(T.tg).find((t) => t.inputs.port === port)!.outputs.arnSuffix;
    expect(alarm(run, "catalyst-prod-alb-elb-5xx")).toMatchObject({
      namespace: "AWS/ApplicationELB",
      metricName: "HTTPCode_ELB_5XX_Count",
      statistic: "Sum",
      dimensions: { LoadBalancer: lb },
    });
    expect(alarm(run, "catalyst-prod-alb-rejected-connections").dimensions).toEqual({ LoadBalancer: lb });
    for (const [app, port] of [
      ["frontend", 3000],
      ["agent", 3001],
    ] as const) {
      const dims = { LoadBalancer: lb, TargetGroup: tgOnPort(port) };
      expect(alarm(run, `catalyst-prod-${app}-no-healthy-hosts`)).toMatchObject({
        metricName: "HealthyHostCount",
        statistic: "Minimum",
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        dimensions: dims,
      });
      expect(alarm(run, `catalyst-prod-${app}-unhealthy-hosts`)).toMatchObject({
        metricName: "UnHealthyHostCount",
        statistic: "Maximum",
        threshold: 0,
        dimensions: dims,
      });
      expect(alarm(run, `catalyst-prod-${app}-target-5xx`)).toMatchObject({ metricName: "HTTPCode_Target_5XX_Count", dimensions: dims });
      expect(alarm(run, `catalyst-prod-${app}-p99-latency`)).toMatchObject({ metricName: "TargetResponseTime", extendedStatistic: "p99", dimensions: dims });
    }
    expect(lb).toMatch(/^app\/catalyst-prod/);
  });

  it("binds the ECS alarms to the real cluster and services", () => {
    const cluster = run.one(T.cluster).outputs.name;
    for (const app of ["frontend", "agent"]) {
      const service = run.byType(T.service).find((s) => String(s.outputs.name).endsWith(`-${app}`))!.outputs.name;
      const dims = { ClusterName: cluster, ServiceName: service };
      expect(alarm(run, `catalyst-prod-${app}-cpu-high`)).toMatchObject({
        namespace: "AWS/ECS",
        metricName: "CPUUtilization",
        statistic: "Average",
        dimensions: dims,
      });
      expect(alarm(run, `catalyst-prod-${app}-memory-high`)).toMatchObject({ namespace: "AWS/ECS", metricName: "MemoryUtilization", dimensions: dims });
      const queries = alarm(run, `catalyst-prod-${app}-tasks-below-desired`).metricQueries as Array<{ metric?: { namespace: string; dimensions: Json } }>;
      for (const q of queries.filter((x) => x.metric)) expect(q.metric).toMatchObject({ namespace: "ECS/ContainerInsights", dimensions: dims });
    }
  });

  it("binds the database alarms to the real RDS instance, with thresholds in the metric's units", () => {
    const identifier = run.one(T.rds).outputs.identifier;
    for (const [name, metricName] of [
      ["db-cpu-high", "CPUUtilization"],
      ["db-free-storage-low", "FreeStorageSpace"],
      ["db-freeable-memory-low", "FreeableMemory"],
      ["db-connections-high", "DatabaseConnections"],
      ["db-read-latency", "ReadLatency"],
      ["db-write-latency", "WriteLatency"],
    ]) {
      expect(alarm(run, `catalyst-prod-${name}`)).toMatchObject({ namespace: "AWS/RDS", metricName, dimensions: { DBInstanceIdentifier: identifier } });
    }
    expect(alarm(run, "catalyst-prod-db-free-storage-low").threshold).toBe(10 * 1024 ** 3);
    expect(alarm(run, "catalyst-prod-db-read-latency").threshold).toBe(0.02);
  });

  it("binds the WAF alarms to the web ACL's and the sign-in rule's metric names", () => {
    const acl = run.one(T.acl).inputs as { visibilityConfig: { metricName: string }; rules: Array<{ name: string; visibilityConfig: { metricName: string } }> };
    const authRule = acl.rules.find((r) => r.name === "auth-sign-in-rate")!;
    expect(alarm(run, "catalyst-prod-waf-auth-rate-blocks")).toMatchObject({
      namespace: "AWS/WAFV2",
      metricName: "BlockedRequests",
      statistic: "Sum",
      dimensions: { WebACL: acl.visibilityConfig.metricName, Rule: authRule.visibilityConfig.metricName, Region: REGION },
    });
    expect(alarm(run, "catalyst-prod-waf-blocked-requests").dimensions).toEqual({ WebACL: acl.visibilityConfig.metricName, Rule: "ALL", Region: REGION });
  });

  it("pages on failed backup, copy and restore jobs of the real AWS Backup vault, linking the backup-failed runbook", () => {
    const vault = run.byType(T.vault).find((v) => v.inputs.region === undefined)!;
    expect(vault.outputs.name).toBe("catalyst-prod-database");
    const oncall = run.byType(T.topic).find((t) => t.inputs.region === REGION && String(t.inputs.name).endsWith("-oncall"))!.outputs.arn;
    for (const [name, metricName] of [
      ["backup-job-failed", "NumberOfBackupJobsFailed"],
      ["backup-copy-job-failed", "NumberOfCopyJobsFailed"],
      ["backup-restore-job-failed", "NumberOfRestoreJobsFailed"],
    ]) {
      const a = alarm(run, `catalyst-prod-${name}`);
      expect(a).toMatchObject({
        region: REGION,
        namespace: "AWS/Backup",
        metricName,
        statistic: "Sum",
        dimensions: { BackupVaultName: vault.outputs.name },
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        treatMissingData: "notBreaching",
        period: 3600,
        evaluationPeriods: 24,
        datapointsToAlarm: 1,
        actionsEnabled: true,
        alarmActions: [oncall],
        okActions: [oncall],
      });
      expect(String(a.alarmDescription).endsWith(` Runbook: ${RUNBOOK_BASE}/backup-failed.md`)).toBe(true);
    }
    expect(fs.existsSync(path.join(RUNBOOK_DIR, "backup-failed.md"))).toBe(true);
    expect(alarm(run, "catalyst-prod-backup-copy-job-failed").alarmDescription).toContain("to eu-central-1");
    expect(alarm(run, "catalyst-prod-backup-restore-job-failed").alarmDescription).toContain(`restore-testing plan ${run.one(T.restorePlan).inputs.name}`);
  });

  it("has no copy-job alarm in a stack that does not copy backups to another region", async () => {
    const local = await runProgram({ override: { "catalyst:backupCopyRegion": undefined } });
    const names = alarms(local).map(nameOf);
    expect(names).toContain("catalyst-prod-backup-job-failed");
    expect(names).not.toContain("catalyst-prod-backup-copy-job-failed");
  });

  it("watches the real certificate's days to expiry", () => {
    expect(alarm(run, "catalyst-prod-certificate-expiry")).toMatchObject({
      namespace: "AWS/CertificateManager",
      metricName: "DaysToExpiry",
      statistic: "Minimum",
      threshold: 30,
      comparisonOperator: "LessThanThreshold",
      dimensions: { CertificateArn: run.one(T.cert).outputs.arn },
    });
  });

  it("filters auth failures and server errors from the real app log groups, after the groups exist", () => {
    for (const app of ["frontend", "agent"]) {
      const group = run.byType(T.logGroup).find((g) => g.inputs.name === `/ecs/catalyst-prod/${app}`)!;
      for (const metric of ["auth-failures", "server-errors"]) {
        const f = run.byType(T.filter).find((x) => x.inputs.name === `catalyst-prod-${app}-${metric}`)!;
        expect(f.inputs.logGroupName).toBe(group.outputs.name);
        expect(f.dependencies).toContain(group.urn);
        expect(f.inputs.metricTransformation).toMatchObject({ namespace: "Catalyst/prod", name: `${app}-${metric}` });
        expect(alarm(run, `catalyst-prod-${app}-${metric}`)).toMatchObject({ namespace: "Catalyst/prod", metricName: `${app}-${metric}` });
      }
    }
  });

  it("checks https://<domain>/, /agent and /api/auth/health over HTTPS, and pages once for them", () => {
    const checks = run.byType(T.healthCheck);
    expect(checks.map((c) => [c.inputs.type, c.inputs.fqdn, c.inputs.port, c.inputs.resourcePath]).sort()).toEqual([
      ["HTTPS", DOMAIN, 443, "/"],
      ["HTTPS", DOMAIN, 443, "/agent"],
      ["HTTPS", DOMAIN, 443, "/api/auth/health"],
    ]);
    const uptime = run.byType(T.alarm).filter((a) => a.inputs.namespace === "AWS/Route53");
    expect(uptime.map((a) => (a.inputs.dimensions as Record<string, string>).HealthCheckId).sort()).toEqual(checks.map((c) => c.id).sort());
    for (const a of uptime) expect(a.inputs.region).toBe("us-east-1");
    const siteDown = alarm(run, "catalyst-prod-site-down");
    expect(siteDown.region).toBe("us-east-1");
    for (const a of uptime) expect(String(siteDown.alarmRule)).toContain(`ALARM("${nameOf(a)}")`);
  });

  it("gives operators the on-call topics, the site-down alarm and the dashboard", () => {
    const out = run.stackOutputs;
    expect(String(plain(out.oncallTopicArn))).toBe(`arn:aws:sns:${REGION}:123456789012:catalyst-prod-oncall`);
    expect(String(plain(out.uptimeTopicArn))).toBe("arn:aws:sns:us-east-1:123456789012:catalyst-prod-oncall");
    expect(out.siteDownAlarmName).toBe("catalyst-prod-site-down");
    expect(out.dashboardUrl).toBe(`https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#dashboards/dashboard/catalyst-prod-oncall`);
  });

  it("synthesizes in preview: topics encrypted and alarm rules known, every alarm with one action", async () => {
    const preview = await runProgram({ preview: true });
    for (const t of preview.byType(T.topic).filter((x) => String(x.inputs.name).endsWith("-oncall")))
      expect(t.inputs.kmsMasterKeyId).toBe("alias/catalyst-prod-oncall");
    expect(alarm(preview, "catalyst-prod-site-down").alarmRule).not.toBe(UNKNOWN);
    for (const a of alarms(preview)) expect([a.inputs.actionsEnabled, (a.inputs.alarmActions as Json[]).length]).toEqual([true, 1]);
  });

  it("refuses a production stack without a runbook URL, or with a plain-HTTP one", async () => {
    await expect(runProgram({ override: { "catalyst:runbookBaseUrl": undefined } })).rejects.toThrow(/catalyst:runbookBaseUrl: is required but not set/);
    await expect(runProgram({ override: { "catalyst:runbookBaseUrl": "http://wiki.example.com/runbooks" } })).rejects.toThrow(
      /runbookBaseUrl: "http:\/\/wiki\.example\.com\/runbooks" must be an https:\/\/ URL/,
    );
  });
});
