import { noPlaintextSecretOutputs } from "./no-plaintext-secret-outputs";
import { runStackPolicy, secret, STACK_TYPE, UNKNOWN } from "./testing";

const stack = (outputs: Record<string, unknown>) => ({ type: STACK_TYPE, name: "catalyst-prod", props: {}, outputs });
const ok = {
  url: "https://app.example.com",
  databaseSecretArn: "arn:aws:secretsmanager:eu-west-1:1:secret:db-AbCdEf",
  albDnsName: "alb-1.eu-west-1.elb.amazonaws.com",
};

describe("no-plaintext-secret-outputs", () => {
  it("passes ordinary outputs and secret ARNs", async () => {
    expect(await runStackPolicy(noPlaintextSecretOutputs, [stack(ok)])).toMatchObject({ violations: [], undecidable: false });
  });

  it.each([
    [{ databaseUrl: "mysql://app:pw@db:3306/catalyst" }, "stack output outputs.databaseUrl: databaseUrl holds a URL with embedded credentials."],
    [{ DATABASE_URL: "db.internal" }, "stack output outputs.DATABASE_URL: DATABASE_URL looks like a secret and holds a plaintext value."],
    [{ db: { masterPassword: "pw" } }, "stack output outputs.db.masterPassword: masterPassword looks like a secret and holds a plaintext value."],
    [{ tokens: { api_token: ["t1"] } }, "stack output outputs.tokens.api_token[0]: api_token looks like a secret and holds a plaintext value."],
    [{ authSecret: secret("s") }, "stack output outputs.authSecret: authSecret looks like a secret and holds a plaintext value."],
  ])("blocks %j", async (outputs, message) => {
    const r = await runStackPolicy(noPlaintextSecretOutputs, [stack({ ...ok, ...outputs })]);
    expect(r.violations).toEqual([message]);
    expect(r.findings[0]).toMatchObject({ level: "mandatory", urn: "urn:pulumi:test::catalyst::pulumi:pulumi:Stack::catalyst-prod" });
  });

  it("ignores other resources' properties (they are not stack outputs)", async () => {
    const r = await runStackPolicy(noPlaintextSecretOutputs, [stack(ok), { type: "aws:ssm/parameter:Parameter", props: { DB_PASSWORD: "x" } }]);
    expect(r.violations).toEqual([]);
  });

  it("passes a stack without outputs; is not applicable without a stack resource", async () => {
    expect((await runStackPolicy(noPlaintextSecretOutputs, [stack({})])).violations).toEqual([]);
    expect((await runStackPolicy(noPlaintextSecretOutputs, [{ type: "aws:kms/key:Key", props: {} }])).notApplicable).toBe(true);
  });

  it("at preview: reports decided outputs and names the unknown ones explicitly", async () => {
    const r = await runStackPolicy(noPlaintextSecretOutputs, [stack({ ...ok, albDnsName: UNKNOWN, DB_TOKEN: "t" })], { preview: true });
    expect(r.violations).toEqual([expect.stringContaining("DB_TOKEN looks like a secret")]);
    expect(r.findings.find((f) => f.undecidable)?.message).toMatch(/outputs\.albDnsName is unknown during preview; decided at `pulumi up`/);
  });
});
