import { InputError, loadDeployment, parseDeploymentText } from "./input";
import { marshalProperties, SECRET_SIG, SIG_KEY, UNKNOWN_VALUE } from "./wire";

const r = (name: string, extra: Record<string, unknown> = {}) => ({ urn: `urn:pulumi:s::p::t:m:R::${name}`, type: "t:m:R", inputs: {}, outputs: {}, ...extra });

describe("loadDeployment", () => {
  it("reads a v3 stack export, leaving out resources pending deletion", () => {
    const d = loadDeployment({ version: 3, deployment: { manifest: {}, resources: [r("a"), r("b", { delete: true })] } });
    expect(d.kind).toBe("stack export");
    expect(d.resources.map((x) => x.urn)).toEqual([r("a").urn]);
  });

  it("reads an empty stack export", () => {
    expect(loadDeployment({ version: 3, deployment: { manifest: {} } }).resources).toEqual([]);
  });

  it("reads a preview: one new state per URN, deletes left out", () => {
    const d = loadDeployment({
      steps: [
        { op: "create", urn: r("a").urn, newState: r("a") },
        { op: "delete", urn: r("gone").urn, oldState: r("gone") },
        { op: "create-replacement", urn: r("b").urn, newState: r("b", { inputs: { v: 2 } }) },
        { op: "replace", urn: r("b").urn, newState: r("b", { inputs: { v: 2 } }) },
        { op: "delete-replaced", urn: r("b").urn, oldState: r("b") },
      ],
    });
    expect(d.kind).toBe("preview");
    expect(d.resources.map((x) => x.urn)).toEqual([r("a").urn, r("b").urn]);
  });

  it.each([
    [[1, 2], /not a JSON object/],
    [{ a: 1 }, /neither "deployment" \(pulumi stack export\) nor "steps"/],
    [{ version: 2, deployment: {} }, /unsupported deployment version 2: expected 3/],
    [{ version: 3 }, /"deployment" is missing/],
    [{ version: 3, deployment: { resources: {} } }, /"deployment.resources" is not an array/],
    [{ version: 3, deployment: { resources: [{ urn: 1 }] } }, /deployment.resources\[0\] is not a resource/],
    [{ steps: [{ newState: { type: "x" } }] }, /steps\[0\].newState is not a resource/],
  ])("rejects %j with a clear reason", (json, message) => {
    expect(() => loadDeployment(json)).toThrow(InputError);
    expect(() => loadDeployment(json)).toThrow(message);
  });

  it("reports invalid JSON without a stack trace in the message", () => {
    expect(() => parseDeploymentText("{oops")).toThrow(/^input is not valid JSON: /);
  });

  it('reads the "[secret]" that pulumi preview --json prints for every secret as an unreadable secret, never as a plain string', () => {
    const d = loadDeployment({
      steps: [
        { op: "create", urn: r("a").urn, newState: r("a", { inputs: { url: "[secret]", nested: { list: ["x", "[secret]"] } }, outputs: { url: "[secret]" } }) },
      ],
    });
    const [a] = d.resources;
    expect(marshalProperties(a.inputs)).toEqual({
      url: { [SIG_KEY]: SECRET_SIG, value: UNKNOWN_VALUE },
      nested: { list: ["x", { [SIG_KEY]: SECRET_SIG, value: UNKNOWN_VALUE }] },
    });
    expect(marshalProperties(a.outputs)).toEqual({ url: { [SIG_KEY]: SECRET_SIG, value: UNKNOWN_VALUE } });
  });

  it("refuses a preview that leaves out unchanged resources (stack policies need the whole stack): --show-sames", () => {
    // Without --show-sames the CLI still prints the root stack's step, even when it is unchanged.
    const stack = { op: "same", urn: r("stack").urn, newState: r("stack") };
    const partial = { steps: [stack, { op: "update", urn: r("a").urn, newState: r("a") }], changeSummary: { same: 42, update: 1 } };
    expect(() => loadDeployment(partial)).toThrow(InputError);
    expect(() => loadDeployment(partial)).toThrow(/41 unchanged resource\(s\) are not in the preview: re-run `pulumi preview --json --show-sames`/);
    const complete = { ...partial, changeSummary: { same: 1, update: 1 } };
    expect(loadDeployment(complete).resources).toHaveLength(2);
  });
});
