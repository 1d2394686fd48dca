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
});
