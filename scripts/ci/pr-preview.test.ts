import { spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { countViolations, MARKER, MAX_COMMENT, policySection, previewArgs, renderComment, truncateMiddle } from "./pr-preview";

/** What the Pulumi CLI prints for a preview that a mandatory policy blocks. */
const VIOLATING = `Previewing update (prod):

     Type                      Name            Plan       Info
     pulumi:pulumi:Stack       catalyst-prod              1 error
 ~   └─ aws:rds:Instance       catalyst-db     update     [diff: ~publiclyAccessible]; 1 error

Policies:
    ❌ catalyst-security@v0.1.0 (local: policies)
        - [mandatory]  rds-not-public  (aws:rds/instance:Instance: catalyst-db)
          RDS instances must not be publicly accessible.
          Set publiclyAccessible to false.
        - [advisory]  ecs-tags  (aws:ecs/service:Service: frontend)
          Services should carry an owner tag.

Diagnostics:
  pulumi:pulumi:Stack (catalyst-prod):
    error: preview failed

Resources:
    ~ 1 to update
    120 unchanged
`;

const PASSING = `Previewing update (prod):

Policies:
    ✅ catalyst-security@v0.1.0 (local: policies)

Resources:
    121 unchanged
`;

describe("pr-preview comment", () => {
  it("extracts the policy block up to the next heading", () => {
    const section = policySection(VIOLATING)!;
    expect(section.split("\n")[0]).toBe("Policies:");
    expect(section).toContain("- [mandatory]  rds-not-public  (aws:rds/instance:Instance: catalyst-db)");
    expect(section).toContain("Set publiclyAccessible to false.");
    expect(section).not.toContain("Diagnostics:");
    expect(policySection("no policies ran")).toBeUndefined();
  });

  it("counts mandatory and advisory violations", () => {
    expect(countViolations(VIOLATING)).toEqual({ mandatory: 1, advisory: 1 });
    expect(countViolations(PASSING)).toEqual({ mandatory: 0, advisory: 0 });
  });

  it("says a mandatory violation blocks the change and shows the violation before the full output", () => {
    const body = renderComment(
      { exitCode: 255, output: VIOLATING },
      { stack: "prod", sha: "0123456789abcdef0123", runUrl: "https://github.com/acme/x/actions/runs/1" },
    );
    expect(body.startsWith(MARKER)).toBe(true);
    expect(body).toContain("❌ 1 mandatory policy violation(s): this change cannot be deployed");
    expect(body).toContain("commit 0123456789ab");
    expect(body).toContain("[job log](https://github.com/acme/x/actions/runs/1)");
    expect(body.indexOf("rds-not-public")).toBeLessThan(body.indexOf("<details>"));
  });

  it("reports a passing preview, and a failure that is not a policy violation", () => {
    expect(renderComment({ exitCode: 0, output: PASSING }, { stack: "prod" })).toContain("✅ preview passed, no policy violations");
    expect(renderComment({ exitCode: 1, output: "error: could not load plugin" }, { stack: "prod" })).toContain("❌ preview failed (exit code 1)");
  });

  it("stays under GitHub's comment limit with a huge preview, keeping the policy block", () => {
    const huge = "x".repeat(200_000) + "\n" + VIOLATING;
    const body = renderComment({ exitCode: 255, output: huge }, { stack: "prod" });
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT);
    expect(body).toContain("[mandatory]  rds-not-public");
    expect(body).toContain("middle of the output truncated");
  });

  it("truncates in the middle and leaves short text alone", () => {
    expect(truncateMiddle("short", 100)).toBe("short");
    const t = truncateMiddle("A".repeat(500) + "B".repeat(500), 300);
    expect(t.length).toBeLessThanOrEqual(300);
    expect(t.startsWith("A")).toBe(true);
    expect(t.endsWith("B")).toBe(true);
  });

  it("cannot be closed early by backticks in the output", () => {
    const body = renderComment({ exitCode: 0, output: "```\n# injected heading" }, { stack: "prod" });
    expect(body.match(/^```/gm)).toHaveLength(2);
  });

  it("always passes the local policy pack to the CLI", () => {
    expect(previewArgs(["--stack", "prod"])).toEqual([
      "preview",
      "--stack",
      "prod",
      "--policy-pack",
      "./policies",
      "--diff",
      "--non-interactive",
      "--color",
      "never",
    ]);
    expect(() => previewArgs([])).toThrow(/usage/);
  });
});

interface Recorded {
  method: string;
  url: string;
  auth?: string;
  body?: { body: string };
}

/** A stand-in for the GitHub REST API on loopback, with optional existing comments on the PR. */
async function fakeGithub(existing: Array<{ id: number; body: string }>) {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      requests.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body: raw ? JSON.parse(raw) : undefined });
      res.setHeader("Content-Type", "application/json");
      res.end(req.method === "GET" ? JSON.stringify(existing) : JSON.stringify({ id: 99 }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { requests, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(r)) };
}

/** A fake `pulumi` that records its arguments and prints a canned preview. */
function fakePulumi(dir: string, output: string, exitCode: number): string {
  fs.writeFileSync(path.join(dir, "out.txt"), output);
  const bin = path.join(dir, "pulumi");
  fs.writeFileSync(bin, `#!/bin/sh\necho "$@" > "${dir}/args.txt"\ncat "${dir}/out.txt"\nexit ${exitCode}\n`, { mode: 0o755 });
  return bin;
}

function runScript(env: Record<string, string>): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(__dirname, "../ts.js"), path.join(__dirname, "pr-preview.ts"), "--stack", "prod", "--policy-pack", "./policies"],
      {
        env: { PATH: process.env.PATH ?? "", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stdout += c));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout }));
  });
}

