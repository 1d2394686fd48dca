import { rdsIsolatedSubnets } from "./rds-isolated-subnets";
import { runStackPolicy, TestResource, testUrn, UNKNOWN } from "./testing";

const T = {
  vpc: "aws:ec2/vpc:Vpc",
  igw: "aws:ec2/internetGateway:InternetGateway",
  nat: "aws:ec2/natGateway:NatGateway",
  subnet: "aws:ec2/subnet:Subnet",
  rt: "aws:ec2/routeTable:RouteTable",
  assoc: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  route: "aws:ec2/route:Route",
  sg: "aws:rds/subnetGroup:SubnetGroup",
  db: "aws:rds/instance:Instance",
};

/** A resource as a preview sees it: references are unknown values whose targets the engine records. */
function res(type: string, name: string, props: Record<string, unknown> = {}, refs: Record<string, [string, string][]> = {}): TestResource {
  const propertyDependencies = Object.fromEntries(Object.entries(refs).map(([k, targets]) => [k, targets.map(([t, n]) => testUrn(t, n))]));
  const refProps = Object.fromEntries(Object.entries(refs).map(([k, targets]) => [k, k === "subnetIds" ? targets.map(() => UNKNOWN) : UNKNOWN]));
  return { type, name, props: { ...refProps, ...props }, propertyDependencies };
}

interface Variant {
  dbRouteTable?: string;
  extra?: TestResource[];
  dbRtProps?: Record<string, unknown>;
  associate?: boolean;
  db?: Partial<TestResource>;
}

function stack(v: Variant = {}): TestResource[] {
  const dbRt = v.dbRouteTable ?? "db-rt";
  const assocs =
    v.associate === false ? [] : ["db-a", "db-b"].map((s) => res(T.assoc, `${s}-assoc`, {}, { subnetId: [[T.subnet, s]], routeTableId: [[T.rt, dbRt]] }));
  return [
    res(T.vpc, "vpc", { cidrBlock: "10.40.0.0/16" }),
    res(T.igw, "igw", {}, { vpcId: [[T.vpc, "vpc"]] }),
    res(T.subnet, "public-a", { mapPublicIpOnLaunch: false }, { vpcId: [[T.vpc, "vpc"]] }),
    res(T.nat, "nat-a", {}, { subnetId: [[T.subnet, "public-a"]] }),
    ...["db-a", "db-b"].map((s) => res(T.subnet, s, {}, { vpcId: [[T.vpc, "vpc"]] })),
    res(T.rt, "public-rt", {}, { vpcId: [[T.vpc, "vpc"]] }),
    res(T.route, "public-default", { destinationCidrBlock: "0.0.0.0/0" }, { routeTableId: [[T.rt, "public-rt"]], gatewayId: [[T.igw, "igw"]] }),
    res(T.rt, "app-rt", {}, { vpcId: [[T.vpc, "vpc"]] }),
    res(T.route, "app-default", { destinationCidrBlock: "0.0.0.0/0" }, { routeTableId: [[T.rt, "app-rt"]], natGatewayId: [[T.nat, "nat-a"]] }),
    res(T.rt, "db-rt", { ...v.dbRtProps }, { vpcId: [[T.vpc, "vpc"]] }),
    ...assocs,
    res(
      T.sg,
      "db-subnets",
      {},
      {
        subnetIds: [
          [T.subnet, "db-a"],
          [T.subnet, "db-b"],
        ],
      },
    ),
    { ...res(T.db, "db", { engine: "mysql", publiclyAccessible: false }, { dbSubnetGroupName: [[T.sg, "db-subnets"]] }), ...v.db },
    ...(v.extra ?? []),
  ];
}

const DB_URN = testUrn(T.db, "db");

