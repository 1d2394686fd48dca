import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** One policy diagnostic, as the engine would report it. */
export interface Finding {
  policy: string;
  level: EnforcementLevel;
  urn: string;
  /** The policy's own message (the analyzer prefixes it with the description; that is cut off here). */
  message: string;
  /** The policy could not decide because it read a value unknown at preview (or an encrypted secret). */
  undecidable: boolean;
}

// How the analyzer phrases a policy that read an unknown value (server.js in @pulumi/policy).
const UNDECIDABLE = /^can't run policy '/;

export function levelName(level: analyzerpb.EnforcementLevel): EnforcementLevel {
  switch (level) {
    case analyzerpb.EnforcementLevel.ADVISORY:
      return "advisory";
    case analyzerpb.EnforcementLevel.MANDATORY:
      return "mandatory";
    case analyzerpb.EnforcementLevel.REMEDIATE:
      return "remediate";
    case analyzerpb.EnforcementLevel.DISABLED:
      return "disabled";
    default:
      throw new Error(`unknown enforcement level ${level}`);
  }
}

export function levelValue(level: EnforcementLevel): analyzerpb.EnforcementLevel {
  const values: Record<EnforcementLevel, analyzerpb.EnforcementLevel> = {
    advisory: analyzerpb.EnforcementLevel.ADVISORY,
    mandatory: analyzerpb.EnforcementLevel.MANDATORY,
    remediate: analyzerpb.EnforcementLevel.REMEDIATE,
    disabled: analyzerpb.EnforcementLevel.DISABLED,
  };
  return values[level];
}

/**
 * A diagnostic as the engine records it: the resource's URN for Analyze; for AnalyzeStack the
 * diagnostic's URN when it names a resource of the stack, else the stack's URN.
 */
export function toFinding(d: analyzerpb.AnalyzeDiagnostic, urn: string): Finding {
  const raw = d.getMessage();
  const prefix = `${d.getDescription()}\n`;
  const message = raw.startsWith(prefix) ? raw.slice(prefix.length) : raw;
  return {
    policy: d.getPolicyname(),
    level: levelName(d.getEnforcementlevel()),
    urn,
    message,
    undecidable: UNDECIDABLE.test(raw),
  };
}
