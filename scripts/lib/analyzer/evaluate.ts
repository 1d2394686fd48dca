// Evaluates a deployment with the policy pack through the analyzer gRPC protocol, as the engine does
// during `pulumi preview --policy-pack`: GetAnalyzerInfo, Configure (resolved pack config),
// ConfigureStack, Analyze per resource (inputs), AnalyzeStack once (outputs).
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { JsonSchemaLite, PolicyDescriptor, PolicyPackConfigFile, ResolvedPolicyConfig, resolvePolicyConfig } from "./config";
import { EnforcementLevel, Finding, levelName, levelValue, toFinding } from "./diagnostics";
import { Deployment, loadDeployment } from "./input";
import { analyzeRequest, analyzeStackRequest, providerLookup, StateResource } from "./model";
import { RunningAnalyzer, startAnalyzer } from "./process";

export const DEFAULT_PACK_DIR = path.resolve(__dirname, "../../../policies");
const STACK_TYPE = "pulumi:pulumi:Stack";

/** `policyConfig` is the `--policy-pack-config` JSON; `concurrency` the Analyze requests in flight. */
export type EvaluateOptions = SessionOptions;

export interface PolicySummary {
  name: string;
  type: "resource" | "stack";
  level: EnforcementLevel;
}

export interface PackResult {
  kind: Deployment["kind"];
  /** Every diagnostic the pack reported, in resource order then stack policies. */
  violations: Finding[];
  resources: number;
  policies: PolicySummary[];
  /** Mandatory, decided violations: what blocks a deploy. */
  mandatory: number;
  /** Policies that could not decide (unknown at preview / encrypted secret): never counted as compliant. */
  undecidable: number;
  durationMs: number;
}

function unary<Res>(invoke: (cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    invoke((err, res) => (err ? reject(err) : resolve(res)));
  });
}

function describePolicies(info: analyzerpb.AnalyzerInfo): PolicyDescriptor[] {
  return info.getPoliciesList().map((p) => {
    const schema = p.getConfigschema();
    return {
      name: p.getName(),
      level: levelName(p.getEnforcementlevel()),
      schema: schema
        ? { properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, JsonSchemaLite>, required: schema.getRequiredList() }
        : undefined,
    };
  });
}

function initialConfig(info: analyzerpb.AnalyzerInfo): PolicyPackConfigFile {
  const out: PolicyPackConfigFile = {};
  info.getInitialconfigMap().forEach((c, name) => {
    out[name] = { ...(c.getProperties()?.toJavaScript() ?? {}), enforcementLevel: levelName(c.getEnforcementlevel()) };
  });
  return out;
}

function configureRequest(resolved: Map<string, ResolvedPolicyConfig>): analyzerpb.ConfigureAnalyzerRequest {
  const req = new analyzerpb.ConfigureAnalyzerRequest();
  const map = req.getPolicyconfigMap();
  for (const [name, c] of resolved) {
    const pc = new analyzerpb.PolicyConfig();
    pc.setEnforcementlevel(levelValue(c.level));
    pc.setProperties(Struct.fromJavaScript(c.properties as Record<string, never>));
    map.set(name, pc);
  }
  return req;
}

function stackConfigureRequest(resources: readonly StateResource[], dryRun: boolean): analyzerpb.AnalyzerStackConfigureRequest {
  const req = new analyzerpb.AnalyzerStackConfigureRequest();
  const urn = resources.find((r) => r.type === STACK_TYPE)?.urn ?? "";
  // urn:pulumi:<stack>::<project>::<type>::<name>
  const [, stackName = "", project = ""] = /^urn:pulumi:([^:]*)::([^:]*)::/.exec(urn) ?? [];
  req.setStack(stackName);
  req.setProject(project);
  req.setDryRun(dryRun);
  return req;
}

async function analyzeAll(
  client: AnalyzerClient,
  resources: readonly StateResource[],
  context: readonly StateResource[],
  concurrency: number,
): Promise<Finding[][]> {
  const lookup = providerLookup(context);
  const results: Finding[][] = new Array(resources.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < resources.length) {
      const i = next++;
      const r = resources[i];
      const req = analyzeRequest(r, lookup);
      const resp = await unary<analyzerpb.AnalyzeResponse>((cb) => client.analyze(req, cb));
      // The engine attributes Analyze diagnostics to the resource being analyzed.
      results[i] = resp.getDiagnosticsList().map((d) => toFinding(d, r.urn));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, resources.length) }, worker));
  return results;
}

