// Renders a PackResult for people (table + summary) and for machines (the audit's --json shape).
import { Finding } from "./diagnostics";
import { PackResult } from "./evaluate";

export interface JsonReport {
  violations: { policy: string; level: string; urn: string; message: string }[];
  resources: number;
  /** Diagnostics that are "can't decide" (unknown at preview or an encrypted secret), not compliance. */
  undecidable: number;
}

export function jsonReport(result: PackResult): JsonReport {
  return {
    violations: result.violations.map(({ policy, level, urn, message }) => ({ policy, level, urn, message })),
    resources: result.resources,
    undecidable: result.undecidable,
  };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ");
}

function levelLabel(f: Finding): string {
  return f.undecidable ? `${f.level} (undecidable)` : f.level;
}

export function table(findings: readonly Finding[]): string {
  const rows = [["POLICY", "LEVEL", "URN", "MESSAGE"], ...findings.map((f) => [f.policy, levelLabel(f), f.urn, oneLine(f.message)])];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c < 3 ? cell.padEnd(widths[c]) : cell))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function summary(result: PackResult): string {
  const advisory = result.violations.filter((v) => v.level === "advisory" && !v.undecidable).length;
  const parts = [
    `${result.mandatory} mandatory violation(s)`,
    `${advisory} advisory`,
    `${result.undecidable} undecidable (not compliant: unknown at preview or an encrypted secret; decided at pulumi up)`,
  ];
  const verdict = result.mandatory > 0 ? "BLOCKED" : "PASSED";
  return `${verdict}: ${parts.join(", ")} — ${result.resources} resources, ${result.policies.length} policies, ${(result.durationMs / 1000).toFixed(1)}s (${result.kind})`;
}

/** Exit code of the audit and of the synth: 1 when anything mandatory was violated. */
export function exitCode(result: PackResult): 0 | 1 {
  return result.mandatory > 0 ? 1 : 0;
}
