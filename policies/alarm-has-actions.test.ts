import { alarmHasActions } from "./alarm-has-actions";
import { runResourcePolicy, UNKNOWN } from "./testing";

const METRIC = "aws:cloudwatch/metricAlarm:MetricAlarm";
const COMPOSITE = "aws:cloudwatch/compositeAlarm:CompositeAlarm";
const TOPIC = "arn:aws:sns:eu-west-1:111122223333:catalyst-alerts";
const alarm = (): Record<string, unknown> => ({
  comparisonOperator: "GreaterThanThreshold",
  evaluationPeriods: 1,
  metricName: "HTTPCode_ELB_5XX_Count",
  namespace: "AWS/ApplicationELB",
  period: 300,
  statistic: "Sum",
  threshold: 10,
  alarmActions: [TOPIC],
  okActions: [TOPIC],
});
const run = (props: Record<string, unknown>, type = METRIC) => runResourcePolicy(alarmHasActions, { type, props });

describe("alarm-has-actions", () => {
  it("passes metric and composite alarms that notify the alerts topic", async () => {
    expect(await run(alarm())).toMatchObject({ violations: [], undecidable: false, notApplicable: false });
    expect((await run({ alarmName: "c", alarmRule: "ALARM(a)", alarmActions: [TOPIC], actionsEnabled: true }, COMPOSITE)).violations).toEqual([]);
  });

  it("blocks an alarm without alarmActions", async () => {
    const { alarmActions: _omit, ...props } = alarm();
    const r = await run(props);
    expect(r.violations).toEqual(["alarmActions is not set: nobody is notified when the alarm fires."]);
    expect(r.findings[0].level).toBe("mandatory");
  });

  it("blocks an empty alarmActions list (okActions alone do not page)", async () => {
    expect((await run({ ...alarm(), alarmActions: [] })).violations).toEqual(["alarmActions is empty: nobody is notified when the alarm fires."]);
  });

  it("blocks actionsEnabled false on a composite alarm", async () => {
    expect((await run({ alarmName: "c", alarmRule: "ALARM(a)", alarmActions: [TOPIC], actionsEnabled: false }, COMPOSITE)).violations).toEqual([
      "actionsEnabled is false: the alarm changes state without notifying anyone.",
    ]);
  });

  it("is not applicable to other types", async () => {
    expect(await run({}, "aws:sns/topic:Topic")).toMatchObject({ violations: [], notApplicable: true });
  });

  it("decides at preview when the topic ARN inside alarmActions is unknown (the entry still counts)", async () => {
    const r = await runResourcePolicy(
      alarmHasActions,
      { type: METRIC, props: { ...alarm(), alarmActions: [UNKNOWN], dimensions: { LoadBalancer: UNKNOWN } } },
      { preview: true },
    );
    expect(r).toMatchObject({ violations: [], undecidable: false });
  });

  it("says explicitly when the whole alarmActions list is unknown at preview", async () => {
    const r = await runResourcePolicy(alarmHasActions, { type: METRIC, props: { ...alarm(), alarmActions: UNKNOWN } }, { preview: true });
    expect(r).toMatchObject({ violations: [], undecidable: true });
    expect(r.findings[0].message).toMatch(/alarmActions is unknown during preview; decided at `pulumi up`/);
  });
});
