import { catalystResourcePolicy, decideAtUp, forTypes, peek, UNKNOWN } from "./lib";

/**
 * The SNS topic ARN in `alarmActions` is usually unknown at preview, but the list's length is not:
 * an unknown entry still is an action, so the policy decides at preview.
 */
export const alarmHasActions = catalystResourcePolicy({
  name: "alarm-has-actions",
  description: "CloudWatch alarms must notify someone: actions enabled and at least one alarm action.",
  severity: "medium",
  remediationSteps: "Set `alarmActions: [alertsTopic.arn]` (the on-call SNS topic) and leave `actionsEnabled` unset or true.",
  checklist: ["Alert notifications configured"],
  validateResource: forTypes(["aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/compositeAlarm:CompositeAlarm"], (props, _args, reportViolation) => {
    const enabled = peek(props, "actionsEnabled");
    const actions = peek(props, "alarmActions");
    if (enabled === false) reportViolation("actionsEnabled is false: the alarm changes state without notifying anyone.");
    if (Array.isArray(actions) && actions.length === 0) reportViolation("alarmActions is empty: nobody is notified when the alarm fires.");
    if (actions === undefined || actions === null) reportViolation("alarmActions is not set: nobody is notified when the alarm fires.");
    const unknown = [enabled === UNKNOWN ? "actionsEnabled" : "", actions === UNKNOWN ? "alarmActions" : ""].filter(Boolean);
    if (unknown.length > 0) decideAtUp(unknown.join(", "), "alarm actions must be declared in the program");
  }),
});
