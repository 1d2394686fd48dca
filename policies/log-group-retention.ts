import { catalystResourcePolicy, decideAtUp, forTypes, peek, UNKNOWN } from "./lib";

/** Default minimum retention: 30 days of logs to investigate an incident. */
export const DEFAULT_MIN_RETENTION_DAYS = 30;

export const logGroupRetention = catalystResourcePolicy({
  name: "log-group-retention",
  description: "CloudWatch log groups must set a retention of at least the configured minimum (default 30 days); never-expire is not a retention policy.",
  severity: "medium",
  remediationSteps:
    "Set `retentionInDays` on the aws.cloudwatch.LogGroup to a CloudWatch-accepted value at or above the minimum (e.g. 30, 90, 365). " +
    "Unset or 0 keeps logs forever, including any personal data they hold.",
  checklist: ["Application logs aggregated"],
  configSchema: { properties: { minRetentionDays: { type: "integer", minimum: 1, default: DEFAULT_MIN_RETENTION_DAYS } } },
  validateResource: forTypes("aws:cloudwatch/logGroup:LogGroup", (props, args, reportViolation) => {
    const minimum = args.getConfig<{ minRetentionDays?: number }>().minRetentionDays ?? DEFAULT_MIN_RETENTION_DAYS;
    const days = peek(props, "retentionInDays");
    if (days === UNKNOWN) decideAtUp("retentionInDays", "the retention must be a literal in the program");
    if (typeof days !== "number" || days <= 0) {
      reportViolation("retentionInDays is not set: the log group keeps everything forever.");
    } else if (days < minimum) {
      reportViolation(`retentionInDays is ${days}; it must be at least ${minimum}.`);
    }
  }),
});