async function analyzeStack(client: AnalyzerClient, resources: readonly StateResource[]): Promise<Finding[]> {
  const req = analyzeStackRequest(resources, providerLookup(resources));
  const resp = await unary<analyzerpb.AnalyzeResponse>((cb) => client.analyzeStack(req, cb));
  const urns = new Set(resources.map((r) => r.urn));
  const stackUrn = resources.find((r) => r.type === STACK_TYPE)?.urn ?? "";
  return resp.getDiagnosticsList().map((d) => toFinding(d, urns.has(d.getUrn()) ? d.getUrn() : stackUrn));
}

export interface SessionOptions {
  policyConfig?: PolicyPackConfigFile;
  packDir?: string;
  concurrency?: number;
  /** Reuse a running analyzer (tests); it is reconfigured and left running on close. */
  analyzer?: RunningAnalyzer;
}

/** A configured analyzer: GetAnalyzerInfo and Configure done, ready for Analyze/AnalyzeStack. */
export interface PackSession {
  policies: PolicySummary[];
  configureStack(resources: readonly StateResource[], dryRun: boolean): Promise<void>;
  /** Analyze (inputs) for each of `resources`; providers are looked up in `context` (default: the same list). */
  analyze(resources: readonly StateResource[], context?: readonly StateResource[]): Promise<Finding[]>;
  /** AnalyzeStack (outputs) over the whole list. */
  analyzeStack(resources: readonly StateResource[]): Promise<Finding[]>;
  close(): Promise<void>;
}

export async function openPack(opts: SessionOptions = {}): Promise<PackSession> {
  const analyzer = opts.analyzer ?? (await startAnalyzer(opts.packDir ?? DEFAULT_PACK_DIR));
  const close = async (): Promise<void> => {
    if (!opts.analyzer) await analyzer.stop();
  };
  try {
    const { client } = analyzer;
    const info = await unary<analyzerpb.AnalyzerInfo>((cb) => client.getAnalyzerInfo(new Empty(), cb));
    const descriptors = describePolicies(info);
    const resolved = resolvePolicyConfig(descriptors, initialConfig(info), opts.policyConfig ?? {});
    await unary((cb) => client.configure(configureRequest(resolved), cb));
    const types = new Map(info.getPoliciesList().map((p) => [p.getName(), p.getPolicyType()]));
    return {
      policies: descriptors.map((d) => ({
        name: d.name,
        type: types.get(d.name) === analyzerpb.PolicyType.POLICY_TYPE_STACK ? "stack" : "resource",
        level: resolved.get(d.name)?.level ?? d.level,
      })),
      configureStack: async (resources, dryRun) => {
        await unary((cb) => client.configureStack(stackConfigureRequest(resources, dryRun), cb));
      },
      analyze: async (resources, context) => (await analyzeAll(client, resources, context ?? resources, opts.concurrency ?? 64)).flat(),
      analyzeStack: (resources) => analyzeStack(client, resources),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Evaluates a parsed stack export / preview JSON (or an already loaded Deployment) with the pack. */
export async function evaluatePack(input: unknown, opts: EvaluateOptions = {}): Promise<PackResult> {
  const started = Date.now();
  const deployment = isDeployment(input) ? input : loadDeployment(input);
  const session = await openPack(opts);
  try {
    await session.configureStack(deployment.resources, deployment.kind === "preview");
    const violations = [...(await session.analyze(deployment.resources)), ...(await session.analyzeStack(deployment.resources))];
    return {
      kind: deployment.kind,
      violations,
      resources: deployment.resources.length,
      policies: session.policies,
      mandatory: violations.filter((v) => v.level === "mandatory" && !v.undecidable).length,
      undecidable: violations.filter((v) => v.undecidable).length,
      durationMs: Date.now() - started,
    };
  } finally {
    await session.close();
  }
}

function isDeployment(v: unknown): v is Deployment {
  return typeof v === "object" && v !== null && "kind" in v && "resources" in v && Array.isArray((v as Deployment).resources);
}
