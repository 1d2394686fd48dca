/**
 * Pull-request gate: runs `pulumi preview` with the policy pack, posts (or updates) one PR comment
 * with the policy verdict and the preview, and exits with the preview's exit code — so a mandatory
 * violation fails the job *and* is shown on the PR. (pulumi/actions only comments after a successful
 * command, which is exactly when the comment matters least.)
 *
 * Usage: node scripts/ts.js scripts/ci/pr-preview.ts --stack prod [--policy-pack ./policies]
 * Env: GITHUB_TOKEN, GITHUB_REPOSITORY, PR_NUMBER, GITHUB_API_URL (default https://api.github.com),
 *      GITHUB_SERVER_URL + GITHUB_RUN_ID (run link), PULUMI_BIN (default "pulumi"), GITHUB_STEP_SUMMARY.
 */
import { spawn } from "child_process";
import * as fs from "fs";

export const MARKER = "<!-- catalyst:pulumi-preview -->";
/** GitHub rejects comment bodies over 65,536 characters. */
export const MAX_COMMENT = 65_536;
const EXIT_COMMENT_FAILED = 3;

export interface PreviewResult {
  exitCode: number;
  output: string;
}

export interface CommentContext {
  stack: string;
  sha?: string;
  runUrl?: string;
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
const stripAnsi = (s: string) => s.replace(ANSI, "");

/** The CLI's "Policies:" block (pack verdicts and each violation), up to the next top-level heading. */
export function policySection(output: string): string | undefined {
  const lines = stripAnsi(output).split("\n");
  const start = lines.findIndex((l) => /^Policies:\s*$/.test(l));
  if (start < 0) return undefined;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => /^\S/.test(l));
  return [lines[start], ...(end < 0 ? rest : rest.slice(0, end))].join("\n").trimEnd();
}

export function countViolations(output: string): { mandatory: number; advisory: number } {
  const text = stripAnsi(output);
  const count = (level: string) => (text.match(new RegExp(`\\[${level}\\]`, "g")) ?? []).length;
  return { mandatory: count("mandatory"), advisory: count("advisory") };
}

/** Keeps the head (the plan) and the tail (diagnostics, policies) of an output too long for a comment. */
export function truncateMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = "\n\n… (middle of the output truncated; the full preview is in the job log) …\n\n";
  const keep = Math.max(0, max - note.length);
  return text.slice(0, Math.floor(keep / 2)) + note + text.slice(text.length - Math.ceil(keep / 2));
}

function verdict(r: PreviewResult, v: { mandatory: number; advisory: number }): string {
  if (r.exitCode === 0) return v.advisory > 0 ? `✅ preview passed, ${v.advisory} advisory policy finding(s)` : "✅ preview passed, no policy violations";
  if (v.mandatory > 0) return `❌ ${v.mandatory} mandatory policy violation(s): this change cannot be deployed`;
  return `❌ preview failed (exit code ${r.exitCode}): see the output below`;
}

const fence = (text: string) => "```text\n" + text.replace(/```/g, "``\u200b`") + "\n```";

export function renderComment(r: PreviewResult, ctx: CommentContext): string {
  const v = countViolations(r.output);
  const about = [`stack \`${ctx.stack}\``, ctx.sha ? `commit ${ctx.sha.slice(0, 12)}` : undefined, ctx.runUrl ? `[job log](${ctx.runUrl})` : undefined]
    .filter(Boolean)
    .join(" · ");
  const policies = policySection(r.output);
  const head = [MARKER, `### Pulumi preview — ${verdict(r, v)}`, about, ""];
  if (policies) head.push("#### Policy pack", fence(truncateMiddle(policies, 20_000)), "");
  const shell = (body: string) => [...head, "<details><summary>Full preview output</summary>", "", fence(body), "", "</details>"].join("\n");
  const room = MAX_COMMENT - shell("").length - 100;
  return shell(truncateMiddle(stripAnsi(r.output).trimEnd(), room));
}

