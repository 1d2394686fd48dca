import { PolicyResource } from "@pulumi/policy";
import { catalystStackPolicy, ofType, peek, PreviewGaps, resolveReference, UNKNOWN } from "./lib";

const INSTANCE = "aws:rds/instance:Instance";
const PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup";

/** How the parameter group sets require_secure_transport: "on", "off" (absent or another value), or unknown. */
function secureTransport(group: PolicyResource): "on" | "off" | typeof UNKNOWN {
  const parameters = peek(group.props, "parameters");
  if (parameters === UNKNOWN) return UNKNOWN;
  if (!Array.isArray(parameters)) return "off";
  for (let i = 0; i < parameters.length; i++) {
    const p = peek(parameters, i);
    if (p === UNKNOWN) return UNKNOWN;
    const name = peek(p, "name");
    if (name === UNKNOWN) return UNKNOWN;
    if (typeof name !== "string" || name.toLowerCase() !== "require_secure_transport") continue;
    const value = peek(p, "value");
    if (value === UNKNOWN) return UNKNOWN;
    return ["1", "on", "true"].includes(String(value).toLowerCase()) ? "on" : "off";
  }
  return "off";
}

export const rdsRequireSecureTransport = catalystStackPolicy({
  name: "rds-require-secure-transport",
  description: "The parameter group attached to each RDS MySQL instance must set require_secure_transport=1, so the server refuses unencrypted connections.",
  severity: "critical",
  remediationSteps:
    'Attach an aws.rds.ParameterGroup (family mysql8.4) from this stack to the instance via `parameterGroupName`, with the parameter `{ name: "require_secure_transport", value: "1" }`. The RDS default group leaves it OFF.',
  checklist: ["Database connection uses TLS/SSL", "Database Security › TLS/SSL for database connections"],
  validateStack: (args, reportViolation) => {
    const groups = ofType(args.resources, PARAMETER_GROUP);
    const gaps = new PreviewGaps();
    const instances = ofType(args.resources, INSTANCE);
    if (instances.length === 0) args.notApplicable("no RDS instance in the stack");
    for (const db of instances) {
      if (peek(db.props, "parameterGroupName") === undefined && db.propertyDependencies.parameterGroupName === undefined) {
        reportViolation("no parameterGroupName: the RDS default parameter group leaves require_secure_transport OFF.", db.urn);
        continue;
      }
      const attached = resolveReference(db, "parameterGroupName", groups, ["name", "id"]);
      if (attached === undefined) {
        gaps.add(`${db.name}.parameterGroupName`);
        continue;
      }
      if (attached.length === 0) {
        const named = JSON.stringify(peek(db.props, "parameterGroupName"));
        reportViolation(
          `parameterGroupName ${named} is not a parameter group of this stack (the RDS default group leaves require_secure_transport OFF): it cannot be verified.`,
          db.urn,
        );
        continue;
      }
      for (const group of attached) {
        const state = secureTransport(group);
        if (state === UNKNOWN) gaps.add(`${group.name}.parameters`);
        else if (state === "off")
          reportViolation(`parameter group ${group.name} does not set require_secure_transport=1: unencrypted connections are accepted.`, db.urn);
      }
    }
    gaps.settle("the attached parameter group or its parameters are not known");
  },
});
