// Runs one of the repository's TypeScript CLIs as a real child process (node scripts/ts.js <script>),
// the way an engineer runs it, with a hard timeout so a test can never hang.
import { spawn } from "node:child_process";
import { resolve } from "node:path";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const ROOT = resolve(__dirname, "../..");

export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60000): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [resolve(ROOT, "scripts/ts.js"), script, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}