describe("rds-isolated-subnets", () => {
  it("passes isolated database subnets, deciding at preview through the recorded references", async () => {
    expect(await runStackPolicy(rdsIsolatedSubnets, stack(), { preview: true })).toMatchObject({ violations: [], undecidable: false, notApplicable: false });
  });

  it("passes after deploy, matching references by id", async () => {
    const resources: TestResource[] = [
      { type: T.subnet, name: "db-a", props: { id: "subnet-1", vpcId: "vpc-1" } },
      { type: T.rt, name: "db-rt", props: { id: "rtb-1", routes: [] } },
      { type: T.assoc, name: "a", props: { subnetId: "subnet-1", routeTableId: "rtb-1" } },
      { type: T.sg, name: "g", props: { name: "db-subnets", subnetIds: ["subnet-1"] } },
      { type: T.db, name: "db", props: { dbSubnetGroupName: "db-subnets" } },
    ];
    expect((await runStackPolicy(rdsIsolatedSubnets, resources)).violations).toEqual([]);
    const routed = resources.map((r) =>
      r.name === "db-rt" ? { ...r, props: { id: "rtb-1", routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-0abc" }] } } : r,
    );
    expect((await runStackPolicy(rdsIsolatedSubnets, routed)).violations).toEqual(["subnet db-a (route table db-rt) routes to the internet via igw-0abc."]);
  });

  it.each([
    ["associated with the NAT-routed app table", { dbRouteTable: "app-rt" }, "subnet db-a (route table app-rt) routes to the internet via nat-a."],
    ["associated with the public table", { dbRouteTable: "public-rt" }, "subnet db-a (route table public-rt) routes to the internet via igw."],
    [
      "given an inline route to the internet gateway",
      { dbRtProps: { routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-0abc" }] } },
      "subnet db-a (route table db-rt) routes to the internet via igw-0abc.",
    ],
    [
      "given an inline NAT route",
      { dbRtProps: { routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: "nat-0abc" }] } },
      "subnet db-a (route table db-rt) routes to the internet via nat-0abc.",
    ],
    [
      "given a standalone NAT route",
      { extra: [res(T.route, "db-default", { destinationCidrBlock: "0.0.0.0/0" }, { routeTableId: [[T.rt, "db-rt"]], natGatewayId: [[T.nat, "nat-a"]] })] },
      "subnet db-a (route table db-rt) routes to the internet via nat-a.",
    ],
    [
      "left on the VPC main table, which routes to the internet",
      {
        associate: false,
        extra: [res(T.route, "main-default", { destinationCidrBlock: "0.0.0.0/0" }, { routeTableId: [[T.vpc, "vpc"]], gatewayId: [[T.igw, "igw"]] })],
      },
      "subnet db-a (route table vpc) routes to the internet via igw.",
    ],
  ])("blocks database subnets %s", async (_label, variant, message) => {
    const r = await runStackPolicy(rdsIsolatedSubnets, stack(variant as Variant), { preview: true });
    expect(r.violations).toEqual([message, message.replace("db-a", "db-b")]);
    expect(r.findings[0]).toMatchObject({ level: "mandatory", urn: DB_URN });
  });

  it("blocks an instance without a subnet group (default VPC)", async () => {
    const r = await runStackPolicy(rdsIsolatedSubnets, stack({ db: { props: { engine: "mysql" }, propertyDependencies: {} } }), { preview: true });
    expect(r.violations).toEqual(["no dbSubnetGroupName: the instance is placed in the default VPC, whose subnets route to the internet."]);
  });

  it("blocks a subnet group that is not in the stack", async () => {
    const r = await runStackPolicy(rdsIsolatedSubnets, stack({ db: { props: { dbSubnetGroupName: "default" }, propertyDependencies: {} } }), { preview: true });
    expect(r.violations).toEqual(['dbSubnetGroupName "default" is not a subnet group of this stack: isolation cannot be verified.']);
  });

  it("is not applicable without an RDS instance", async () => {
    const r = await runStackPolicy(
      rdsIsolatedSubnets,
      stack().filter((x) => x.type !== T.db),
      { preview: true },
    );
    expect(r.notApplicable).toBe(true);
  });

  it("says explicitly when a reference is unknown and unrecorded at preview", async () => {
    const r = await runStackPolicy(rdsIsolatedSubnets, stack({ db: { props: { dbSubnetGroupName: UNKNOWN }, propertyDependencies: {} } }), { preview: true });
    expect(r).toMatchObject({ violations: [], undecidable: true });
    expect(r.findings[0].message).toMatch(/db\.dbSubnetGroupName is unknown during preview; decided at `pulumi up`/);
  });
});
