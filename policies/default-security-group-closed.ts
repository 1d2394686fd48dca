import { catalystResourcePolicy, decideAtUp, forTypes, peek, UNKNOWN } from "./lib";
import { DEFAULT_SECURITY_GROUP } from "./lib/security-group-rules";

/**
 * Every resource launched without an explicit group lands in the VPC's default group, whose AWS
 * default rules let its members talk to each other and reach anywhere. Managing it with no rules
 * (the provider then removes AWS's defaults) makes such an accident fail closed.
 */
export const defaultSecurityGroupClosed = catalystResourcePolicy({
  name: "default-security-group-closed",
  description: "A VPC's default security group must have no ingress and no egress rules.",
  severity: "medium",
  remediationSteps:
    "Declare aws.ec2.DefaultSecurityGroup for the VPC with no `ingress` and no `egress` (the provider then revokes AWS's default rules); " +
    "give every resource its own security group instead.",
  checklist: ["Server firewall configured (allow 80, 443; block 3000, 3001)"],
  validateResource: forTypes(DEFAULT_SECURITY_GROUP, (props, _args, reportViolation) => {
    const unknown: string[] = [];
    for (const key of ["ingress", "egress"]) {
      const rules = peek(props, key);
      if (rules === UNKNOWN) unknown.push(key);
      else if (Array.isArray(rules) && rules.length > 0) {
        reportViolation(`The default security group keeps ${rules.length} ${key} rule(s); it must have none.`);
      }
    }
    if (unknown.length > 0) decideAtUp(unknown.join(", "), "the default security group's rules must be literals in the program");
  }),
});
