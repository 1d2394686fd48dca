// Starts the policy pack the way the Pulumi CLI does: `node @pulumi/pulumi/cmd/run-policy-pack
// <engine-address> .` with the pack directory as working directory (module resolution from there),
// reads the port the analyzer prints on its first stdout line, and connects an Analyzer client.
import { ChildProcess, spawn } from "child_process";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";

export interface RunningAnalyzer {
  client: AnalyzerClient;
  address: string;
  pid: number;
  stop(): Promise<void>;
}

// run-policy-pack drops its first argument (the engine address) before loading the pack, so no
// engine needs to listen; the policy SDK logs to stderr when no engine is connected.
const ENGINE_ADDRESS = "127.0.0.1:0";
const MAX_MESSAGE = 400 * 1024 * 1024; // the analyzer server's own receive limit

export class AnalyzerStartError extends Error {}

function waitForPort(child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = "";
    const fail = (why: string): void => {
      clearTimeout(timer);
      reject(new AnalyzerStartError(`policy pack failed to start: ${why}\n${stderr().trim()}`));
    };
    const timer = setTimeout(() => fail(`no port printed within ${timeoutMs / 1000}s`), timeoutMs);
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n")) {
        clearTimeout(timer);
        const port = Number(line.trim());
        if (Number.isInteger(port) && port > 0) resolve(port);
        else fail(`unexpected first line ${JSON.stringify(line)}`);
      }
    });
    child.once("exit", (code, signal) => fail(`exited with ${signal ?? code}`));
    child.once("error", (err) => fail(err.message));
  });
}

export async function startAnalyzer(packDir: string, timeoutMs = 180_000): Promise<RunningAnalyzer> {
  const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
  const child = spawn(process.execPath, [runPolicyPack, ENGINE_ADDRESS, "."], {
    cwd: packDir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  };
  try {
    const port = await waitForPort(child, timeoutMs, () => stderr);
    const address = `127.0.0.1:${port}`;
    const client = new AnalyzerClient(address, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": MAX_MESSAGE,
      "grpc.max_send_message_length": MAX_MESSAGE,
    });
    return {
      client,
      address,
      pid: child.pid ?? -1,
      stop: async () => {
        client.close();
        await stop();
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
