// The whole pack on the REAL prod stack (offline synth), through the analyzer protocol:
// the stack is clean, every undecidable finding at preview is explicit, and every policy catches
// an insecure variant of the real resources (the mutation suite).
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { Finding } from "../scripts/lib/analyzer/diagnostics";
import { openPack, PackSession, evaluatePack } from "../scripts/lib/analyzer/evaluate";
import { loadDeployment } from "../scripts/lib/analyzer/input";
import { StateResource } from "../scripts/lib/analyzer/model";
import { RunningAnalyzer, startAnalyzer } from "../scripts/lib/analyzer/process";
import { synthesize } from "../scripts/synth";
import { allPolicies } from "./all";
import { applyMutation, MUTATIONS } from "./mutations";

const tmp = mkdtempSync(path.join(tmpdir(), "pack-synth-"));
let analyzer: RunningAnalyzer;
let up: StateResource[];
let preview: StateResource[];

async function synth(previewMode: boolean): Promise<StateResource[]> {
  const { file } = await synthesize({ stack: "prod", preview: previewMode, out: path.join(tmp, `${previewMode}.json`) });
  return loadDeployment(JSON.parse(readFileSync(file, "utf8"))).resources;
}

beforeAll(async () => {
  [analyzer, up, preview] = await Promise.all([startAnalyzer(path.join(__dirname)), synth(false), synth(true)]);
}, 180_000);
afterAll(async () => {
  await analyzer?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const describeFinding = (f: Finding) => `${f.policy} [${f.level}] ${f.urn.split("::").pop()}: ${f.message}`;

describe("the prod stack under the whole pack", () => {
  it("has zero mandatory violations after deploy (all values known)", async () => {
    const r = await evaluatePack({ kind: "stack export", resources: up }, { analyzer });
    expect(r.violations.filter((v) => v.level === "mandatory").map(describeFinding)).toEqual([]);
    expect(r.undecidable).toBe(0);
    expect(r.policies).toHaveLength(allPolicies.length);
  });

  it("has zero mandatory violations at preview, and says explicitly what waits for `pulumi up`", async () => {
    const r = await evaluatePack({ kind: "preview", resources: preview }, { analyzer });
    expect(r.violations.filter((v) => v.level === "mandatory").map(describeFinding)).toEqual([]);
    // A policy that stumbles on an unknown value gets the analyzer's generic message and silently
    // stops blocking; every undecidable finding must instead be the policy's explicit decideAtUp.
    const implicit = r.violations.filter((v) => v.undecidable && !/is unknown during preview; decided at `pulumi up`: /.test(v.message));
    expect(implicit.map(describeFinding)).toEqual([]);
    const waiting = [...new Set(r.violations.filter((v) => v.undecidable).map((v) => v.policy))].sort();
    console.log(`policies that decide at \`pulumi up\` for some prod resources: ${waiting.join(", ") || "none"}`);
  });
});

describe("mutation suite: insecure variants of the real resources are caught by the expected policy", () => {
  let session: PackSession;
  const table: [string, string, string][] = [];

  let stackBaseline: Promise<Finding[]> | undefined;
  const baselineStack = (): Promise<Finding[]> => (stackBaseline ??= session.analyzeStack(up));
  const key = (f: Finding): string => `${f.policy}|${f.urn}|${f.message}`;

  beforeAll(async () => {
    session = await openPack({ analyzer });
  });
  afterAll(() => {
    const widths = [0, 1].map((c) => Math.max(...table.map((row) => row[c].length), 8));
    const lines = table.map((row) => `${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2]}`);
    console.log(["MUTATION".padEnd(widths[0]) + "  " + "POLICY".padEnd(widths[1]) + "  CAUGHT", ...lines].join("\n"));
  });

  it("covers every policy of the pack", () => {
    const covered = new Set(MUTATIONS.map((m) => m.policy));
    expect(allPolicies.map((p) => p.name).filter((n) => !covered.has(n))).toEqual([]);
  });

  it.each(MUTATIONS.map((m) => [m.name, m] as const))("%s", async (_name, m) => {
    const policy = session.policies.find((p) => p.name === m.policy);
    expect(policy).toBeDefined();
    const { resources, changed } = applyMutation(up, m);
    const isStack = policy?.type === "stack";
    const findings = isStack ? await session.analyzeStack(resources) : await session.analyze(changed, resources);
    // Only what the mutation introduced counts: the same analysis of the unmutated stack is subtracted.
    const originals = up.filter((r) => changed.some((c) => c.urn === r.urn));
    const before = new Set((isStack ? await baselineStack() : await session.analyze(originals, up)).map(key));
    const caught = findings.filter((f) => f.policy === m.policy && !f.undecidable && f.level === policy?.level && !before.has(key(f)));
    table.push([m.name, m.policy, caught.length > 0 ? `yes (${policy?.level}): ${caught[0].message.slice(0, 90)}` : "NO"]);
    expect(caught.map((f) => f.policy)).toContain(m.policy);
  });
});
