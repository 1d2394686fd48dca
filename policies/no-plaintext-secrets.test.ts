import { noPlaintextSecrets } from "./no-plaintext-secrets";
import { runResourcePolicy, secret, UNKNOWN } from "./testing";

const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:catalyst/app-AbCdEf";

function containers(environment: { name: string; value: string }[]): string {
  return JSON.stringify([
    {
      name: "frontend",
      image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/frontend@sha256:" + "a".repeat(64),
      environment: [{ name: "NODE_ENV", value: "production" }, { name: "BETTER_AUTH_URL", value: "https://app.example.com" }, ...environment],
      secrets: [
        { name: "DATABASE_URL", valueFrom: `${SECRET_ARN}:DATABASE_URL::` },
        { name: "BETTER_AUTH_SECRET", valueFrom: `${SECRET_ARN}:BETTER_AUTH_SECRET::` },
      ],
    },
  ]);
}
const task = (env: { name: string; value: string }[] = [], over: Record<string, unknown> = {}) => ({
  type: TASK,
  props: { family: "catalyst-frontend", containerDefinitions: containers(env), tags: { Project: "catalyst", Stack: "prod" }, ...over },
});

describe("no-plaintext-secrets", () => {
  it("passes secrets passed by valueFrom and ordinary environment/tags", async () => {
    expect(await runResourcePolicy(noPlaintextSecrets, task())).toMatchObject({ violations: [], undecidable: false });
  });

  it.each([
    [
      { name: "DATABASE_URL", value: "mysql://app:pw@db:3306/catalyst" },
      'Container "frontend": environment DATABASE_URL holds a URL with embedded credentials; use `secrets` with valueFrom a Secrets Manager ARN.',
    ],
    [
      { name: "DATABASE_URL_MIGRATE", value: "mysql-host" },
      'Container "frontend": environment DATABASE_URL_MIGRATE looks like a secret and holds a plaintext value; use `secrets` with valueFrom a Secrets Manager ARN.',
    ],
    [
      { name: "BETTER_AUTH_SECRET", value: "c2VjcmV0" },
      'Container "frontend": environment BETTER_AUTH_SECRET looks like a secret and holds a plaintext value; use `secrets` with valueFrom a Secrets Manager ARN.',
    ],
    [
      { name: "MYSQL_PASSWORD", value: "hunter2" },
      'Container "frontend": environment MYSQL_PASSWORD looks like a secret and holds a plaintext value; use `secrets` with valueFrom a Secrets Manager ARN.',
    ],
    [
      { name: "GITHUB_TOKEN", value: "ghp_x" },
      'Container "frontend": environment GITHUB_TOKEN looks like a secret and holds a plaintext value; use `secrets` with valueFrom a Secrets Manager ARN.',
    ],
    [
      { name: "UPSTREAM", value: "https://user:pass@api.example.com/" },
      'Container "frontend": environment UPSTREAM holds a URL with embedded credentials; use `secrets` with valueFrom a Secrets Manager ARN.',
    ],
  ])("blocks environment %j", async (env, message) => {
    const r = await runResourcePolicy(noPlaintextSecrets, task([env]));
    expect(r.violations).toEqual([message]);
    expect(r.findings[0].level).toBe("mandatory");
  });

  it("allows a secret's ARN under a secret-looking name (a reference is not the secret)", async () => {
    expect((await runResourcePolicy(noPlaintextSecrets, task([{ name: "APP_SECRET", value: SECRET_ARN }]))).violations).toEqual([]);
  });

  it("checks tags of any resource, as maps and as Cloudflare-style strings", async () => {
    const bucket = await runResourcePolicy(noPlaintextSecrets, { type: "aws:s3/bucketV2:BucketV2", props: { tags: { DB_PASSWORD: "pw", Owner: "team" } } });
    expect(bucket.violations).toEqual(["tag DB_PASSWORD looks like a secret and holds a plaintext value."]);
    const record = await runResourcePolicy(noPlaintextSecrets, { type: "cloudflare:index/dnsRecord:DnsRecord", props: { tags: ["url:mysql://a:b@h/db"] } });
    expect(record.violations).toEqual(["tag url holds a URL with embedded credentials."]);
  });

  it("sees through secret-wrapped values: a secret in plaintext environment is still plaintext in the task definition", async () => {
    const r = await runResourcePolicy(noPlaintextSecrets, task([], { containerDefinitions: secret(containers([{ name: "API_TOKEN", value: "t" }])) }));
    expect(r.violations).toEqual([expect.stringContaining("API_TOKEN looks like a secret")]);
  });

  it("has nothing to check on a resource without tags or containers", async () => {
    expect(await runResourcePolicy(noPlaintextSecrets, { type: "aws:ec2/vpc:Vpc", props: { cidrBlock: "10.0.0.0/16" } })).toMatchObject({
      violations: [],
      undecidable: false,
    });
  });

  it("at preview: checks known tags, then says explicitly that the unknown containerDefinitions is decided at up", async () => {
    const r = await runResourcePolicy(noPlaintextSecrets, task([], { containerDefinitions: UNKNOWN, tags: { SERVICE_TOKEN: "abc" } }), { preview: true });
    expect(r.violations).toEqual(["tag SERVICE_TOKEN looks like a secret and holds a plaintext value."]);
    expect(r.findings.find((f) => f.undecidable)?.message).toMatch(
      /containerDefinitions is unknown during preview; decided at `pulumi up`: it embeds values other resources compute/,
    );
  });

  it("at preview: blocks a secret-looking name the program declares as plaintext environment", async () => {
    const tags = { "catalyst:environment-names": "NODE_ENV SESSION_SECRET", "catalyst:secret-names": "DATABASE_URL" };
    const r = await runResourcePolicy(noPlaintextSecrets, task([], { containerDefinitions: UNKNOWN, tags }), { preview: true });
    expect(r.violations).toEqual(["Declared posture: catalyst:environment-names lists SESSION_SECRET, a secret-looking name, as plaintext environment."]);
    expect(r.undecidable).toBe(true);
  });

  it("at preview: an unknown tag value or tag map is undecidable, not compliant", async () => {
    expect((await runResourcePolicy(noPlaintextSecrets, { type: "aws:kms/key:Key", props: { tags: { Name: UNKNOWN } } }, { preview: true })).undecidable).toBe(
      true,
    );
    expect((await runResourcePolicy(noPlaintextSecrets, { type: "aws:kms/key:Key", props: { tags: UNKNOWN } }, { preview: true })).undecidable).toBe(true);
  });
});
