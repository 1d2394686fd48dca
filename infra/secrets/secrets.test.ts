import * as pulumi from "@pulumi/pulumi";
import { isSecret, outputValue, parseJsonProp, plain, runComponent } from "../../test/harness";
import { AppSecrets, secretValueFrom } from "./appSecrets";
import { keyPolicy } from "./kmsKey";
import { allowedPrincipals, SecretAccessPolicy, secretAccessPolicyDocument } from "./secretAccessPolicy";

const EXEC_ROLE = "arn:aws:iam::123456789012:role/catalyst-test-frontend-exec";
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:catalyst/test/runtime-AbCdEf";

describe("keyPolicy", () => {
  it("administers through IAM and adds CloudWatch Logs only for named log groups", () => {
    const ctx = { accountId: "123456789012", region: "eu-west-1", partition: "aws" };
    expect(keyPolicy(ctx).Statement).toEqual([
      { Sid: "AccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" },
    ]);
    const [, logs] = keyPolicy(ctx, ["/vpc/x"]).Statement as unknown as Array<Record<string, unknown>>;
    expect(logs).toMatchObject({
      Principal: { Service: "logs.eu-west-1.amazonaws.com" },
      Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": ["arn:aws:logs:eu-west-1:123456789012:log-group:/vpc/x"] } },
    });
  });
});

describe("AppSecrets", () => {
  const args = {
    namePrefix: "catalyst/test",
    keyAlias: "catalyst-test-secrets",
    runtimeDatabaseUrl: pulumi.secret("mysql://catalyst_app:pw1@db:3306/catalyst?ssl=true"),
    migrateDatabaseUrl: pulumi.secret("mysql://catalyst_migrate:pw2@db:3306/catalyst?ssl=true"),
    generation: 3,
  };

  it("stores each role's values as one secret JSON document, encrypted with its own key, protected by default", async () => {
    const run = await runComponent(() => new AppSecrets("secrets", args));
    const key = run.one("aws:kms/key:Key");
    expect(run.one("aws:kms/alias:Alias").inputs.name).toBe("alias/catalyst-test-secrets");
    for (const role of ["runtime", "migrate"]) {
      const secret = run.one("aws:secretsmanager/secret:Secret", `secrets-${role}`);
      expect(secret.inputs).toMatchObject({ name: `catalyst/test/${role}`, kmsKeyId: key.outputs.arn, recoveryWindowInDays: 30 });
      expect(secret.protect).toBe(true);
      const version = run.one("aws:secretsmanager/secretVersion:SecretVersion", `secrets-${role}-value`);
      expect(version.inputs.secretId).toBe(secret.id);
      expect(isSecret(version.inputs.secretString)).toBe(true);
    }
    const runtime = JSON.parse(plain(run.one("aws:secretsmanager/secretVersion:SecretVersion", "runtime-value").inputs.secretString) as string);
    expect(runtime.DATABASE_URL).toBe("mysql://catalyst_app:pw1@db:3306/catalyst?ssl=true");
    expect(run.one("random:index/randomBytes:RandomBytes").inputs).toEqual({ length: 32, keepers: { generation: "3" } });
    expect(run.component.runtimeSecretName).toBe("catalyst/test/runtime");
  });

  it("keeps the recovery window it is given", async () => {
    const run = await runComponent(() => new AppSecrets("secrets", { ...args, recoveryWindowDays: 7, protect: false }));
    expect(run.byType("aws:secretsmanager/secret:Secret").map((s) => [s.inputs.recoveryWindowInDays, s.protect])).toEqual([
      [7, false],
      [7, false],
    ]);
  });

  it("formats ECS valueFrom references", async () => {
    expect(await outputValue(secretValueFrom(SECRET_ARN, "DATABASE_URL"))).toBe(`${SECRET_ARN}:DATABASE_URL::`);
  });
});

describe("SecretAccessPolicy", () => {
  it("denies reading the value to every principal but the readers and managers", () => {
    expect(secretAccessPolicyDocument([EXEC_ROLE, "arn:aws:iam::123456789012:role/deployer"])).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "OnlyListedPrincipalsReadTheValue",
          Effect: "Deny",
          Principal: "*",
          Action: ["secretsmanager:GetSecretValue"],
          Resource: "*",
          Condition: { StringNotEquals: { "aws:PrincipalArn": [EXEC_ROLE, "arn:aws:iam::123456789012:role/deployer"] } },
        },
      ],
    });
    expect(allowedPrincipals([EXEC_ROLE, EXEC_ROLE], ["arn:b"])).toEqual(["arn:aws:iam::123456789012:role/catalyst-test-frontend-exec", "arn:b"].sort());
    expect(() => allowedPrincipals([], ["arn:b"])).toThrow("at least one reader role");
    expect(() => allowedPrincipals([EXEC_ROLE], [])).toThrow("at least one manager (the deploy role)");
  });

  it("admits exactly the managers it is given, never the identity running pulumi (the mocks' caller is user/offline-synth)", async () => {
    const deploy = "arn:aws:iam::123456789012:role/ci-deploy";
    const run = await runComponent(() => new SecretAccessPolicy("access", { secretArn: SECRET_ARN, readerRoleArns: [EXEC_ROLE], managerArns: [deploy] }));
    const policy = run.one("aws:secretsmanager/secretPolicy:SecretPolicy");
    expect(policy.inputs).toMatchObject({ secretArn: SECRET_ARN, blockPublicPolicy: true });
    const doc = parseJsonProp<{ Statement: Array<{ Condition: { StringNotEquals: Record<string, string[]> } }> }>(policy.inputs.policy);
    expect(doc.Statement[0].Condition.StringNotEquals["aws:PrincipalArn"]).toEqual([EXEC_ROLE, deploy]);
    expect(await outputValue(run.component.allowedPrincipalArns)).toEqual([EXEC_ROLE, deploy]);
    expect(JSON.stringify(doc)).not.toContain("offline-synth");
    expect(run.unknownCalls).toEqual([]);
  });

  it("renders the same document at preview as at deploy when the reader ARNs are known", async () => {
    const args = {
      secretArn: SECRET_ARN,
      readerRoleArns: [EXEC_ROLE],
      managerArns: ["arn:aws:iam::123456789012:role/ci-deploy", "arn:aws:iam::123456789012:role/admins/break-glass"],
    };
    const up = await runComponent(() => new SecretAccessPolicy("access", args));
    const preview = await runComponent(() => new SecretAccessPolicy("access", args), { preview: true });
    expect(preview.one("aws:secretsmanager/secretPolicy:SecretPolicy").inputs.policy).toBe(
      up.one("aws:secretsmanager/secretPolicy:SecretPolicy").inputs.policy,
    );
  });
});
