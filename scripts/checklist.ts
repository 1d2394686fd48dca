// npm run checklist [-- --check]
// Regenerates docs/checklist.md (requirements → evidence), docs/architecture.md (Mermaid diagram of
// the prod synth) and the traceability summary in README.md. With --check, writes nothing and exits
// 1 when any of them is stale.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { allPolicies } from "../policies/all";
import {
  ARCHITECTURE_FILE,
  buildRows,
  CHECKLIST_FILE,
  loadRequirements,
  mermaidOf,
  README_FILE,
  renderArchitecture,
  renderChecklist,
  renderReadmeTraceability,
  ROOT,
  spliceReadme,
  TraceabilityError,
} from "./checklist/generate";
import { TRACEABILITY } from "./checklist/traceability";
import { loadDeployment } from "./lib/analyzer/input";
import { preflight } from "./lib/cli-args";

const USAGE = `usage: npm run checklist [-- --check]
  regenerates docs/checklist.md, docs/architecture.md and the traceability and architecture blocks of README.md
  --check  writes nothing; exits 1 when any of them is stale`;

/** The generated documents, keyed by repository path. */
export async function generateDocs(): Promise<Record<string, string>> {
  const requirements = loadRequirements();
  const rows = buildRows(requirements, allPolicies, TRACEABILITY);
  const checklist = renderChecklist(rows, requirements);
  // The synth module loads the program's dependencies; required lazily so --help stays fast.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthesize } = require("./synth") as typeof import("./synth");
  const dir = mkdtempSync(path.join(tmpdir(), "checklist-"));
  try {
    const { file } = await synthesize({ stack: "prod", preview: false, out: path.join(dir, "prod.json") });
    const resources = loadDeployment(JSON.parse(readFileSync(file, "utf8"))).resources;
    const architecture = renderArchitecture(resources);
    const readme = [
      ["traceability", renderReadmeTraceability(rows, requirements)],
      ["architecture", mermaidOf(architecture)],
    ].reduce((text, [name, content]) => spliceReadme(text, name, content), readFileSync(path.join(ROOT, README_FILE), "utf8"));
    return { [CHECKLIST_FILE]: checklist, [ARCHITECTURE_FILE]: architecture, [README_FILE]: readme };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  const stop = preflight("checklist", USAGE, argv, { flags: ["--check"] });
  if (stop !== undefined) return stop;
  const check = argv.includes("--check");
  const docs = await generateDocs();
  const stale = Object.entries(docs).filter(([file, text]) => !existsSync(path.join(ROOT, file)) || readFileSync(path.join(ROOT, file), "utf8") !== text);
  if (check) {
    for (const [file] of stale) console.error(`checklist: ${file} is stale: run npm run checklist`);
    return stale.length ? 1 : 0;
  }
  for (const [file, text] of stale) writeFileSync(path.join(ROOT, file), text);
  console.log(stale.length ? `checklist: wrote ${stale.map(([f]) => f).join(", ")}` : "checklist: up to date");
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`checklist: ${err instanceof TraceabilityError ? err.message : (err as Error).message}`);
      process.exit(2);
    },
  );
}
