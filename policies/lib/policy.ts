import {
  EnforcementLevel,
  Policy,
  PolicyConfigSchema,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  ReportViolation,
  Severity,
  StackValidation,
  StackValidationPolicy,
} from "@pulumi/policy";

/** The pack's name, as `pulumi preview --policy-pack` reports it. */
export const PACK_NAME = "catalyst-security";

/**
 * What a policy enforces, in the words of the security requirements (docs/security-requirements.md).
 * Each entry is either the EXACT text of a `- [ ]` line of the "Deployment Checklist", or, for a
 * requirement outside the checklist, `"<Section heading> › <short requirement>"`.
 */
export interface CatalystPolicyMeta {
  checklist: readonly string[];
}

interface CatalystPolicyCommon extends CatalystPolicyMeta {
  /** kebab-case, equal to the policy's file name under policies/. */
  name: string;
  /** What is wrong when the policy fires. */
  description: string;
  severity: Severity;
  /** How to fix a violation. */
  remediationSteps: string;
  /** Defaults to "mandatory": every seed "must"/"never" blocks the deploy. */
  enforcementLevel?: EnforcementLevel;
  configSchema?: PolicyConfigSchema;
}

export interface CatalystResourcePolicyDef extends CatalystPolicyCommon {
  validateResource: ResourceValidation | ResourceValidation[];
}

export interface CatalystStackPolicyDef extends CatalystPolicyCommon {
  validateStack: StackValidation;
}

// The checklist lives beside the policy object rather than on it, so the object the analyzer
// serves carries only fields @pulumi/policy knows, while the generator can still read it.
const metadata = new WeakMap<Policy, CatalystPolicyMeta>();

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function checkCommon(def: CatalystPolicyCommon): void {
  const problems: string[] = [];
  if (!KEBAB.test(def.name)) problems.push(`name "${def.name}" is not kebab-case`);
  if (!def.description.trim()) problems.push("description is empty");
  if (!def.remediationSteps.trim()) problems.push("remediationSteps is empty");
  if (def.checklist.length === 0) problems.push("checklist names no requirement");
  if (problems.length > 0) {
    throw new Error(`policy ${def.name}: ${problems.join("; ")}`);
  }
}

function register<P extends Policy>(policy: P, def: CatalystPolicyCommon): P {
  metadata.set(policy, { checklist: Object.freeze([...def.checklist]) });
  return policy;
}

function commonFields(def: CatalystPolicyCommon) {
  return {
    name: def.name,
    description: def.description,
    enforcementLevel: def.enforcementLevel ?? "mandatory",
    severity: def.severity,
    remediationSteps: def.remediationSteps,
    ...(def.configSchema ? { configSchema: def.configSchema } : {}),
  } satisfies Partial<Policy>;
}

export function catalystResourcePolicy(def: CatalystResourcePolicyDef): ResourceValidationPolicy {
  checkCommon(def);
  return register({ ...commonFields(def), validateResource: def.validateResource }, def);
}

export function catalystStackPolicy(def: CatalystStackPolicyDef): StackValidationPolicy {
  checkCommon(def);
  return register({ ...commonFields(def), validateStack: def.validateStack }, def);
}

/** The checklist items a policy enforces; undefined for a policy not built by the helpers above. */
export function policyMeta(policy: Policy): CatalystPolicyMeta | undefined {
  return metadata.get(policy);
}

export type TypedResourceCheck = (
  // Same type as @pulumi/policy's ResourceValidationArgs.props: values are whatever the program set.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  props: Record<string, any>,
  args: ResourceValidationArgs,
  reportViolation: ReportViolation,
) => Promise<void> | void;

/**
 * A resource validation that only runs for the given type tokens (e.g. "aws:rds/instance:Instance").
 * Tokens instead of SDK classes keep the pack free of @pulumi/aws, so the analyzer starts fast.
 * With one token the analyzer's own fast path marks other types not-applicable without calling us.
 */
export function forTypes(types: string | readonly string[], check: TypedResourceCheck): ResourceValidation {
  const tokens = typeof types === "string" ? [types] : [...types];
  const validate: ResourceValidation = (args, reportViolation) => {
    if (!tokens.includes(args.type)) {
      args.notApplicable(`Policy only applies to resources of type ${tokens.map((t) => `'${t}'`).join(", ")}`);
    }
    return check(args.props, args, reportViolation);
  };
  if (tokens.length === 1) {
    (validate as { __pulumiType?: string }).__pulumiType = tokens[0];
  }
  return validate;
}
