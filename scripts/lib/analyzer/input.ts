// Reads what the audit and the synth evaluate: the JSON of `pulumi stack export` (deployment v3)
// or of `pulumi preview --json` (the planned new state of each step).
import { StateResource } from "./model";
import { SECRET_SIG, SIG_KEY } from "./wire";

export class InputError extends Error {}

export interface Deployment {
  kind: "stack export" | "preview";
  resources: StateResource[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function checkResource(r: unknown, where: string): StateResource {
  if (!isRecord(r) || typeof r.urn !== "string" || typeof r.type !== "string") {
    throw new InputError(`${where} is not a resource (needs string "urn" and "type")`);
  }
  return r as unknown as StateResource;
}

function fromExport(json: Record<string, unknown>): Deployment {
  if (json.version !== 3) {
    throw new InputError(`unsupported deployment version ${JSON.stringify(json.version)}: expected 3 (pulumi stack export)`);
  }
  const deployment = json.deployment;
  if (!isRecord(deployment)) throw new InputError(`"deployment" is missing: not a pulumi stack export`);
  const list = deployment.resources ?? [];
  if (!Array.isArray(list)) throw new InputError(`"deployment.resources" is not an array`);
  const resources = list
    .map((r, i) => checkResource(r, `deployment.resources[${i}]`))
    // Resources pending deletion are not part of the state a deploy converges to.
    .filter((r) => r.delete !== true);
  return { kind: "stack export", resources };
}

// `pulumi preview --json` prints every secret as this plain string (secrets are never shown there).
const MASKED_SECRET = "[secret]";

/** The masked secret as an unreadable secret (no value), so it stays undecidable instead of passing as a string. */
function unmaskSecrets(value: unknown): unknown {
  if (value === MASKED_SECRET) return { [SIG_KEY]: SECRET_SIG };
  if (Array.isArray(value)) return value.map(unmaskSecrets);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unmaskSecrets(v)]));
  return value;
}

/**
 * Without --show-sames the CLI leaves unchanged resources out of the steps (the root stack's step
 * excepted), and stack policies judged on such a partial stack give wrong answers both ways.
 */
function checkComplete(json: Record<string, unknown>, steps: unknown[]): void {
  const summary = json.changeSummary;
  const same = isRecord(summary) && typeof summary.same === "number" ? summary.same : 0;
  const listed = steps.filter((s) => isRecord(s) && s.op === "same").length;
  if (listed < same) {
    throw new InputError(
      `${same - listed} unchanged resource(s) are not in the preview: re-run \`pulumi preview --json --show-sames\` so the policies see the whole stack`,
    );
  }
}

function fromPreview(json: Record<string, unknown>, steps: unknown[]): Deployment {
  checkComplete(json, steps);
  const byUrn = new Map<string, StateResource>();
  steps.forEach((step, i) => {
    if (!isRecord(step)) throw new InputError(`steps[${i}] is not an object`);
    // Deletes have no new state; a replacement's several steps share one new state.
    if (step.newState === undefined || step.newState === null) return;
    const r = checkResource(step.newState, `steps[${i}].newState`);
    byUrn.set(r.urn, { ...r, inputs: unmaskSecrets(r.inputs) as StateResource["inputs"], outputs: unmaskSecrets(r.outputs) as StateResource["outputs"] });
  });
  return { kind: "preview", resources: [...byUrn.values()] };
}

/** Recognises a stack export (v3) or a preview; throws InputError with a clear reason otherwise. */
export function loadDeployment(json: unknown): Deployment {
  if (!isRecord(json)) throw new InputError("input is not a JSON object: expected pulumi stack export or pulumi preview --json output");
  if (Array.isArray(json.steps)) return fromPreview(json, json.steps);
  if ("deployment" in json || "version" in json) return fromExport(json);
  throw new InputError(`input has neither "deployment" (pulumi stack export) nor "steps" (pulumi preview --json)`);
}

/** Parses JSON text, reporting the position of a syntax error without a stack trace. */
export function parseDeploymentText(text: string): Deployment {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`input is not valid JSON: ${(err as Error).message}`);
  }
  return loadDeployment(json);
}
