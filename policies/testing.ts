// In-process test kit for policies. Requests go through the SAME code the analyzer server runs for
// `pulumi preview`: properties are marshalled as the engine marshals them (scripts/lib/analyzer),
// deserialized by @pulumi/policy and wrapped in its unknown-checking proxy, so a policy that reads
// an unknown value here becomes the same advisory "can't run policy during preview" it would be there.
import { Policy, ResourceValidation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import * as serverModule from "@pulumi/policy/server";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { Finding, toFinding } from "../scripts/lib/analyzer/diagnostics";
import { analyzeRequest, analyzeStackRequest, providerLookup, StateResource } from "../scripts/lib/analyzer/model";
import { SECRET_SIG, SIG_KEY, UNKNOWN_VALUE } from "../scripts/lib/analyzer/wire";
import { PACK_NAME } from "./lib/policy";

/** Put this into props to simulate a value that is unknown at preview (the engine's sentinel). */
export const UNKNOWN = UNKNOWN_VALUE;

/** A secret with a known plaintext (what the engine sends the analyzer). */
export function secret<T>(value: T): { [SIG_KEY]: string; value: T } {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** A secret as `pulumi stack export` writes it without --show-secrets: unreadable offline. */
export function encryptedSecret(): { [SIG_KEY]: string; ciphertext: string } {
  return { [SIG_KEY]: SECRET_SIG, ciphertext: "v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBBBB" };
}

export const STACK_TYPE = "pulumi:pulumi:Stack";
const PROJECT = "catalyst";
const STACK = "test";

export function testUrn(type: string, name: string, parentType?: string): string {
  const qualified = parentType && parentType !== STACK_TYPE ? `${parentType}$${type}` : type;
  return `urn:pulumi:${STACK}::${PROJECT}::${qualified}::${name}`;
}

export const STACK_URN = testUrn(STACK_TYPE, `${PROJECT}-${STACK}`);

export interface TestProvider {
  type: string;
  props?: Record<string, unknown>;
  name?: string;
}

export interface TestResource {
  type: string;
  /** Inputs (what Analyze sees); also the outputs AnalyzeStack sees unless `outputs` is given. */
  props: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  name?: string;
  urn?: string;
  protect?: boolean;
  provider?: TestProvider;
  /**
   * A component resource (e.g. `catalyst:network:Network`): like in engine state it has no provider.
   * Custom resources without an explicit `provider` get their package's default provider, as the engine gives them.
   */
  component?: boolean;
  parent?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
}

export interface RunOptions {
  /** Unknown values are only legal at preview; at `up` every value is known. Default false. */
  preview?: boolean;
  /** Policy config as in `--policy-pack-config` for this policy (may include `enforcementLevel`). */
  config?: Record<string, unknown>;
}

export interface PolicyRunResult {
  /** The policy's violation messages (description prefix removed), undecidable reports excluded. */
  violations: string[];
  /** The analyzer reported that the policy could not run at preview. */
  undecidable: boolean;
  /** The analyzer reported the policy not applicable (to this resource, or to the stack). */
  notApplicable: boolean;
  /** Every diagnostic of the policy, with level and URN. */
  findings: Finding[];
}

type RpcFun = (call: { request: unknown }, callback: (err: unknown, resp?: analyzerpb.AnalyzeResponse) => void) => unknown;

interface ServerInternals {
  makeAnalyzeRpcFun(name: string, version: string, level: string, policies: Policy[]): RpcFun;
  makeAnalyzeStackRpcFun(name: string, version: string, level: string, policies: Policy[]): RpcFun;
}

// Marked @internal in @pulumi/policy's typings, but exported at runtime: these are the exact
// handlers the analyzer gRPC server registers for Analyze and AnalyzeStack.
const server = serverModule as unknown as ServerInternals;
const TEST_VERSION = "0.0.0-test";

function call(fn: RpcFun, request: unknown): Promise<analyzerpb.AnalyzeResponse> {
  return new Promise((resolve, reject) => {
    void fn({ request }, (err, resp) => (err || !resp ? reject(err ?? new Error("no response")) : resolve(resp)));
  });
}

function withConfig<P extends Policy>(policy: P, config: Record<string, unknown> | undefined): P {
  if (!config) return policy;
  const { enforcementLevel, ...properties } = config;
  const wrap = (v: ResourceValidation): ResourceValidation => {
    const wrapped: ResourceValidation = (args, report) => v({ ...args, getConfig: <T>() => properties as T }, report);
    (wrapped as { __pulumiType?: string }).__pulumiType = (v as { __pulumiType?: string }).__pulumiType;
    return wrapped;
  };
  const copy = {
    ...policy,
    enforcementLevel: (enforcementLevel as Policy["enforcementLevel"]) ?? policy.enforcementLevel,
  } as Partial<ResourceValidationPolicy & StackValidationPolicy>;
  const resourcePolicy = policy as Partial<ResourceValidationPolicy>;
  if (resourcePolicy.validateResource) {
    const v = resourcePolicy.validateResource;
    copy.validateResource = Array.isArray(v) ? v.map(wrap) : wrap(v);
  }
  const stackPolicy = policy as Partial<StackValidationPolicy>;
  if (stackPolicy.validateStack) {
    const v = stackPolicy.validateStack;
    copy.validateStack = (args, report): ReturnType<typeof v> => v({ ...args, getConfig: <T>() => properties as T }, report);
  }
  return copy as P;
}

function assertPreviewAllowsUnknowns(resources: readonly TestResource[], opts: RunOptions): void {
  if (opts.preview) return;
  if (JSON.stringify(resources).includes(UNKNOWN_VALUE)) {
    throw new Error("UNKNOWN values only exist at preview: pass { preview: true }");
  }
}

const PROVIDER_ID = "00000000-0000-0000-0000-000000000000";

function toState(r: TestResource, index: number): { resource: StateResource; provider?: StateResource } {
  const name = r.name ?? `test-${index}`;
  const declared = r.component ? undefined : (r.provider ?? { type: `pulumi:providers:${r.type.split(":")[0]}` });
  const provider = declared
    ? {
        urn: testUrn(declared.type, declared.name ?? "default"),
        type: declared.type,
        custom: true,
        id: PROVIDER_ID,
        inputs: declared.props ?? {},
        outputs: declared.props ?? {},
      }
    : undefined;
  const resource: StateResource = {
    urn: r.urn ?? testUrn(r.type, name),
    type: r.type,
    custom: !r.component,
    inputs: r.props,
    outputs: r.outputs ?? r.props,
    protect: r.protect,
    parent: r.parent,
    provider: provider ? `${provider.urn}::${PROVIDER_ID}` : undefined,
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
  };
  return { resource, provider };
}

function result(policy: Policy, resp: analyzerpb.AnalyzeResponse, urnOf: (d: analyzerpb.AnalyzeDiagnostic) => string): PolicyRunResult {
  const findings = resp
    .getDiagnosticsList()
    .filter((d) => d.getPolicyname() === policy.name)
    .map((d) => toFinding(d, urnOf(d)));
  return {
    violations: findings.filter((f) => !f.undecidable).map((f) => f.message),
    undecidable: findings.some((f) => f.undecidable),
    notApplicable: resp.getNotApplicableList().some((n) => n.getPolicyName() === policy.name),
    findings,
  };
}

/** Runs one resource policy on one resource, through the analyzer's Analyze handler. */
export async function runResourcePolicy(policy: ResourceValidationPolicy, resource: TestResource, opts: RunOptions = {}): Promise<PolicyRunResult> {
  if (!policy.validateResource) throw new Error(`${policy.name} is not a resource policy`);
  assertPreviewAllowsUnknowns([resource], opts);
  const state = toState(resource, 0);
  const lookup = providerLookup(state.provider ? [state.provider] : []);
  const fn = server.makeAnalyzeRpcFun(PACK_NAME, TEST_VERSION, "advisory", [withConfig(policy, opts.config)]);
  const resp = await call(fn, analyzeRequest(state.resource, lookup));
  return result(policy, resp, () => state.resource.urn);
}

/** Runs one stack policy over resources, through the analyzer's AnalyzeStack handler. */
export async function runStackPolicy(policy: StackValidationPolicy, resources: readonly TestResource[], opts: RunOptions = {}): Promise<PolicyRunResult> {
  if (!policy.validateStack) throw new Error(`${policy.name} is not a stack policy`);
  assertPreviewAllowsUnknowns(resources, opts);
  const states = resources.map(toState);
  const stack = states.map((s) => s.resource);
  const lookup = providerLookup(states.flatMap((s) => (s.provider ? [s.provider] : [])));
  const urns = new Set(stack.map((r) => r.urn));
  const fn = server.makeAnalyzeStackRpcFun(PACK_NAME, TEST_VERSION, "advisory", [withConfig(policy, opts.config)]);
  const resp = await call(fn, analyzeStackRequest(stack, lookup));
  return result(policy, resp, (d) => (urns.has(d.getUrn()) ? d.getUrn() : STACK_URN));
}

export const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";

/** A container that every ECS policy accepts; a failing case overrides one property. */
export const ecsContainer = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: "frontend",
  image: "catalyst/frontend@sha256:abc",
  user: "1001:1001",
  readonlyRootFilesystem: true,
  linuxParameters: { initProcessEnabled: true, capabilities: { drop: ["ALL"] } },
  ...over,
});

/** Task definition inputs holding `containers` as the provider's JSON string. */
export const ecsTaskDefinition = (...containers: unknown[]): Record<string, unknown> => ({
  family: "catalyst-frontend",
  containerDefinitions: JSON.stringify(containers),
});
