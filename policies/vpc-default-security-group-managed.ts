import { catalystStackPolicy, decideAtUp } from "./lib";
import { refersTo } from "./lib/references";
import { DEFAULT_SECURITY_GROUP } from "./lib/security-group-rules";

const VPC = "aws:ec2/vpc:Vpc";

/**
 * Advisory: an unmanaged default group keeps AWS's rules (members reach each other and anywhere),
 * which only matters if something is ever launched without an explicit group. Worth a warning on
 * every preview; `default-security-group-closed` blocks once the group is managed.
 */
export const vpcDefaultSecurityGroupManaged = catalystStackPolicy({
  name: "vpc-default-security-group-managed",
  description: "Every VPC of the stack should manage its default security group (so that it can be kept without rules).",
  severity: "low",
  enforcementLevel: "advisory",
  remediationSteps: "Add `new aws.ec2.DefaultSecurityGroup(name, { vpcId: vpc.id })` without ingress/egress for each aws.ec2.Vpc.",
  checklist: ["Server firewall configured (allow 80, 443; block 3000, 3001)"],
  validateStack: (args, reportViolation) => {
    const defaults = args.resources.filter((r) => r.type === DEFAULT_SECURITY_GROUP);
    const unresolved = defaults.filter((d) => !args.resources.some((v) => v.type === VPC && refersTo(d, "vpcId", v, "id")));
    for (const vpc of args.resources.filter((r) => r.type === VPC)) {
      if (defaults.some((d) => refersTo(d, "vpcId", vpc, "id"))) continue;
      // A default group whose VPC is still unresolved at preview may be this VPC's.
      if (unresolved.length > 0) continue;
      reportViolation(`VPC ${vpc.name} does not manage its default security group: AWS's default rules stay in place.`, vpc.urn);
    }
    if (unresolved.length > 0) {
      decideAtUp(unresolved.map((d) => `${d.name}.vpcId`).join(", "), "default security groups are matched to VPCs by dependency or id");
    }
  },
});
