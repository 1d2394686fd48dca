import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { synthesize } from "./synth";
import { REDACTED_CIPHERTEXT, StackExport } from "./lib/synth/export";
import { SECRET_SIG } from "./lib/offline/runtime";

const ROOT = path.resolve(__dirname, "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "synth-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function walk(value: unknown, visit: (v: unknown) => void): void {
  visit(value);
  if (Array.isArray(value)) value.forEach((v) => walk(v, visit));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => walk(v, visit));
}

describe("offline synth of the prod stack", () => {
  let first: string;
  let doc: StackExport;

  beforeAll(async () => {
    const a = await synthesize({ stack: "prod", preview: false, out: path.join(tmp, "a.json") });
    first = fs.readFileSync(a.file, "utf8");
    doc = JSON.parse(first) as StackExport;
  });

  it("writes a `pulumi stack export` (deployment v3) document with the stack resource", () => {
    expect(doc.version).toBe(3);
    expect(Array.isArray(doc.deployment.resources)).toBe(true);
    const stack = doc.deployment.resources.filter((r) => r.type === "pulumi:pulumi:Stack");
    expect(stack).toHaveLength(1);
    expect(stack[0].urn).toBe("urn:pulumi:prod::catalyst::pulumi:pulumi:Stack::catalyst-prod");
    for (const r of doc.deployment.resources) {
      expect(r.urn).toMatch(/^urn:pulumi:prod::catalyst::/);
      expect(typeof r.type).toBe("string");
      expect(typeof r.custom).toBe("boolean");
      expect(typeof r.inputs).toBe("object");
      expect(typeof r.outputs).toBe("object");
      if (r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:")) expect(r.parent).toBeDefined();
    }
  });

  it("gives every custom resource a provider reference (`<urn>::<id>`) to a provider resource in the file", () => {
    const providers = new Set(doc.deployment.resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => `${r.urn}::${r.id}`));
    const custom = doc.deployment.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    expect(custom.length).toBeGreaterThan(100);
    for (const r of custom) expect(providers).toContain(r.provider);
  });

  it("has every URN that README.md and docs/ tell operators to use (runbooks' --target/--replace/import)", () => {
    const docs = [
      "README.md",
      ...fs.readdirSync(path.join(ROOT, "docs")).map((f) => `docs/${f}`),
      ...fs.readdirSync(path.join(ROOT, "docs/runbooks")).map((f) => `docs/runbooks/${f}`),
    ];
    const named = docs
      .filter((f) => f.endsWith(".md"))
      .flatMap((f) => fs.readFileSync(path.join(ROOT, f), "utf8").match(/urn:pulumi:prod::catalyst::[^'"`\s)]+/g) ?? []);
    expect(named.length).toBeGreaterThan(0);
    const urns = new Set(doc.deployment.resources.map((r) => r.urn));
    expect(named.filter((u) => !urns.has(u))).toEqual([]);
  });

  it("is byte-identical across runs", async () => {
    const b = await synthesize({ stack: "prod", preview: false, out: path.join(tmp, "b.json") });
    expect(fs.readFileSync(b.file, "utf8")).toBe(first);
  });

  it("holds no secret in plaintext: every secret is a ciphertext object", () => {
    const secrets: unknown[] = [];
    walk(doc, (v) => {
      if (v && typeof v === "object" && !Array.isArray(v) && SECRET_SIG in v) secrets.push(v);
    });
    for (const s of secrets) expect(s).toEqual({ [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: REDACTED_CIPHERTEXT });
    // The mocks' stand-in passwords and keys must never appear outside a secret object.
    expect(first).not.toMatch(/mock-password-/);
    expect(first).not.toContain("offline-synth-standin");
  });

  it("also synthesizes as at preview, where computed values are unknown", async () => {
    const p = await synthesize({ stack: "prod", preview: true, out: path.join(tmp, "p.json") });
    const preview = JSON.parse(fs.readFileSync(p.file, "utf8")) as StackExport;
    expect(preview.deployment.resources.length).toBe(doc.deployment.resources.length);
  });
});

describe("npm run synth (CLI)", () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ["scripts/ts.js", "scripts/synth.ts", ...args], { cwd: ROOT, encoding: "utf8" });

  it("exits 2 with a usage message on a bad argument", () => {
    const r = run("--bogus");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown argument "--bogus"');
    expect(r.stderr).toContain("usage: npm run synth");
  });

  it("exits 2 naming the missing stack file, without a stack trace", () => {
    const r = run("--stack", "nosuchstack");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("no stack config file Pulumi.nosuchstack.yaml");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
