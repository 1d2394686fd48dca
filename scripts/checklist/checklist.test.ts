import { readFileSync } from "fs";
import * as path from "path";
import { allPolicies } from "../../policies/all";
import { catalystResourcePolicy } from "../../policies/lib";
import { generateDocs } from "../checklist";
import { StateResource } from "../lib/analyzer/model";
import { buildRows, loadRequirements, readmeMarkers, renderArchitecture, renderReadmeTraceability, ROOT, spliceReadme, TraceabilityError } from "./generate";
import { TRACEABILITY } from "./traceability";

const requirements = loadRequirements();

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    if (e instanceof TraceabilityError) return e.problems;
    throw e;
  }
  return [];
}

describe("npm run checklist", () => {
  it("docs/checklist.md and docs/architecture.md are up to date (run `npm run checklist` after changing policies, traceability or the stack)", async () => {
    const docs = await generateDocs();
    for (const [file, text] of Object.entries(docs)) {
      expect({ file, current: readFileSync(path.join(ROOT, file), "utf8") === text }).toEqual({ file, current: true });
    }
  });

  it("maps every deployment checklist item of the seed to evidence, with every reference valid", () => {
    const rows = buildRows(requirements, allPolicies, TRACEABILITY);
    expect(requirements.checklist.map((c) => c.text).filter((t) => !rows.some((r) => r.item === t))).toEqual([]);
    const doc = readFileSync(path.join(ROOT, "docs/checklist.md"), "utf8");
    for (const c of requirements.checklist) expect(doc).toContain(`| ${c.text.replace(/\|/g, "\\|")} |`);
  });

  it("summarizes every checklist item in the README, with the policies that block it", () => {
    const table = renderReadmeTraceability(buildRows(requirements, allPolicies, TRACEABILITY), requirements).split("\n");
    expect(table).toHaveLength(2 + requirements.checklist.length);
    expect(table).toContainEqual(expect.stringMatching(/^\| Database › Database connection uses TLS\/SSL \| `rds-require-secure-transport`.*\| verify-db \|/));
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    for (const c of requirements.checklist) expect(readme).toContain(`| ${c.group} › ${c.text.replace(/\|/g, "\\|")} |`);
    expect(readme).toMatch(/<!-- architecture:start[^\n]*-->\n```mermaid\nflowchart LR\n/);
  });

  it("replaces only the text between a README block's markers, and names a missing block", () => {
    const [start, end] = readmeMarkers("x");
    expect(spliceReadme(`a\n${start}\nold\n${end}\nb`, "x", "new")).toBe(`a\n${start}\nnew\n${end}\nb`);
    expect(problemsOf(() => spliceReadme("no markers", "x", "new"))).toEqual([`README.md has no generated block x (${start} … ${end})`]);
  });

  it("fails when an item maps to nothing", () => {
    const { "Error reporting service integrated": _dropped, ...rest } = TRACEABILITY;
    expect(problemsOf(() => buildRows(requirements, allPolicies, rest))).toEqual([
      "Error reporting service integrated: maps to nothing (no policy, component, test, live check, doc or manual reason)",
    ]);
  });

  it("fails on references that do not exist, and on requirement texts that are not in the seed", () => {
    const broken = {
      ...TRACEABILITY,
      "Linting passes (`bun run lint`)": {
        components: ["infra/edge/edge.ts#NoSuchClass", "infra/nowhere.ts#X"],
        tests: ["infra/none.test.ts"],
        verifier: ["verify-edge:headers.nope", "verify-x:y"],
      },
      "Linting passes": { manual: "typo" },
    };
    const policy = catalystResourcePolicy({
      name: "p",
      description: "d",
      severity: "low",
      remediationSteps: "r",
      checklist: ["Nowhere › x"],
      validateResource: () => undefined,
    });
    expect(problemsOf(() => buildRows(requirements, [...allPolicies, policy], broken))).toEqual([
      'policy p: "Nowhere" is not a heading of the requirements',
      "Linting passes (`bun run lint`): infra/edge/edge.ts has no exported class NoSuchClass",
      "Linting passes (`bun run lint`): component file infra/nowhere.ts does not exist",
      "Linting passes (`bun run lint`): test infra/none.test.ts does not exist",
      'Linting passes (`bun run lint`): verify-edge has no check "headers.nope"',
      "Linting passes (`bun run lint`): unknown verifier tool verify-x in verify-x:y",
      'traceability: "Linting passes" is not the exact text of a Deployment Checklist item',
    ]);
  });
});

describe("architecture diagram", () => {
  const P = "urn:pulumi:prod::catalyst::";
  const r = (type: string, name: string, extra: Partial<StateResource> = {}): StateResource => ({
    urn: `${P}${type}::${name}`,
    type,
    custom: !type.startsWith("catalyst:"),
    ...extra,
  });
  const stack = r("pulumi:pulumi:Stack", "catalyst-prod", { custom: false });

  it("draws components as boxes with their resource counts and component dependencies as arrows", () => {
    const net = r("catalyst:network:Network", "network", { parent: stack.urn });
    const db = r("catalyst:database:Database", "db", { parent: stack.urn });
    const vpc = r("aws:ec2/vpc:Vpc", "vpc", { parent: net.urn });
    const inst = r("aws:rds/instance:Instance", "db-instance", { parent: db.urn, propertyDependencies: { vpcSecurityGroupIds: [vpc.urn] } });
    const text = renderArchitecture([stack, net, db, vpc, inst]);
    expect(text).toContain('["Network network (1)"]');
    expect(text).toContain('["Database db (1)"]');
    expect(text).toMatch(/\n {2}(n\w+) --> (n\w+)\n```/);
    const [, from, to] = /\n {2}(n\w+) --> (n\w+)\n/.exec(text) ?? [];
    expect(text).toContain(`${from}["Database db (1)"]`);
    expect(text).toContain(`${to}["Network network (1)"]`);
  });
});
