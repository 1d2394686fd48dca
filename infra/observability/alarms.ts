import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { alarmDescription, Runbook } from "./runbooks";

export type Comparison = "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";
/** How an alarm reads a period without data: chosen per alarm, with the reason next to it. */
export type MissingData = "breaching" | "notBreaching" | "ignore" | "missing";

export interface MetricRef {
  namespace: string;
  metricName: string;
  dimensions: Record<string, pulumi.Input<string>>;
  /** `Sum`, `Average`, `Minimum`, `Maximum`, `SampleCount`, or a percentile such as `p99`. */
  statistic: string;
  period: number;
}

export interface AlarmSpec {
  /** Suffix of the alarm name: `${namePrefix}-${id}`. */
  id: string;
  /** What the alarm means and what to check first; the runbook link is appended. */
  meaning: string;
  runbook: Runbook;
  /** A single metric, or a math expression over named metrics (`expression` uses their keys). */
  metric?: MetricRef;
  math?: { expression: string; label: string; metrics: Record<string, MetricRef> };
  comparison: Comparison;
  threshold: number;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  missingData: MissingData;
}

export interface AlarmTarget {
  namePrefix: string;
  region: string;
  runbookBaseUrl: string;
  /** Receives both ALARM and OK: on-call learns when it is over, too. */
  topicArn: pulumi.Input<string>;
}

const PERCENTILE = /^p\d{1,2}(\.\d+)?$/;

function statisticArgs(statistic: string): { statistic?: string; extendedStatistic?: string } {
  return PERCENTILE.test(statistic) ? { extendedStatistic: statistic } : { statistic };
}

function metricArgs(spec: AlarmSpec): Partial<aws.cloudwatch.MetricAlarmArgs> {
  if (spec.metric) {
    const m = spec.metric;
    return { namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions, period: m.period, ...statisticArgs(m.statistic) };
  }
  if (!spec.math) throw new Error(`alarm ${spec.id} has neither a metric nor a math expression`);
  const math = spec.math;
  return {
    metricQueries: [
      ...Object.entries(math.metrics).map(([id, m]) => ({
        id,
        returnData: false,
        metric: { namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions, period: m.period, stat: m.statistic },
      })),
      { id: "result", expression: math.expression, label: math.label, returnData: true },
    ],
  };
}

export function alarmName(namePrefix: string, id: string): string {
  return `${namePrefix}-${id}`;
}

/** One CloudWatch metric alarm that notifies `target.topicArn` on ALARM and on OK. */
export function createAlarm(resourceName: string, spec: AlarmSpec, target: AlarmTarget, opts: pulumi.CustomResourceOptions): aws.cloudwatch.MetricAlarm {
  return new aws.cloudwatch.MetricAlarm(
    resourceName,
    {
      region: target.region,
      name: alarmName(target.namePrefix, spec.id),
      alarmDescription: alarmDescription(spec.meaning, target.runbookBaseUrl, spec.runbook),
      ...metricArgs(spec),
      comparisonOperator: spec.comparison,
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm ?? spec.evaluationPeriods,
      treatMissingData: spec.missingData,
      actionsEnabled: true,
      alarmActions: [target.topicArn],
      okActions: [target.topicArn],
    },
    opts,
  );
}

/** `ALARM("a") OR ALARM("b")`: the composite rule over alarm names (literals, so the rule is known at preview). */
export function anyInAlarm(names: string[]): string {
  if (names.length === 0) throw new Error("a composite alarm needs at least one member");
  return names.map((n) => `ALARM(${JSON.stringify(n)})`).join(" OR ");
}
