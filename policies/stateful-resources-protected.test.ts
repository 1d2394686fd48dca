import { STATEFUL_TYPES, statefulResourcesProtected } from "./stateful-resources-protected";
import { runStackPolicy, UNKNOWN } from "./testing";

const stateful = Object.keys(STATEFUL_TYPES).map((type, i) => ({ type, name: `r${i}`, props: {}, protect: true }));

describe("stateful-resources-protected", () => {
  it("passes when every stateful resource is protected", async () => {
    expect(await runStackPolicy(statefulResourcesProtected, stateful)).toMatchObject({ violations: [], undecidable: false });
  });

  it.each(Object.entries(STATEFUL_TYPES))("blocks an unprotected %s", async (type, kind) => {
    const resources = stateful.map((r) => (r.type === type ? { ...r, protect: false } : r));
    const r = await runStackPolicy(statefulResourcesProtected, resources);
    const name = resources.find((x) => x.type === type)?.name;
    expect(r.violations).toEqual([`${kind} ${name} is not protected: \`pulumi up\` or \`destroy\` could delete it.`]);
    expect(r.findings[0]).toMatchObject({ level: "mandatory", urn: `urn:pulumi:test::catalyst::${type}::${name}` });
  });

  it("is not applicable to a stack of stateless resources", async () => {
    const r = await runStackPolicy(statefulResourcesProtected, [
      { type: "aws:ec2/vpc:Vpc", props: {}, protect: false },
      { type: "aws:ecs/service:Service", props: {} },
    ]);
    expect(r).toMatchObject({ violations: [], notApplicable: true });
  });

  it("is advisory when a non-production stack configures it so", async () => {
    const r = await runStackPolicy(statefulResourcesProtected, [{ type: "aws:kms/key:Key", props: {}, protect: false }], {
      config: { enforcementLevel: "advisory" },
    });
    expect(r.findings.map((f) => f.level)).toEqual(["advisory"]);
  });

  it("decides at preview: protect is a resource option, never unknown", async () => {
    const r = await runStackPolicy(statefulResourcesProtected, [{ type: "aws:kms/key:Key", props: { arn: UNKNOWN, keyId: UNKNOWN }, protect: false }], {
      preview: true,
    });
    expect(r).toMatchObject({ undecidable: false, violations: [expect.stringContaining("KMS key")] });
  });
});
