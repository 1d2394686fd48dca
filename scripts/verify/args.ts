// Strict argument parsing: an unknown or malformed option is a usage error (exit 2), never ignored.
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { UsageError } from "./report";

type OptionSpec = Record<string, { type: "string" | "boolean"; default?: string | boolean }>;

export function parseOptions<T extends OptionSpec>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function readPem(path: string | undefined, flag = "--ca"): Buffer | undefined {
  if (path === undefined) return undefined;
  try {
    const pem = readFileSync(path);
    if (!pem.toString("utf8").includes("-----BEGIN CERTIFICATE-----")) throw new Error("no PEM certificate in file");
    return pem;
  } catch (err) {
    throw new UsageError(`${flag} ${path}: ${(err as Error).message}`);
  }
}

export function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} must be a positive integer, got "${value}"`);
  return n;
}
