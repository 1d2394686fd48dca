// Pack-wide metadata rules: every policy is one file named after it, carries the fields the engine
// shows, and traces to the security requirements.
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import { allPolicies } from "./all";
import { parseRequirements, policyMeta, requirementProblem } from "./lib";

const requirements = parseRequirements(readFileSync(path.join(__dirname, "../docs/security-requirements.md"), "utf8"));

describe.each(allPolicies.map((p) => [p.name, p] as const))("%s", (name, policy) => {
  it("lives in policies/<name>.ts with a test beside it", () => {
    expect(existsSync(path.join(__dirname, `${name}.ts`))).toBe(true);
    expect(existsSync(path.join(__dirname, `${name}.test.ts`))).toBe(true);
  });

  it("has description, severity, remediation steps and an enforcement level", () => {
    expect(policy.description.length).toBeGreaterThan(10);
    expect(policy.remediationSteps?.length ?? 0).toBeGreaterThan(10);
    expect(["low", "medium", "high", "critical"]).toContain(policy.severity);
    expect(["advisory", "mandatory"]).toContain(policy.enforcementLevel);
  });

  it("names requirements that exist in docs/security-requirements.md", () => {
    const meta = policyMeta(policy);
    expect(meta?.checklist.length ?? 0).toBeGreaterThan(0);
    expect((meta?.checklist ?? []).map((item) => requirementProblem(item, requirements)).filter(Boolean)).toEqual([]);
  });
});

it("policy names are unique", () => {
  const names = allPolicies.map((p) => p.name);
  expect(new Set(names).size).toBe(names.length);
});
