import { catalystResourcePolicy, forTypes, requireKnown } from "./lib";

export const rdsNotPublic = catalystResourcePolicy({
  name: "rds-not-public",
  description: "RDS instances must not be publicly accessible.",
  severity: "critical",
  remediationSteps:
    "Set `publiclyAccessible: false` (a literal) on the aws.rds.Instance and reach the database through the private network (tunnel or in-VPC runner).",
  checklist: ["MySQL Configuration › Network isolation: the database is reachable only on a private network"],
  validateResource: forTypes("aws:rds/instance:Instance", (props, _args, reportViolation) => {
    const value = requireKnown(props, "publiclyAccessible", "publiclyAccessible must be a literal in the program");
    if (value === true) {
      reportViolation("publiclyAccessible is true: the database gets a public endpoint.");
    }
  }),
});
