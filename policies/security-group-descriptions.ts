import { catalystResourcePolicy, decideAtUp, forTypes, peek, UNKNOWN } from "./lib";
import { EC2_RULE, SECURITY_GROUP, VPC_EGRESS_RULE, VPC_INGRESS_RULE } from "./lib/security-group-rules";

// The providers' placeholder descriptions say nothing about the group's purpose.
const PLACEHOLDERS = ["managed by pulumi", "managed by terraform"];

function describes(value: unknown): boolean {
  return typeof value === "string" && value.trim() !== "" && !PLACEHOLDERS.includes(value.trim().toLowerCase());
}

/** Paths of inline rule blocks without a description; unknown blocks are collected apart. */
function inlineBlocks(props: unknown, key: string, missing: string[], unknown: string[]): void {
  const blocks = peek(props, key);
  if (blocks === UNKNOWN) {
    unknown.push(key);
    return;
  }
  const count = Array.isArray(blocks) ? blocks.length : 0;
  for (let i = 0; i < count; i++) {
    const description = peek(peek(blocks, i), "description");
    if (description === UNKNOWN) unknown.push(`${key}[${i}].description`);
    else if (!describes(description)) missing.push(`${key}[${i}]`);
  }
}

/**
 * Advisory: the requirements ask for a configured firewall, not for descriptions. Descriptions make
 * the firewall reviewable (why is this port open, and for whom), so a missing one is worth a warning
 * on every preview but not a blocked deploy.
 */
export const securityGroupDescriptions = catalystResourcePolicy({
  name: "security-group-descriptions",
  description: "Security groups and their rules should say what they allow and why (a non-empty, non-placeholder description).",
  severity: "low",
  enforcementLevel: "advisory",
  remediationSteps:
    'Set `description` on every aws.ec2.SecurityGroup (not the default "Managed by Pulumi"), on each inline ingress/egress block, ' +
    "and on every aws.vpc.SecurityGroupIngressRule/EgressRule and aws.ec2.SecurityGroupRule.",
  checklist: ["Server firewall configured (allow 80, 443; block 3000, 3001)"],
  validateResource: forTypes([SECURITY_GROUP, VPC_INGRESS_RULE, VPC_EGRESS_RULE, EC2_RULE], (props, args, reportViolation) => {
    const missing: string[] = [];
    const unknown: string[] = [];
    const own = peek(props, "description");
    if (own === UNKNOWN) unknown.push("description");
    else if (!describes(own)) missing.push(args.type === SECURITY_GROUP ? "the security group" : "the rule");
    if (args.type === SECURITY_GROUP) {
      inlineBlocks(props, "ingress", missing, unknown);
      inlineBlocks(props, "egress", missing, unknown);
    }
    if (missing.length > 0) reportViolation(`Missing description: ${missing.join(", ")}.`);
    if (unknown.length > 0) decideAtUp(unknown.join(", "), "descriptions should be literals in the program");
  }),
});
