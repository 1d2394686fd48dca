/**
 * The data tier as the real prod stack (Pulumi.prod.yaml) builds it: network isolation, security
 * groups, RDS hardening, database users, secrets, backups, the admin path, `protect`, and that no
 * secret value is ever stored unwrapped. One program run per mode, shared by every test.
 */
import { Captured, CapturedResource, isSecret, Json, plain, runProgram, SECRET_SIG, UNKNOWN } from "../test/harness";
import { parseDbUrl } from "../scripts/verify/db/url";
import { MIGRATE_PRIVILEGES } from "../infra/database";

const T = {
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  routeTable: "aws:ec2/routeTable:RouteTable",
  route: "aws:ec2/route:Route",
  rta: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  nat: "aws:ec2/natGateway:NatGateway",
  igw: "aws:ec2/internetGateway:InternetGateway",
  defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  flowLog: "aws:ec2/flowLog:FlowLog",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  key: "aws:kms/key:Key",
  rds: "aws:rds/instance:Instance",
  params: "aws:rds/parameterGroup:ParameterGroup",
  subnetGroup: "aws:rds/subnetGroup:SubnetGroup",
  mysqlProvider: "pulumi:providers:mysql",
  mysqlDb: "mysql:index/database:Database",
  mysqlUser: "mysql:index/user:User",
  mysqlGrant: "mysql:index/grant:Grant",
  password: "random:index/randomPassword:RandomPassword",
  bytes: "random:index/randomBytes:RandomBytes",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  vault: "aws:backup/vault:Vault",
  vaultLock: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
  plan: "aws:backup/plan:Plan",
  selection: "aws:backup/selection:Selection",
  restorePlan: "aws:backup/restoreTestingPlan:RestoreTestingPlan",
  restoreSelection: "aws:backup/restoreTestingSelection:RestoreTestingSelection",
  instance: "aws:ec2/instance:Instance",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const tag = (r: CapturedResource, key: string) => (r.inputs.tags as Record<string, string> | undefined)?.[key];
const byTag = (run: Captured, type: string, key: string, value: string) => run.byType(type).filter((r) => tag(r, key) === value);
const sgId = (run: Captured, role: string) => run.one(T.sg, `network-sg-${role}`).id as string;
const secretJson = (run: Captured, role: string): Record<string, string> => {
  const value = run.one(T.secretVersion, `secrets-${role}-value`).inputs.secretString;
  expect(isSecret(value)).toBe(true);
  return JSON.parse(plain(value) as string);
};

/** Every string reachable in a serialized value, except those inside secret wrappers. */
function plainStrings(value: Json | undefined, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => plainStrings(v, out));
  else if (value && typeof value === "object" && value[SECRET_SIG] === undefined) Object.values(value).forEach((v) => plainStrings(v, out));
  return out;
}

