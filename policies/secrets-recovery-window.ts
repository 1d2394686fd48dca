import { catalystResourcePolicy, forTypes, requireKnown } from "./lib";

const DEFAULT_MIN_DAYS = 7;

export const secretsRecoveryWindow = catalystResourcePolicy({
  name: "secrets-recovery-window",
  description: "Secrets Manager secrets must keep a recovery window, so a deleted secret can be restored instead of breaking every task that reads it.",
  severity: "medium",
  remediationSteps:
    "Leave `recoveryWindowInDays` unset (AWS default 30) or set it to 7–30 on the aws.secretsmanager.Secret (catalyst:secretRecoveryWindowDays); 0 deletes immediately and irreversibly.",
  checklist: [
    "All environment variables set securely (not in code)",
    "Environment Variables › Critical Security Rules: use an environment variable manager (AWS Secrets Manager)",
  ],
  configSchema: { properties: { minimumDays: { type: "integer", minimum: 7, maximum: 30, default: DEFAULT_MIN_DAYS } } },
  validateResource: forTypes("aws:secretsmanager/secret:Secret", (props, args, reportViolation) => {
    const minimum = args.getConfig<{ minimumDays?: number }>().minimumDays ?? DEFAULT_MIN_DAYS;
    const days = requireKnown(props, "recoveryWindowInDays", "recoveryWindowInDays must be a literal in the program");
    if (days === undefined) return; // AWS default: 30 days
    if (typeof days !== "number" || days < minimum) {
      reportViolation(`recoveryWindowInDays is ${JSON.stringify(days)}; a deleted secret must stay recoverable for at least ${minimum} days.`);
    }
  }),
});