export interface GithubTarget {
  apiUrl: string;
  token: string;
  repository: string;
  issue: number;
}

async function github(t: GithubTarget, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${t.apiUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${t.token}`,
      Accept: "application/vnd.github+json",
      "X-GitHub-Api-Version": "2022-11-28",
      "Content-Type": "application/json",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // The response text may echo the request; never the token, which only travels in the header.
  if (!res.ok) throw new Error(`GitHub API ${method} ${path} answered ${res.status}`);
  return res.json();
}

/** Edits this script's earlier comment on the PR (found by its marker) or creates one: one comment per PR, always current. */
export async function upsertComment(t: GithubTarget, body: string): Promise<"created" | "updated"> {
  const base = `/repos/${t.repository}/issues`;
  for (let page = 1; page <= 20; page++) {
    const comments = (await github(t, "GET", `${base}/${t.issue}/comments?per_page=100&page=${page}`)) as Array<{ id: number; body?: string }>;
    const mine = comments.find((c) => c.body?.startsWith(MARKER));
    if (mine) {
      await github(t, "PATCH", `${base}/comments/${mine.id}`, { body });
      return "updated";
    }
    if (comments.length < 100) break;
  }
  await github(t, "POST", `${base}/${t.issue}/comments`, { body });
  return "created";
}

export function previewArgs(argv: string[]): string[] {
  const opt = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const stack = opt("--stack");
  if (!stack) throw new Error("usage: pr-preview.ts --stack <stack> [--policy-pack <dir>]");
  return ["preview", "--stack", stack, "--policy-pack", opt("--policy-pack") ?? "./policies", "--diff", "--non-interactive", "--color", "never"];
}

/** Runs the CLI, streaming its output to the job log while keeping a copy for the comment. */
export function runPreview(bin: string, args: string[]): Promise<PreviewResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
    const keep = (stream: NodeJS.WriteStream) => (c: Buffer) => {
      chunks.push(c);
      stream.write(c);
    };
    child.stdout.on("data", keep(process.stdout));
    child.stderr.on("data", keep(process.stderr));
    child.on("error", (e) => resolve({ exitCode: 127, output: `could not start ${bin}: ${e.message}` }));
    child.on("close", (code) => resolve({ exitCode: code ?? 1, output: Buffer.concat(chunks).toString("utf8") }));
  });
}

function target(env: NodeJS.ProcessEnv): GithubTarget {
  const missing = ["GITHUB_TOKEN", "GITHUB_REPOSITORY", "PR_NUMBER"].filter((k) => !env[k]);
  if (missing.length) throw new Error(`missing environment: ${missing.join(", ")}`);
  return { apiUrl: env.GITHUB_API_URL ?? "https://api.github.com", token: env.GITHUB_TOKEN!, repository: env.GITHUB_REPOSITORY!, issue: Number(env.PR_NUMBER) };
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const args = previewArgs(argv);
  const gh = target(env);
  const result = await runPreview(env.PULUMI_BIN ?? "pulumi", args);
  const runUrl = env.GITHUB_SERVER_URL && env.GITHUB_RUN_ID ? `${env.GITHUB_SERVER_URL}/${gh.repository}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  const body = renderComment(result, { stack: args[2], sha: env.PR_HEAD_SHA ?? env.GITHUB_SHA, runUrl });
  if (env.GITHUB_STEP_SUMMARY) fs.appendFileSync(env.GITHUB_STEP_SUMMARY, body.replace(MARKER, "") + "\n");
  try {
    console.log(`pr-preview: PR comment ${await upsertComment(gh, body)}`);
  } catch (e) {
    console.error(`::error::pr-preview: could not comment on the PR: ${(e as Error).message}`);
    return result.exitCode !== 0 ? result.exitCode : EXIT_COMMENT_FAILED;
  }
  return result.exitCode;
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (e: Error) => {
      console.error(`pr-preview: ${e.message}`);
      process.exit(2);
    },
  );
}
