// The resource shape shared by `pulumi stack export` (deployment v3), `pulumi preview --json`
// (steps[].newState) and the offline synth, and its conversion to analyzer requests.
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { marshalProperties } from "./wire";

export interface StateResource {
  urn: string;
  type: string;
  custom?: boolean;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  parent?: string;
  protect?: boolean;
  /** Provider reference: "<provider URN>::<provider id>". */
  provider?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  additionalSecretOutputs?: string[];
  aliases?: string[];
  ignoreChanges?: string[];
  deleteBeforeReplace?: boolean;
  customTimeouts?: { create?: number; update?: number; delete?: number };
  /** Pending deletion: not part of the new state. */
  delete?: boolean;
}

/** A URN's name part (the engine passes `URN.Name()` to the analyzer). */
export function nameFromUrn(urn: string): string {
  const at = urn.lastIndexOf("::");
  return at < 0 ? urn : urn.slice(at + 2);
}

/** The provider URN of a provider reference ("<urn>::<id>"). */
export function providerUrn(reference: string): string {
  const at = reference.lastIndexOf("::");
  return at < 0 ? reference : reference.slice(0, at);
}

function struct(props: unknown): Struct {
  return Struct.fromJavaScript(marshalProperties(props));
}

function options(r: StateResource): analyzerpb.AnalyzerResourceOptions {
  const opts = new analyzerpb.AnalyzerResourceOptions();
  opts.setProtect(r.protect === true);
  opts.setIgnorechangesList(r.ignoreChanges ?? []);
  opts.setAdditionalsecretoutputsList(r.additionalSecretOutputs ?? []);
  opts.setAliasesList(r.aliases ?? []);
  if (r.deleteBeforeReplace !== undefined) {
    opts.setDeletebeforereplace(r.deleteBeforeReplace);
    opts.setDeletebeforereplacedefined(true);
  }
  const timeouts = new analyzerpb.AnalyzerResourceOptions.CustomTimeouts();
  timeouts.setCreate(r.customTimeouts?.create ?? 0);
  timeouts.setUpdate(r.customTimeouts?.update ?? 0);
  timeouts.setDelete(r.customTimeouts?.delete ?? 0);
  opts.setCustomtimeouts(timeouts);
  if (r.parent) opts.setParent(r.parent);
  return opts;
}

/** Resolves a resource's provider reference to the provider resource (its inputs are what the engine sends). */
export type ProviderLookup = (reference: string) => StateResource | undefined;

function provider(r: StateResource, lookup: ProviderLookup): analyzerpb.AnalyzerProviderResource | undefined {
  const p = r.provider ? lookup(r.provider) : undefined;
  if (!p) return undefined;
  const out = new analyzerpb.AnalyzerProviderResource();
  out.setUrn(p.urn);
  out.setType(p.type);
  out.setName(nameFromUrn(p.urn));
  out.setProperties(struct(p.inputs));
  return out;
}

/** Analyze is called with a resource's INPUTS, before it is created or updated. */
export function analyzeRequest(r: StateResource, lookup: ProviderLookup): analyzerpb.AnalyzeRequest {
  const req = new analyzerpb.AnalyzeRequest();
  req.setUrn(r.urn);
  req.setType(r.type);
  req.setName(nameFromUrn(r.urn));
  req.setProperties(struct(r.inputs));
  req.setOptions(options(r));
  const p = provider(r, lookup);
  if (p) req.setProvider(p);
  return req;
}

/** AnalyzeStack sees every resource's OUTPUTS (the final state), with parent and dependencies. */
export function analyzerResource(r: StateResource, lookup: ProviderLookup): analyzerpb.AnalyzerResource {
  const res = new analyzerpb.AnalyzerResource();
  res.setUrn(r.urn);
  res.setType(r.type);
  res.setName(nameFromUrn(r.urn));
  res.setProperties(struct(r.outputs));
  res.setOptions(options(r));
  const p = provider(r, lookup);
  if (p) res.setProvider(p);
  if (r.parent) res.setParent(r.parent);
  res.setDependenciesList(r.dependencies ?? []);
  const deps = res.getPropertydependenciesMap();
  for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
    if (urns.length === 0) continue;
    const pd = new analyzerpb.AnalyzerPropertyDependencies();
    pd.setUrnsList(urns);
    deps.set(key, pd);
  }
  return res;
}

export function analyzeStackRequest(resources: readonly StateResource[], lookup: ProviderLookup): analyzerpb.AnalyzeStackRequest {
  const req = new analyzerpb.AnalyzeStackRequest();
  req.setResourcesList(resources.map((r) => analyzerResource(r, lookup)));
  return req;
}

/** Provider lookup over a resource list (references are "<urn>::<id>"). */
export function providerLookup(resources: readonly StateResource[]): ProviderLookup {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  return (reference) => byUrn.get(providerUrn(reference));
}
