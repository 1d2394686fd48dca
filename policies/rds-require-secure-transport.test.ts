import { rdsRequireSecureTransport } from "./rds-require-secure-transport";
import { runStackPolicy, TestResource, testUrn, UNKNOWN } from "./testing";

const PG = "aws:rds/parameterGroup:ParameterGroup";
const DB = "aws:rds/instance:Instance";

const group = (parameters: unknown): TestResource => ({ type: PG, name: "mysql84", props: { family: "mysql8.4", name: "catalyst-mysql84", parameters } });
const db = (over: Partial<TestResource> = {}): TestResource => ({
  type: DB,
  name: "db",
  props: { engine: "mysql", parameterGroupName: UNKNOWN },
  propertyDependencies: { parameterGroupName: [testUrn(PG, "mysql84")] },
  ...over,
});
const secure = [
  { name: "require_secure_transport", value: "1" },
  { name: "tls_version", value: "TLSv1.2,TLSv1.3" },
];

describe("rds-require-secure-transport", () => {
  it("passes an instance whose parameter group requires secure transport (decided at preview)", async () => {
    expect(await runStackPolicy(rdsRequireSecureTransport, [group(secure), db()], { preview: true })).toMatchObject({ violations: [], undecidable: false });
  });

  it("passes ON as a value, and matches a literal group name after deploy", async () => {
    const r = await runStackPolicy(rdsRequireSecureTransport, [
      group([{ name: "require_secure_transport", value: "ON" }]),
      db({ props: { parameterGroupName: "catalyst-mysql84" }, propertyDependencies: {} }),
    ]);
    expect(r.violations).toEqual([]);
  });

  it.each([
    ["value 0", [{ name: "require_secure_transport", value: "0" }]],
    ["value OFF", [{ name: "require_secure_transport", value: "OFF" }]],
    ["the parameter absent", [{ name: "tls_version", value: "TLSv1.2" }]],
    ["no parameters", undefined],
  ])("blocks a group with %s", async (_label, parameters) => {
    const r = await runStackPolicy(rdsRequireSecureTransport, [group(parameters), db()], { preview: true });
    expect(r.violations).toEqual(["parameter group mysql84 does not set require_secure_transport=1: unencrypted connections are accepted."]);
    expect(r.findings[0]).toMatchObject({ level: "mandatory", urn: testUrn(DB, "db") });
  });

  it("blocks the default parameter group (none attached)", async () => {
    const r = await runStackPolicy(rdsRequireSecureTransport, [group(secure), db({ props: { engine: "mysql" }, propertyDependencies: {} })]);
    expect(r.violations).toEqual(["no parameterGroupName: the RDS default parameter group leaves require_secure_transport OFF."]);
  });

  it("blocks a group that is not in the stack", async () => {
    const r = await runStackPolicy(rdsRequireSecureTransport, [db({ props: { parameterGroupName: "default.mysql8.4" }, propertyDependencies: {} })]);
    expect(r.violations).toEqual([expect.stringMatching(/^parameterGroupName "default.mysql8.4" is not a parameter group of this stack/)]);
  });

  it("is not applicable without an RDS instance", async () => {
    expect((await runStackPolicy(rdsRequireSecureTransport, [group(secure)])).notApplicable).toBe(true);
  });

  it("says explicitly when the parameters are unknown at preview", async () => {
    const r = await runStackPolicy(rdsRequireSecureTransport, [group(UNKNOWN), db()], { preview: true });
    expect(r).toMatchObject({ violations: [], undecidable: true });
    expect(r.findings[0].message).toMatch(/mysql84\.parameters is unknown during preview; decided at `pulumi up`/);
  });
});
