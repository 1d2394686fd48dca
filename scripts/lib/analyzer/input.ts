// Reads what the audit and the synth evaluate: the JSON of `pulumi stack export` (deployment v3)
// or of `pulumi preview --json` (the planned new state of each step).
import { StateResource } from "./model";

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

function fromPreview(steps: unknown[]): Deployment {
  const byUrn = new Map<string, StateResource>();
  steps.forEach((step, i) => {
    if (!isRecord(step)) throw new InputError(`steps[${i}] is not an object`);
    // Deletes have no new state; a replacement's several steps share one new state.
    if (step.newState === undefined || step.newState === null) return;
    const r = checkResource(step.newState, `steps[${i}].newState`);
    byUrn.set(r.urn, r);
  });
  return { kind: "preview", resources: [...byUrn.values()] };
}

/** Recognises a stack export (v3) or a preview; throws InputError with a clear reason otherwise. */
export function loadDeployment(json: unknown): Deployment {
  if (!isRecord(json)) throw new InputError("input is not a JSON object: expected pulumi stack export or pulumi preview --json output");
  if (Array.isArray(json.steps)) return fromPreview(json.steps);
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