describe("data tier in the prod stack", () => {
  let run: Captured;
  let preview: Captured;
  beforeAll(async () => {
    run = await runProgram();
    preview = await runProgram({ preview: true });
  });

  it("calls no provider function the mocks do not know, in either mode", () => {
    expect(run.unknownCalls).toEqual([]);
    expect(preview.unknownCalls).toEqual([]);
  });

  describe("network", () => {
    it("spreads three tiers over three zones, and no subnet assigns public addresses", () => {
      for (const tier of ["public", "private", "database"]) {
        const subnets = byTag(run, T.subnet, "catalyst:tier", tier);
        expect(subnets).toHaveLength(3);
        expect(new Set(subnets.map((s) => s.outputs.availabilityZone)).size).toBe(3);
      }
      expect(run.byType(T.subnet).every((s) => s.inputs.mapPublicIpOnLaunch === false)).toBe(true);
      expect(run.one(T.vpc).inputs).toMatchObject({ cidrBlock: "10.40.0.0/16", enableDnsHostnames: true, enableDnsSupport: true });
    });

    it("gives the database subnets a route table with no route at all (only the implicit local one)", () => {
      const [table] = byTag(run, T.routeTable, "catalyst:tier", "database");
      expect(table.inputs.routes ?? []).toEqual([]);
      expect(run.byType(T.route).filter((r) => r.inputs.routeTableId === table.id)).toEqual([]);
      const dbSubnetIds = byTag(run, T.subnet, "catalyst:tier", "database")
        .map((s) => s.id)
        .sort();
      const associated = run
        .byType(T.rta)
        .filter((a) => a.inputs.routeTableId === table.id)
        .map((a) => a.inputs.subnetId)
        .sort();
      expect(associated).toEqual(dbSubnetIds);
      expect(((run.one(T.subnetGroup).inputs.subnetIds as string[]) ?? []).slice().sort()).toEqual(dbSubnetIds);
    });

    it("sends private-subnet egress through one NAT gateway per zone, and only public subnets route to the internet gateway", () => {
      const nats = run.byType(T.nat);
      expect(nats).toHaveLength(3);
      const publicIds = byTag(run, T.subnet, "catalyst:tier", "public").map((s) => s.id);
      expect(nats.every((n) => publicIds.includes(n.inputs.subnetId as string))).toBe(true);
      const privateTables = byTag(run, T.routeTable, "catalyst:tier", "private").map((t) => t.id);
      const natRoutes = run.byType(T.route).filter((r) => privateTables.includes(r.inputs.routeTableId as string));
      expect(natRoutes.map((r) => r.inputs.destinationCidrBlock)).toEqual(["0.0.0.0/0", "0.0.0.0/0", "0.0.0.0/0"]);
      expect(new Set(natRoutes.map((r) => r.inputs.natGatewayId)).size).toBe(3);
      const igwRoutes = run.byType(T.route).filter((r) => r.inputs.gatewayId === run.one(T.igw).id);
      expect(
        igwRoutes.map((r) =>
          tag(
            run.byType(T.routeTable).find((t) => t.id === r.inputs.routeTableId)!,
            "catalyst:tier",
          ),
        ),
      ).toEqual(["public"]);
    });

    it("strips every rule from the VPC's default security group", () => {
      expect(run.one(T.defaultSg).inputs).toMatchObject({ ingress: [], egress: [] });
    });

    it("logs all VPC traffic to a KMS-encrypted log group kept 365 days", () => {
      const flow = run.one(T.flowLog);
      const group = run.one(T.logGroup, "network-flow-logs");
      expect(flow.inputs).toMatchObject({
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        vpcId: run.one(T.vpc).id,
        logDestination: group.outputs.arn,
      });
      expect(group.inputs).toMatchObject({ retentionInDays: 365, kmsKeyId: run.one(T.key, "network-flow-logs-key").outputs.arn });
    });
  });

  describe("security groups", () => {
    it("tags every group with its catalyst:role and describes every group and rule", () => {
      const roles = Object.fromEntries(run.byType(T.sg).map((g) => [g.name.replace("network-sg-", ""), tag(g, "catalyst:role")]));
      expect(roles).toEqual({
        loadBalancer: "load-balancer",
        frontend: "app",
        agent: "app",
        migrate: "app",
        database: "database",
        dbAdmin: "admin",
        restoreTest: "database",
      });
      for (const g of run.byType(T.sg)) {
        expect(g.inputs.description).toEqual(expect.any(String));
        for (const r of [...((g.inputs.ingress as Any[]) ?? []), ...((g.inputs.egress as Any[]) ?? [])]) expect(r.description).toEqual(expect.any(String));
      }
      for (const r of [...run.byType(T.ingress), ...run.byType(T.egress)]) expect((r.inputs.description as string).length).toBeGreaterThan(10);
      expect(run.byType(T.sgRule)).toEqual([]);
    });

    it("lets nothing but the load balancer accept traffic from outside the VPC, and the load balancer only Cloudflare on 80/443", () => {
      const lb = run.one(T.sg, "network-sg-loadBalancer");
      const lbIngress = lb.inputs.ingress as Any[];
      expect(lbIngress.map((r) => r.fromPort)).toEqual([443, 80]);
      for (const r of lbIngress) {
        expect(r.toPort).toBe(r.fromPort);
        expect(r.cidrBlocks).toContain("173.245.48.0/20");
        expect(r.ipv6CidrBlocks).toContain("2606:4700::/32");
        expect([...r.cidrBlocks, ...r.ipv6CidrBlocks]).not.toEqual(expect.arrayContaining(["0.0.0.0/0"]));
        expect(r.ipv6CidrBlocks).not.toContain("::/0");
      }
      const external = run
        .byType(T.ingress)
        .filter((r) => r.inputs.cidrIpv4 !== undefined || r.inputs.cidrIpv6 !== undefined || r.inputs.prefixListId !== undefined);
      expect(external).toEqual([]);
      for (const g of run.byType(T.sg).filter((x) => x !== lb)) expect(g.inputs.ingress ?? []).toEqual([]);
    });

    it("lets the load balancer out only to the app ports of the app groups", () => {
      const egress = run.one(T.sg, "network-sg-loadBalancer").inputs.egress as Any[];
      expect(egress.map((r) => [r.fromPort, r.toPort, r.securityGroups])).toEqual([
        [3000, 3000, [sgId(run, "frontend")]],
        [3001, 3001, [sgId(run, "agent")]],
      ]);
    });

    it("admits MySQL (3306 only) to the database from the frontend, agent, migration and admin groups only", () => {
      const db = sgId(run, "database");
      const rules = run.byType(T.ingress).filter((r) => r.inputs.securityGroupId === db);
      expect(rules.map((r) => r.inputs.referencedSecurityGroupId).sort()).toEqual(["frontend", "agent", "migrate", "dbAdmin"].map((g) => sgId(run, g)).sort());
      expect(rules.every((r) => r.inputs.fromPort === 3306 && r.inputs.toPort === 3306 && r.inputs.ipProtocol === "tcp")).toBe(true);
      expect(run.byType(T.egress).filter((r) => r.inputs.securityGroupId === db)).toEqual([]);
      expect(run.one(T.rds).inputs.vpcSecurityGroupIds).toEqual([db]);
    });

    it("admits the app ports only from the load balancer, nothing to migrate and admin, and only the admin host to restored copies", () => {
      const ingressOf = (role: string) => run.byType(T.ingress).filter((r) => r.inputs.securityGroupId === sgId(run, role));
      for (const [role, port] of [
        ["frontend", 3000],
        ["agent", 3001],
      ] as const) {
        expect(ingressOf(role).map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.referencedSecurityGroupId])).toEqual([
          [port, port, sgId(run, "loadBalancer")],
        ]);
      }
      for (const role of ["migrate", "dbAdmin"]) expect(ingressOf(role)).toEqual([]);
      expect(ingressOf("restoreTest").map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.referencedSecurityGroupId])).toEqual([
        [3306, 3306, sgId(run, "dbAdmin")],
      ]);
      expect(run.byType(T.egress).filter((r) => r.inputs.securityGroupId === sgId(run, "restoreTest"))).toEqual([]);
    });

    it("lets app, migration and admin groups out only on HTTPS and to the database group on 3306 (admin also to restored copies)", () => {
      const egressOf = (role: string) =>
        run
          .byType(T.egress)
          .filter((r) => r.inputs.securityGroupId === sgId(run, role))
          .map((r) => [r.inputs.fromPort, r.inputs.cidrIpv4 ?? r.inputs.referencedSecurityGroupId])
          .sort();
      const base = [
        [3306, sgId(run, "database")],
        [443, "0.0.0.0/0"],
      ];
      for (const role of ["frontend", "agent", "migrate"]) expect(egressOf(role)).toEqual(base.slice().sort());
      expect(egressOf("dbAdmin")).toEqual([...base, [3306, sgId(run, "restoreTest")]].sort());
    });

    it("opens the load balancer to the internet (80/443 only) when Cloudflare does not proxy, and nothing else", async () => {
      const open = await runProgram({ override: { "catalyst:cloudflareProxied": "false" } });
      const ingress = open.one(T.sg, "network-sg-loadBalancer").inputs.ingress as Any[];
      expect(ingress.map((r) => [r.fromPort, r.cidrBlocks, r.ipv6CidrBlocks])).toEqual([
        [443, ["0.0.0.0/0"], ["::/0"]],
        [80, ["0.0.0.0/0"], ["::/0"]],
      ]);
      expect(open.byType(T.ingress).filter((r) => r.inputs.cidrIpv4 !== undefined || r.inputs.cidrIpv6 !== undefined)).toEqual([]);
    });
  });

  describe("RDS MySQL", () => {
    it("runs MySQL 8.4 privately in the isolated subnets, encrypted with a rotating customer-managed key", () => {
      const db = run.one(T.rds);
      expect(db.inputs).toMatchObject({
        identifier: "catalyst-prod-db",
        engine: "mysql",
        engineVersion: "8.4",
        publiclyAccessible: false,
        storageEncrypted: true,
        dbSubnetGroupName: run.one(T.subnetGroup).outputs.name,
        autoMinorVersionUpgrade: true,
        allowMajorVersionUpgrade: false,
      });
      const key = run.one(T.key, "db-key");
      expect(db.inputs.kmsKeyId).toBe(key.outputs.arn);
      expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    });

    it("attaches its own mysql8.4 parameter group that requires TLS 1.2+", () => {
      const params = run.one(T.params);
      expect(run.one(T.rds).inputs.parameterGroupName).toBe(params.outputs.name);
      expect(params.inputs.family).toBe("mysql8.4");
      const byName = Object.fromEntries((params.inputs.parameters as Any[]).map((p) => [p.name, p.value]));
      expect(byName).toMatchObject({ require_secure_transport: "1", tls_version: "TLSv1.2,TLSv1.3", local_infile: "0" });
      expect(run.one(T.rds).inputs.caCertIdentifier).toBe("rds-ca-rsa2048-g1");
    });

    it("is Multi-AZ with 14 days of backups, windows, deletion protection, a final snapshot and snapshot tags", () => {
      expect(run.one(T.rds).inputs).toMatchObject({
        multiAz: true,
        backupRetentionPeriod: 14,
        backupWindow: "02:00-03:00",
        maintenanceWindow: "sun:03:30-sun:04:30",
        deletionProtection: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: "catalyst-prod-db-final",
        copyTagsToSnapshot: true,
        deleteAutomatedBackups: false,
      });
    });

    it("takes size and storage autoscaling from config", () => {
      expect(run.one(T.rds).inputs).toMatchObject({ instanceClass: "db.r7g.large", allocatedStorage: 100, maxAllocatedStorage: 500, storageType: "gp3" });
    });

    it("lets RDS manage the master password in Secrets Manager: no password anywhere in the program", () => {
      const db = run.one(T.rds);
      expect(db.inputs).toMatchObject({ manageMasterUserPassword: true, masterUserSecretKmsKeyId: run.one(T.key, "db-key").outputs.arn, username: "dbadmin" });
      expect(db.inputs).not.toHaveProperty("password");
      expect(db.inputs).not.toHaveProperty("passwordWo");
    });

    it("has Enhanced Monitoring, Database Insights, and error/slow-query logs in encrypted, retained log groups created first", () => {
      const db = run.one(T.rds);
      expect(db.inputs).toMatchObject({
        monitoringInterval: 60,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: run.one(T.key, "db-key").outputs.arn,
        databaseInsightsMode: "standard",
        enabledCloudwatchLogsExports: ["error", "slowquery"],
      });
      expect(db.inputs.monitoringRoleArn).toBe(run.one("aws:iam/role:Role", "db-monitoring-role").outputs.arn);
      for (const log of ["error", "slowquery"]) {
        const group = run.one(T.logGroup, `db-log-${log}`);
        expect(group.inputs).toMatchObject({
          name: `/aws/rds/instance/catalyst-prod-db/${log}`,
          retentionInDays: 365,
          kmsKeyId: run.one(T.key, "db-logs-key").outputs.arn,
        });
        expect(db.dependencies).toContain(group.urn);
      }
    });
  });

  describe("database users", () => {
    const grant = (role: string) => run.one(T.mysqlGrant, `db-users-${role}-grant`).inputs;

    it("grants the runtime user exactly SELECT, INSERT, UPDATE, DELETE on catalyst.*, without GRANT OPTION", () => {
      const g = grant("runtime");
      expect(g).toMatchObject({ user: "catalyst_app", host: "%", database: "catalyst", table: "*", grant: false });
      expect((g.privileges as string[]).slice().sort()).toEqual(["DELETE", "INSERT", "SELECT", "UPDATE"]);
    });

    it("grants the migration user DDL + DML on catalyst.* only: no global privilege, no GRANT OPTION", () => {
      const g = grant("migrate");
      expect(g).toMatchObject({ user: "catalyst_migrate", host: "%", database: "catalyst", table: "*", grant: false });
      expect((g.privileges as string[]).slice().sort()).toEqual([...MIGRATE_PRIVILEGES].sort());
      expect(run.byType(T.mysqlGrant).every((x) => x.inputs.database === "catalyst" && x.inputs.grant === false)).toBe(true);
      expect(run.byType(T.mysqlGrant).flatMap((x) => x.inputs.privileges as string[])).not.toEqual(
        expect.arrayContaining(["ALL", "ALL PRIVILEGES", "SUPER", "GRANT OPTION"]),
      );
    });

    it("requires TLS of both users, whose passwords are random, 32 characters, and secret", () => {
      const users = run.byType(T.mysqlUser);
      expect(users.map((u) => u.inputs.user).sort()).toEqual(["catalyst_app", "catalyst_migrate"]);
      for (const u of users) {
        expect(u.inputs.tlsOption).toBe("SSL");
        expect(isSecret(u.inputs.plaintextPassword)).toBe(true);
        expect(u.inputs).not.toHaveProperty("password");
      }
      expect(run.byType(T.mysqlGrant).every((g) => g.inputs.tlsOption === "SSL")).toBe(true);
      for (const p of run.byType(T.password)) {
        expect(p.inputs).toMatchObject({ length: 32, special: true, keepers: { generation: "1" } });
        expect(isSecret(p.outputs.result)).toBe(true);
      }
      expect(plain(run.one(T.mysqlUser, "db-users-runtime").inputs.plaintextPassword)).toBe(
        plain(run.one(T.password, "db-users-runtime-password").outputs.result),
      );
    });

    it("manages users as the RDS master through the tunnel's SOCKS proxy, verifying TLS against the RDS endpoint name", () => {
      const [provider] = run.byType(T.mysqlProvider);
      const db = run.one(T.rds);
      expect(provider.inputs).toMatchObject({ endpoint: `${db.outputs.address}:3306`, tls: "true", proxy: "socks5://127.0.0.1:13306", username: "dbadmin" });
      expect(isSecret(provider.inputs.password)).toBe(true);
      expect(plain(provider.inputs.password)).toMatch(/^mock-master-/);
      for (const r of [...run.byType(T.mysqlUser), ...run.byType(T.mysqlGrant), ...run.byType(T.mysqlDb)])
        expect(r.provider).toBe(`${provider.urn}::${provider.id}`);
    });

    it("creates the catalyst database (utf8mb4), protected", () => {
      const db = run.one(T.mysqlDb);
      expect(db.inputs).toMatchObject({ name: "catalyst", defaultCharacterSet: "utf8mb4", defaultCollation: "utf8mb4_0900_ai_ci" });
      expect(db.protect).toBe(true);
    });
  });

  describe("secrets", () => {
    it("names the secrets per stack, encrypts them with a rotating customer-managed key, and keeps a 30-day recovery window", () => {
      const key = run.one(T.key, "secrets-key");
      expect(key.inputs.enableKeyRotation).toBe(true);
      const secrets = run.byType(T.secret);
      expect(secrets.map((s) => s.inputs.name).sort()).toEqual(["catalyst/prod/migrate", "catalyst/prod/runtime"]);
      for (const s of secrets) expect(s.inputs).toMatchObject({ kmsKeyId: key.outputs.arn, recoveryWindowInDays: 30 });
      expect(secrets.every((s) => s.inputs.forceOverwriteReplicaSecret !== true)).toBe(true);
    });

    it("puts DATABASE_URL (runtime user, seed form) and BETTER_AUTH_SECRET (32 random bytes, base64) in the runtime secret", () => {
      const runtime = secretJson(run, "runtime");
      expect(Object.keys(runtime).sort()).toEqual(["BETTER_AUTH_SECRET", "DATABASE_URL"]);
      const address = run.one(T.rds).outputs.address as string;
      expect(runtime.DATABASE_URL).toMatch(new RegExp(`^mysql://catalyst_app:[^@]+@${address.replace(/\./g, "\\.")}:3306/catalyst\\?ssl=true$`));
      const parsed = parseDbUrl(runtime.DATABASE_URL);
      expect(parsed).toMatchObject({ host: address, port: 3306, user: "catalyst_app", schema: "catalyst" });
      expect(parsed.password).toBe(plain(run.one(T.password, "db-users-runtime-password").outputs.result));
      expect(Buffer.from(runtime.BETTER_AUTH_SECRET, "base64")).toHaveLength(32);
      expect(run.one(T.bytes).inputs).toMatchObject({ length: 32, keepers: { generation: "1" } });
    });

    it("keeps the migration credential in its own secret, for the migration user", () => {
      const migrate = secretJson(run, "migrate");
      expect(Object.keys(migrate)).toEqual(["DATABASE_URL_MIGRATE"]);
      expect(parseDbUrl(migrate.DATABASE_URL_MIGRATE)).toMatchObject({ user: "catalyst_migrate", schema: "catalyst", port: 3306 });
      expect(migrate.DATABASE_URL_MIGRATE).toMatch(/\?ssl=true$/);
    });

    it("regenerates both passwords and BETTER_AUTH_SECRET when secretsGeneration changes", async () => {
      const rotated = await runProgram({ override: { "catalyst:secretsGeneration": "2" } });
      for (const r of [...rotated.byType(T.password), ...rotated.byType(T.bytes)]) expect(r.inputs.keepers).toEqual({ generation: "2" });
      expect(rotated.byType(T.password)).toHaveLength(2);
    });
  });

  describe("backups", () => {
    it("backs the database up daily into a locked vault with its own key, kept 35 days and copied to eu-central-1", () => {
      const vaults = run.byType(T.vault);
      const home = vaults.find((v) => v.inputs.name === "catalyst-prod-database")!;
      const copy = vaults.find((v) => v.inputs.name === "catalyst-prod-database-copy")!;
      expect(home.inputs.kmsKeyArn).toBe(run.one(T.key, "db-backup-vault-key").outputs.arn);
      expect(copy.inputs).toMatchObject({ region: "eu-central-1", kmsKeyArn: run.one(T.key, "db-backup-copy-vault-key").outputs.arn });
      expect(run.one(T.key, "db-backup-copy-vault-key").inputs.region).toBe("eu-central-1");
      expect(
        run
          .byType(T.vaultLock)
          .map((l) => l.inputs)
          .sort((a, b) => String(a.region).localeCompare(String(b.region))),
      ).toEqual(
        [
          { backupVaultName: "catalyst-prod-database", minRetentionDays: 7, changeableForDays: 3 },
          { backupVaultName: "catalyst-prod-database-copy", minRetentionDays: 7, changeableForDays: 3, region: "eu-central-1" },
        ].sort((a, b) => String(a.region).localeCompare(String(b.region))),
      );
      const [rule] = run.one(T.plan).inputs.rules as Any[];
      expect(rule).toMatchObject({ targetVaultName: "catalyst-prod-database", schedule: "cron(0 5 ? * * *)", lifecycle: { deleteAfter: 35 } });
      expect(rule.copyActions).toEqual([{ destinationVaultArn: copy.outputs.arn, lifecycle: { deleteAfter: 35 } }]);
      expect(run.one(T.selection).inputs.resources).toEqual([run.one(T.rds).outputs.arn]);
    });

    it("tests restores weekly: the latest recovery point is restored into the isolated subnets behind the restore-test group", () => {
      const plan = run.one(T.restorePlan).inputs;
      expect(plan).toMatchObject({ name: "catalyst_prod_db_restore_test", scheduleExpression: "cron(0 9 ? * SUN *)" });
      expect(plan.recoveryPointSelection).toMatchObject({
        algorithm: "LATEST_WITHIN_WINDOW",
        includeVaults: [run.byType(T.vault).find((v) => !v.inputs.region)!.outputs.arn],
        recoveryPointTypes: ["SNAPSHOT"],
      });
      const selection = run.one(T.restoreSelection).inputs;
      expect(selection).toMatchObject({
        protectedResourceType: "RDS",
        protectedResourceArns: [run.one(T.rds).outputs.arn],
        restoreTestingPlanName: "catalyst_prod_db_restore_test",
      });
      expect(selection.restoreMetadataOverrides).toEqual({
        dbsubnetgroupname: run.one(T.subnetGroup).outputs.name,
        vpcsecuritygroupids: JSON.stringify([sgId(run, "restoreTest")]),
        multiaz: "false",
        publiclyaccessible: "false",
      });
    });
  });

  describe("admin path", () => {
    it("is a private, IMDSv2-only, encrypted instance reachable only through SSM, in the admin group", () => {
      const host = run.one(T.instance, "db-admin-instance");
      const privateIds = byTag(run, T.subnet, "catalyst:tier", "private").map((s) => s.id);
      expect(privateIds).toContain(host.inputs.subnetId);
      expect(host.inputs).toMatchObject({
        associatePublicIpAddress: false,
        vpcSecurityGroupIds: [sgId(run, "dbAdmin")],
        metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
        rootBlockDevice: { encrypted: true },
      });
      const role = run.one("aws:iam/role:Role", "db-admin-role");
      expect(
        run
          .byType(T.attachment)
          .filter((a) => a.inputs.role === role.outputs.name)
          .map((a) => a.inputs.policyArn),
      ).toEqual(["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
    });

    it("tells operators how to open it, through non-secret stack outputs", () => {
      const o = run.stackOutputs as Record<string, Any>;
      expect(o.dbTunnel).toEqual({
        region: "eu-west-1",
        instanceId: run.one(T.instance, "db-admin-instance").id,
        host: run.one(T.rds).outputs.address,
        port: 3306,
        localEndpoint: "127.0.0.1:13306",
      });
      expect(o.dbTunnelCommand).toBe("scripts/db-tunnel.sh start --stack prod");
      expect(o).toMatchObject({
        dbEndpoint: run.one(T.rds).outputs.endpoint,
        dbInstanceIdentifier: "catalyst-prod-db",
        dbName: "catalyst",
        dbUsers: { runtime: "catalyst_app", migrate: "catalyst_migrate" },
      });
      expect(o.runtimeSecretArn).toBe(run.one(T.secret, "secrets-runtime").outputs.arn);
      expect(o.migrateSecretArn).toBe(run.one(T.secret, "secrets-migrate").outputs.arn);
      for (const [key, value] of Object.entries(o)) expect({ key, secret: isSecret(value) }).toEqual({ key, secret: false });
    });
  });

  it("protects every stateful resource: the instance, the app database, every key, secret, vault, lock and log group", () => {
    const stateful = [T.rds, T.mysqlDb, T.key, T.secret, T.vault, T.vaultLock];
    const dataResources = run.resources.filter(
      (r) => stateful.includes(r.type) && !r.urn.includes("catalyst:compute") && !r.urn.includes("catalyst:edge") && !r.urn.includes("catalyst:delivery"),
    );
    expect(dataResources.length).toBeGreaterThanOrEqual(14);
    for (const r of dataResources) expect({ name: r.name, protect: r.protect }).toEqual({ name: r.name, protect: true });
    for (const name of ["network-flow-logs", "db-log-error", "db-log-slowquery"]) expect(run.one(T.logGroup, name).protect).toBe(true);
  });

  it("never stores a secret value unwrapped: passwords, master password, URLs and BETTER_AUTH_SECRET appear only inside secrets", () => {
    const runtime = secretJson(run, "runtime");
    const migrate = secretJson(run, "migrate");
    const secrets = [
      ...run.byType(T.password).map((p) => plain(p.outputs.result) as string),
      plain(run.byType(T.mysqlProvider)[0].inputs.password) as string,
      runtime.DATABASE_URL,
      runtime.BETTER_AUTH_SECRET,
      migrate.DATABASE_URL_MIGRATE,
    ];
    expect(secrets.every((s) => typeof s === "string" && s.length >= 32)).toBe(true);
    const exposed = run.resources.flatMap((r) =>
      [...plainStrings(r.inputs), ...plainStrings(r.outputs)].filter((s) => secrets.some((secret) => s.includes(secret))).map(() => r.name),
    );
    expect(exposed).toEqual([]);
    expect(plainStrings(run.stackOutputs).filter((s) => secrets.some((secret) => s.includes(secret)))).toEqual([]);
    expect(run.byType(T.bytes).every((b) => isSecret(b.outputs.base64))).toBe(true);
  });

  describe("at preview", () => {
    it("needs no tunnel and no master secret: the provider gets no password, and no unknown value", () => {
      const [provider] = preview.byType(T.mysqlProvider);
      expect(provider.inputs).not.toHaveProperty("password");
      expect(provider.inputs).toMatchObject({ tls: "true", proxy: "socks5://127.0.0.1:13306", username: "dbadmin" });
    });

    it("knows every security-relevant value policies decide on", () => {
      const db = preview.one(T.rds).inputs;
      for (const key of [
        "publiclyAccessible",
        "storageEncrypted",
        "caCertIdentifier",
        "deletionProtection",
        "backupRetentionPeriod",
        "multiAz",
        "manageMasterUserPassword",
        "skipFinalSnapshot",
        "engineVersion",
      ]) {
        expect({ key, value: db[key] }).not.toEqual({ key, value: UNKNOWN });
        expect(db[key]).toBeDefined();
      }
      expect(preview.one(T.params).inputs.parameters).toEqual(run.one(T.params).inputs.parameters);
      expect(preview.one(T.sg, "network-sg-loadBalancer").inputs.ingress).toEqual(run.one(T.sg, "network-sg-loadBalancer").inputs.ingress);
      const egress = preview.one(T.sg, "network-sg-loadBalancer").inputs.egress as Any[];
      expect(egress.map((r) => [r.fromPort, r.toPort, r.protocol])).toEqual([
        [3000, 3000, "tcp"],
        [3001, 3001, "tcp"],
      ]);
      for (const r of [...preview.byType(T.ingress), ...preview.byType(T.egress)]) {
        expect([r.inputs.fromPort, r.inputs.toPort, r.inputs.ipProtocol].includes(UNKNOWN)).toBe(false);
      }
      for (const u of preview.byType(T.mysqlUser)) expect(u.inputs.tlsOption).toBe("SSL");
      expect(preview.one(T.mysqlGrant, "db-users-runtime-grant").inputs.privileges).toEqual(["SELECT", "INSERT", "UPDATE", "DELETE"]);
      expect(preview.byType(T.subnet).every((s) => s.inputs.mapPublicIpOnLaunch === false)).toBe(true);
    });
  });
});
