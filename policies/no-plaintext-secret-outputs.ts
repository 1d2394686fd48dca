import { catalystStackPolicy, keysOf, ofType, peek, PreviewGaps, secretExposure, UNKNOWN } from "./lib";

const STACK = "pulumi:pulumi:Stack";
const MAX_DEPTH = 8;

/** Walks an output value; `name` is the key that holds it (array items inherit their parent's key). */
function walk(value: unknown, name: string, path: string, gaps: PreviewGaps, found: string[], depth = 0): void {
  if (depth > MAX_DEPTH || value === null || typeof value !== "object") {
    const why = secretExposure(name, value);
    if (why) found.push(`${path}: ${why}`);
    return;
  }
  for (const key of Array.isArray(value) ? Array.from({ length: value.length }, (_, i) => i) : keysOf(value)) {
    const child = peek(value, key);
    const childPath = typeof key === "number" ? `${path}[${key}]` : `${path}.${key}`;
    if (child === UNKNOWN) gaps.add(childPath);
    else walk(child, typeof key === "number" ? name : key, childPath, gaps, found, depth + 1);
  }
}

export const noPlaintextSecretOutputs = catalystStackPolicy({
  name: "no-plaintext-secret-outputs",
  description:
    "Stack outputs must not carry secret-looking values (DATABASE_URL, *_SECRET, *_PASSWORD, *_TOKEN, URLs with credentials): outputs are readable by everyone with stack access.",
  severity: "high",
  remediationSteps:
    "Export where the secret lives (its Secrets Manager ARN), not the secret. Policies see pulumi.secret() values decrypted, so even a secret-wrapped output of that shape is refused.",
  checklist: [
    "All environment variables set securely (not in code)",
    "Monitoring & Logging › What NOT to log: passwords, secrets, full database connection strings",
  ],
  validateStack: (args, reportViolation) => {
    const stacks = ofType(args.resources, STACK);
    if (stacks.length === 0) args.notApplicable("no stack resource");
    const gaps = new PreviewGaps();
    for (const stack of stacks) {
      const found: string[] = [];
      walk(stack.props, "", "outputs", gaps, found);
      for (const f of found) reportViolation(`stack output ${f}.`, stack.urn);
    }
    gaps.settle("these stack outputs are computed during the deployment");
  },
});
