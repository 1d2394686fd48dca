import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";
import * as pulumi from "@pulumi/pulumi";
import { runOffline, SECRET_SIG, UNKNOWN } from "./runtime";

const run = (program: () => Promise<Record<string, unknown> | void>, preview = false) =>
  runOffline({ project: "catalyst", stack: "test", config: { "aws:region": "eu-west-1" }, preview, program });

describe("offline runtime (mocks + capture)", () => {
  it("fakes provider-computed outputs deterministically: auto-names, ARNs, RDS ids as the DbiResourceId", async () => {
    const program = async () => {
      const role = new aws.iam.Role("app", { assumeRolePolicy: "{}" });
      const db = new aws.rds.Instance("db", { identifier: "catalyst-test-db", instanceClass: "db.t4g.micro", engine: "mysql" });
      return { roleName: role.name, roleArn: role.arn, dbId: db.id, dbAddress: db.address };
    };
    const [a, b] = [await run(program), await run(program)];
    expect(a.stackOutputs).toEqual(b.stackOutputs);
    expect(a.stackOutputs.roleName).toMatch(/^app-[0-9a-f]{7}$/);
    expect(a.stackOutputs.roleArn).toBe(`arn:aws:iam::123456789012:role/${a.stackOutputs.roleName}`);
    expect(a.stackOutputs.dbId).toMatch(/^db-[0-9A-F]{26}$/);
    expect(a.stackOutputs.dbAddress).toMatch(/^catalyst-test-db\.c[0-9a-f]{10}\.eu-west-1\.rds\.amazonaws\.com$/);
  });

  it("records what the engine stores: parent, protect, provider reference, dependencies, secrets as secret objects", async () => {
    const r = await run(async () => {
      const pw = new random.RandomPassword("pw", { length: 16 });
      const sg = new aws.ec2.SecurityGroup("sg", { description: pw.result.apply(() => "x") }, { protect: true });
      return { pw: pw.result, sg: sg.id };
    });
    const sg = r.resources.find((x) => x.name === "sg")!;
    const pw = r.resources.find((x) => x.name === "pw")!;
    expect(sg.protect).toBe(true);
    expect(sg.parent).toBe("urn:pulumi:test::catalyst::pulumi:pulumi:Stack::catalyst-test");
    expect(sg.provider).toMatch(/^urn:pulumi:test::catalyst::pulumi:providers:aws::default_7_48_0::/);
    expect(sg.propertyDependencies.description).toEqual([pw.urn]);
    expect(pw.outputs.result).toEqual({ [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", value: expect.stringMatching(/^mock-password-/) });
    expect(r.stackOutputs.pw).toMatchObject({ [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270" });
  });

  it("names resources with the engine's URNs: the full chain of parent types, no root-stack prefix", async () => {
    class Part extends pulumi.ComponentResource {
      constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("catalyst:test:Part", name, {}, opts);
      }
    }
    const r = await run(async () => {
      const outer = new Part("outer");
      const inner = new Part("inner", { parent: outer });
      const provider = new aws.Provider("p", { region: "us-east-1" }, { parent: outer });
      const topic = new aws.sns.Topic("t", {}, { parent: inner, provider });
      new aws.sns.Topic("u", { name: topic.name }, { parent: inner });
      return {};
    });
    const P = "urn:pulumi:test::catalyst::";
    const byName = (n: string) => r.resources.find((x) => x.name === n)!;
    expect(byName("outer").urn).toBe(`${P}catalyst:test:Part::outer`);
    expect(byName("outer").parent).toBe(`${P}pulumi:pulumi:Stack::catalyst-test`);
    expect(byName("inner").urn).toBe(`${P}catalyst:test:Part$catalyst:test:Part::inner`);
    expect(byName("p").urn).toBe(`${P}catalyst:test:Part$pulumi:providers:aws::p`);
    const t = byName("t");
    expect(t.urn).toBe(`${P}catalyst:test:Part$catalyst:test:Part$aws:sns/topic:Topic::t`);
    expect(t.parent).toBe(byName("inner").urn);
    expect(t.provider).toBe(`${byName("p").urn}::${byName("p").id}`);
    expect(byName("u").propertyDependencies.name).toEqual([t.urn]);
  });

  it("leaves computed outputs unknown at preview, as `pulumi preview` does", async () => {
    const r = await run(async () => ({ arn: new aws.sns.Topic("t", {}).arn }), true);
    expect(r.stackOutputs.arn).toBe(UNKNOWN);
    expect(r.resources.find((x) => x.name === "t")!.id).toBeUndefined();
  });

  it("lists provider functions the mocks cannot answer instead of crashing", async () => {
    const r = await run(async () => {
      await aws.ec2.getVpc({ default: true }).catch(() => undefined);
      return {};
    });
    expect(r.unknownCalls).toEqual(["aws:ec2/getVpc:getVpc"]);
  });

  it("rejects with the program's own error, after the run has settled", async () => {
    await expect(
      run(async () => {
        new aws.sns.Topic("before", {});
        throw new pulumi.RunError("bad config");
      }),
    ).rejects.toThrow("bad config");
  });
});
