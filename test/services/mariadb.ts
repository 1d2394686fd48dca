// A throwaway MariaDB server for tests: Debian's mariadb-server binaries, a temp datadir, TLS with the
// test's own CA, a random loopback port. Admin SQL goes through the mariadb CLI over the unix socket
// (socket auth for the OS user), so no admin password exists anywhere.
import { ChildProcess, execFile, spawn } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface MariaDbOptions {
  tls: { caPath: string; certPath: string; keyPath: string };
  requireSecureTransport?: boolean;
  startTimeoutMs?: number;
}

export interface MariaDb {
  host: string;
  port: number;
  generalLogPath: string;
  /** Runs SQL as the server's root over the unix socket; returns tab-separated rows. */
  admin(sql: string): Promise<string>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const isRoot = () => process.getuid?.() === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function installDb(datadir: string): Promise<void> {
  const args = [
    "--no-defaults",
    `--datadir=${datadir}`,
    "--skip-test-db",
    "--auth-root-authentication-method=socket",
    `--auth-root-socket-user=${userInfo().username}`,
  ];
  if (isRoot()) args.splice(1, 0, "--user=root");
  await run("mariadb-install-db", args, { timeout: 60000 });
}

function serverArgs(dir: string, port: number, o: MariaDbOptions): string[] {
  const args = [
    "--no-defaults",
    `--datadir=${join(dir, "data")}`,
    `--socket=${join(dir, "mysqld.sock")}`,
    `--port=${port}`,
    "--bind-address=127.0.0.1",
    "--skip-name-resolve",
    `--pid-file=${join(dir, "mysqld.pid")}`,
    `--log-error=${join(dir, "error.log")}`,
    "--general-log=1",
    `--general-log-file=${join(dir, "general.log")}`,
    `--ssl-ca=${o.tls.caPath}`,
    `--ssl-cert=${o.tls.certPath}`,
    `--ssl-key=${o.tls.keyPath}`,
    `--require-secure-transport=${o.requireSecureTransport === false ? "OFF" : "ON"}`,
    "--innodb-buffer-pool-size=32M",
    "--performance-schema=OFF",
  ];
  if (isRoot()) args.splice(1, 0, "--user=root");
  return args;
}

function admin(socket: string, sql: string): Promise<string> {
  return run("mariadb", ["--no-defaults", `--socket=${socket}`, "-uroot", "--batch", "--skip-column-names", "-e", sql], { timeout: 30000 }).then(
    (r) => r.stdout,
  );
}

async function waitReady(child: ChildProcess, socket: string, dir: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if (
      existsSync(socket) &&
      (await admin(socket, "SELECT 1").then(
        () => true,
        () => false,
      ))
    )
      return;
    await sleep(100);
  }
  const log = existsSync(join(dir, "error.log")) ? readFileSync(join(dir, "error.log"), "utf8").slice(-2000) : "";
  throw new Error(`mariadbd did not become ready (exit code ${child.exitCode}):\n${log}`);
}

function stopper(child: ChildProcess, dir: string): () => Promise<void> {
  let stopped: Promise<void> | undefined;
  const kill = () => child.exitCode === null && child.kill("SIGKILL");
  process.once("exit", kill);
  return () =>
    (stopped ??= new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        process.removeListener("exit", kill);
        rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      const timer = setTimeout(kill, 15000);
      if (child.exitCode !== null) return done();
      child.once("exit", done);
      child.kill("SIGTERM");
    }));
}

export async function startMariaDb(o: MariaDbOptions): Promise<MariaDb> {
  const dir = mkdtempSync(join(tmpdir(), "verify-mariadb-"));
  await installDb(join(dir, "data"));
  const port = await freePort();
  const out = openSync(join(dir, "stdout.log"), "a");
  const child = spawn("mariadbd", serverArgs(dir, port, o), { stdio: ["ignore", out, out] });
  closeSync(out);
  const stop = stopper(child, dir);
  const socket = join(dir, "mysqld.sock");
  try {
    await waitReady(child, socket, dir, o.startTimeoutMs ?? 30000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { host: "127.0.0.1", port, generalLogPath: join(dir, "general.log"), admin: (sql) => admin(socket, sql), stop };
}