describe("pr-preview end to end (fake CLI, fake GitHub API)", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "pr-preview-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const envFor = (api: string, bin: string) => ({
    GITHUB_TOKEN: "test-token",
    GITHUB_REPOSITORY: "acme/catalyst-infra",
    PR_NUMBER: "42",
    GITHUB_API_URL: api,
    PULUMI_BIN: bin,
    GITHUB_STEP_SUMMARY: path.join(dir, "summary.md"),
  });

  it("fails with the CLI's exit code on a mandatory violation and edits the existing PR comment", async () => {
    const gh = await fakeGithub([
      { id: 7, body: "unrelated" },
      { id: 8, body: `${MARKER}\nold preview` },
    ]);
    try {
      const { code } = await runScript(envFor(gh.url, fakePulumi(dir, VIOLATING, 255)));
      expect(code).toBe(255);
      expect(fs.readFileSync(path.join(dir, "args.txt"), "utf8").trim()).toBe(
        "preview --stack prod --policy-pack ./policies --diff --non-interactive --color never",
      );
      const edit = gh.requests.find((r) => r.method === "PATCH")!;
      expect(edit.url).toBe("/repos/acme/catalyst-infra/issues/comments/8");
      expect(edit.auth).toBe("Bearer test-token");
      expect(edit.body!.body).toContain("❌ 1 mandatory policy violation(s)");
      expect(gh.requests.some((r) => r.method === "POST")).toBe(false);
      expect(fs.readFileSync(path.join(dir, "summary.md"), "utf8")).toContain("rds-not-public");
    } finally {
      await gh.close();
    }
  });

  it("passes with a clean preview and creates the comment when there is none", async () => {
    const gh = await fakeGithub([]);
    try {
      const { code, stdout } = await runScript(envFor(gh.url, fakePulumi(dir, PASSING, 0)));
      expect(code).toBe(0);
      const created = gh.requests.find((r) => r.method === "POST")!;
      expect(created.url).toBe("/repos/acme/catalyst-infra/issues/42/comments");
      expect(created.body!.body).toContain("✅ preview passed");
      expect(stdout).toContain("PR comment created");
      expect(stdout).not.toContain("test-token");
    } finally {
      await gh.close();
    }
  });

  it("fails a clean preview whose result could not be posted, without printing the token", async () => {
    const { code, stdout } = await runScript(envFor("http://127.0.0.1:9", fakePulumi(dir, PASSING, 0)));
    expect(code).toBe(3);
    expect(stdout).toContain("could not comment on the PR");
    expect(stdout).not.toContain("test-token");
  });
});
