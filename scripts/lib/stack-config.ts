/**
 * Reads Pulumi.<stack>.yaml the way `pulumi config` presents it to a program: full keys
 * (`catalyst:domain`), values as strings (objects and arrays as JSON). `secure:` values cannot be
 * decrypted offline: they are reported so the offline synth can substitute clearly fake stand-ins.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

export interface StackConfigFile {
  values: Record<string, string>;
  /** Keys whose value in the file is `secure:` ciphertext (substituted offline). */
  secretKeys: string[];
}

const ROOT = path.resolve(__dirname, "..", "..");

export function stackConfigPath(stack: string): string {
  return path.join(ROOT, `Pulumi.${stack}.yaml`);
}

export function readStackConfig(stack: string, offlineSecrets: Record<string, string> = {}): StackConfigFile {
  const file = stackConfigPath(stack);
  if (!fs.existsSync(file)) throw new Error(`no stack config file ${path.relative(ROOT, file)} (create it, or pick a stack with --stack <name>)`);
  const doc = (parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, raw] of Object.entries(doc.config ?? {})) {
    if (raw && typeof raw === "object" && "secure" in raw) {
      secretKeys.push(key);
      if (offlineSecrets[key] !== undefined) values[key] = offlineSecrets[key];
      continue;
    }
    values[key] = typeof raw === "string" ? raw : JSON.stringify(raw);
  }
  return { values, secretKeys };
}
