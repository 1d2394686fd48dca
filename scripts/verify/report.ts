// Shared result model of the live verifiers: every check is named, failing checks carry their fix,
// and the exit code is derived from the checks alone so text and --json always agree.

export type Status = "pass" | "fail" | "warn" | "not-tested";

export interface Check {
  id: string;
  status: Status;
  message: string;
  fix?: string;
}

export interface Report {
  tool: string;
  target: string;
  checks: Check[];
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_CANNOT_RUN = 2;

/** Bad arguments or unusable credentials source: exit 2, message shown as is (never a secret). */
export class UsageError extends Error {}
/** The target could not be reached or the session could not be established: exit 2. */
export class ConnectError extends Error {}

export const pass = (id: string, message: string): Check => ({ id, status: "pass", message });
export const fail = (id: string, message: string, fix: string): Check => ({ id, status: "fail", message, fix });
export const warn = (id: string, message: string, fix?: string): Check => ({ id, status: "warn", message, fix });
export const notTested = (id: string, message: string): Check => ({ id, status: "not-tested", message });

export function exitCodeOf(report: Report): number {
  return report.checks.some((c) => c.status === "fail") ? EXIT_FINDINGS : EXIT_OK;
}

function countBy(checks: Check[]): Record<Status, number> {
  const counts: Record<Status, number> = { pass: 0, fail: 0, warn: 0, "not-tested": 0 };
  for (const c of checks) counts[c.status] += 1;
  return counts;
}

const LABEL: Record<Status, string> = { pass: "PASS", fail: "FAIL", warn: "WARN", "not-tested": "NOT TESTED" };

export function renderText(report: Report): string {
  const lines = [`${report.tool}: ${report.target}`];
  for (const c of report.checks) {
    lines.push(`  ${LABEL[c.status].padEnd(10)} ${c.id}: ${c.message}`);
    if (c.fix && c.status !== "pass") lines.push(`  ${"".padEnd(10)} fix: ${c.fix}`);
  }
  const n = countBy(report.checks);
  lines.push(`${n.pass} passed, ${n.fail} failed, ${n.warn} warnings, ${n["not-tested"]} not tested`);
  return lines.join("\n") + "\n";
}

export function renderJson(report: Report): string {
  return JSON.stringify({ ...report, summary: countBy(report.checks), exitCode: exitCodeOf(report) }, null, 2) + "\n";
}
