import { catalystResourcePolicy, forTypes, peek, requireKnown, UNKNOWN } from "./lib";

export const rdsDeletionProtection = catalystResourcePolicy({
  name: "rds-deletion-protection",
  description: "RDS instances must have deletion protection and keep a final snapshot on deletion.",
  severity: "high",
  remediationSteps:
    "Set `deletionProtection: true` and leave `skipFinalSnapshot` false with a `finalSnapshotIdentifier` on the aws.rds.Instance (non-production stacks may set this policy advisory in their policy pack config).",
  checklist: ["Database backups configured and tested", "Database Security › Regular backups: store backups in a separate secure location"],
  validateResource: forTypes("aws:rds/instance:Instance", (props, _args, reportViolation) => {
    const skip = peek(props, "skipFinalSnapshot");
    if (skip === true) reportViolation("skipFinalSnapshot is true: deleting the instance destroys its data without a final snapshot.");
    const protectedFlag = requireKnown(props, "deletionProtection", "deletionProtection must be a literal in the program");
    if (protectedFlag !== true) {
      reportViolation(
        `deletionProtection is ${protectedFlag === undefined ? "not set (AWS default: false)" : JSON.stringify(protectedFlag)}: the database can be deleted by one API call.`,
      );
    }
    if (skip === UNKNOWN) requireKnown(props, "skipFinalSnapshot", "skipFinalSnapshot must be a literal in the program");
  }),
});
