import { catalystStackPolicy, decideAtUp, peek, UNKNOWN } from "./lib";
import { LOAD_BALANCER_TYPES, loadBalancerType } from "./lib/alb";
import { refersTo } from "./lib/references";

const ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation";

/**
 * The sign-in rate rule and managed rules only act on a load balancer the web ACL is associated
 * with. Matched through the association's `resourceArn`: a property dependency on the load
 * balancer at preview (its ARN is unknown then), the ARN itself at `pulumi up`.
 */
export const wafAlbAssociation = catalystStackPolicy({
  name: "waf-alb-association",
  description: "Every internet-facing Application Load Balancer must have a WAF web ACL associated.",
  severity: "high",
  remediationSteps:
    "Add `new aws.wafv2.WebAclAssociation(name, { resourceArn: alb.arn, webAclArn: webAcl.arn })` for each internet-facing ALB, " +
    "with the REGIONAL web ACL that carries the sign-in rate rule.",
  checklist: ["Rate limiting configured on auth endpoints"],
  validateStack: (args, reportViolation) => {
    const associations = args.resources.filter((r) => r.type === ASSOCIATION);
    const unknown: string[] = [];
    for (const lb of args.resources.filter((r) => (LOAD_BALANCER_TYPES as readonly string[]).includes(r.type))) {
      const type = loadBalancerType(lb.props);
      const internal = peek(lb.props, "internal");
      if (type === UNKNOWN || internal === UNKNOWN) {
        unknown.push(`${lb.name} loadBalancerType/internal`);
        continue;
      }
      if (type !== "application" || internal === true) continue;
      if (associations.some((a) => refersTo(a, "resourceArn", lb, "arn"))) continue;
      reportViolation(`Internet-facing load balancer ${lb.name} has no WAF web ACL association.`, lb.urn);
    }
    if (unknown.length > 0) decideAtUp(unknown.join(", "), "whether a load balancer faces the internet must be a literal in the program");
  },
});
