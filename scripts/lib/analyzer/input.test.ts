import { InputError, loadDeployment, parseDeploymentText } from "./input";

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
});
