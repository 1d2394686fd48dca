import { PolicyConfigError, PolicyDescriptor, resolvePolicyConfig } from "./config";

const policies: PolicyDescriptor[] = [
  { name: "a", level: "mandatory", schema: { properties: { minimumDays: { type: "integer", default: 7 }, user: { type: "string" } } } },
  { name: "b", level: "advisory" },
];

describe("resolvePolicyConfig (as the CLI resolves --policy-pack-config)", () => {
  it("uses each policy's own level and schema defaults without config", () => {
    const c = resolvePolicyConfig(policies, {}, {});
    expect(c.get("a")).toEqual({ level: "mandatory", properties: { minimumDays: 7 } });
    expect(c.get("b")).toEqual({ level: "advisory", properties: {} });
  });

  it("applies precedence: policy entry > all > pack initial config > policy level", () => {
    const c = resolvePolicyConfig(policies, { b: { enforcementLevel: "disabled" } }, { all: "advisory", a: { enforcementLevel: "disabled", user: "u" } });
    expect(c.get("a")).toEqual({ level: "disabled", properties: { minimumDays: 7, user: "u" } });
    expect(c.get("b")?.level).toBe("advisory");
  });

  it("reports every problem at once", () => {
    const run = () => resolvePolicyConfig(policies, {}, { a: { enforcementLevel: "block", minimumDays: "7" }, nope: "advisory", all: { x: 1 } });
    expect(run).toThrow(PolicyConfigError);
    try {
      run();
    } catch (e) {
      expect((e as PolicyConfigError).problems).toEqual([
        "nope: no policy of that name in the pack",
        "all: only an enforcement level can be set for every policy",
        'a: invalid enforcement level "block"',
        "a.minimumDays: expected integer, got string",
      ]);
    }
  });

  it("validates numeric bounds and array sizes, as the CLI's JSON Schema check does", () => {
    const bounded: PolicyDescriptor[] = [
      {
        name: "c",
        level: "mandatory",
        schema: {
          properties: {
            days: { type: "integer", minimum: 1, maximum: 35 },
            paths: { type: "array", minItems: 1, items: { type: "string" } },
          },
        },
      },
    ];
    expect(resolvePolicyConfig(bounded, {}, { c: { days: 35, paths: ["/a"] } }).get("c")?.properties).toEqual({ days: 35, paths: ["/a"] });
    const run = () => resolvePolicyConfig(bounded, {}, { c: { days: 0, paths: [] } });
    expect(run).toThrow(PolicyConfigError);
    expect(() => resolvePolicyConfig(bounded, {}, { c: { days: 36, paths: [1] } })).toThrow(/c\.days: must be at most 35[\s\S]*c\.paths\[0\]: expected string/);
    try {
      run();
    } catch (e) {
      expect((e as PolicyConfigError).problems).toEqual(["c.days: must be at least 1", "c.paths: must have at least 1 item(s)"]);
    }
  });
});
