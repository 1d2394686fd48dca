import { catalystResourcePolicy, forTypes, requireKnown } from "./lib";

const DEFAULT_MIN_DAYS = 7;

export const rdsBackupRetention = catalystResourcePolicy({
  name: "rds-backup-retention",
  description: "RDS instances must keep automated backups for at least 7 days.",
  severity: "high",
  remediationSteps:
    "Set `backupRetentionPeriod` to 7 or more (a literal; catalyst:dbBackupRetentionDays) on the aws.rds.Instance. 0 disables automated backups and point-in-time recovery.",
  checklist: ["Database backups configured and tested", "Database Security › Regular backups: automate daily backups"],
  configSchema: { properties: { minimumDays: { type: "integer", minimum: 1, maximum: 35, default: DEFAULT_MIN_DAYS } } },
  validateResource: forTypes("aws:rds/instance:Instance", (props, args, reportViolation) => {
    const minimum = args.getConfig<{ minimumDays?: number }>().minimumDays ?? DEFAULT_MIN_DAYS;
    const days = requireKnown(props, "backupRetentionPeriod", "backupRetentionPeriod must be a literal in the program");
    if (typeof days !== "number" || days < minimum) {
      const shown = days === undefined ? "not set (AWS default: 1 day)" : JSON.stringify(days);
      reportViolation(`backupRetentionPeriod is ${shown}; at least ${minimum} days are required.`);
    }
  }),
});
