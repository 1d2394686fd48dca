import { ecsSecretsValueFrom } from "./ecs-secrets-value-from";
import { runResourcePolicy, UNKNOWN } from "./testing";

const TYPE = "aws:ecs/taskDefinition:TaskDefinition";
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:catalyst/app-AbCdEf";
const container = (secrets: unknown) => ({ name: "frontend", image: "catalyst/frontend@sha256:abc", secrets });
const task = (...containers: unknown[]): Record<string, unknown> => ({ family: "catalyst-frontend", containerDefinitions: JSON.stringify(containers) });
const run = (props: Record<string, unknown>, type = TYPE) => runResourcePolicy(ecsSecretsValueFrom, { type, props });

describe("ecs-secrets-value-from", () => {
  it("passes Secrets Manager ARNs with a JSON key, SSM parameter ARNs, and containers without secrets", async () => {
    const secrets = [
      { name: "BETTER_AUTH_SECRET", valueFrom: `${SECRET_ARN}:BETTER_AUTH_SECRET::` },
      { name: "DATABASE_URL", valueFrom: "arn:aws:ssm:eu-west-1:111122223333:parameter/catalyst/database-url" },
    ];
    expect(await run(task(container(secrets), { name: "agent", image: "a" }))).toMatchObject({ violations: [], undecidable: false, notApplicable: false });
  });

  it("blocks a secret given by bare name or as a value instead of an ARN", async () => {
    const r = await run(
      task(
        container([
          { name: "BETTER_AUTH_SECRET", valueFrom: "catalyst/app" },
          { name: "DATABASE_URL", value: "mysql://u:p@h/db" },
        ]),
      ),
    );
    expect(r.violations).toEqual([
      'Container "frontend": secret BETTER_AUTH_SECRET does not take its value from a Secrets Manager or SSM Parameter Store ARN (valueFrom).',
      'Container "frontend": secret DATABASE_URL does not take its value from a Secrets Manager or SSM Parameter Store ARN (valueFrom).',
    ]);
    expect(r.findings[0].level).toBe("mandatory");
  });

  it("blocks an ARN of another service", async () => {
    expect((await run(task(container([{ name: "X", valueFrom: "arn:aws:s3:::bucket/secret.env" }])))).violations).toHaveLength(1);
  });

  it("is not applicable to other types", async () => {
    expect(await run(task(container([{ name: "X", valueFrom: "x" }])), "aws:ecs/service:Service")).toMatchObject({ violations: [], notApplicable: true });
  });

  it("decides at preview on literal definitions", async () => {
    const r = await runResourcePolicy(
      ecsSecretsValueFrom,
      { type: TYPE, props: { ...task(container([{ name: "X", valueFrom: "x" }])), executionRoleArn: UNKNOWN } },
      { preview: true },
    );
    expect(r).toMatchObject({ undecidable: false, violations: [expect.stringContaining("secret X")] });
  });

  it("says explicitly that definitions embedding secret ARNs are decided at pulumi up", async () => {
    const r = await runResourcePolicy(ecsSecretsValueFrom, { type: TYPE, props: { family: "f", containerDefinitions: UNKNOWN } }, { preview: true });
    expect(r).toMatchObject({ violations: [], undecidable: true });
    expect(r.findings[0].message).toMatch(/containerDefinitions is unknown during preview; decided at `pulumi up`: it embeds values other resources compute/);
  });
});
