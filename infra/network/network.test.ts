import { Captured, runComponent, UNKNOWN } from "../../test/harness";
import { INTERNET_SOURCES, Network, NetworkArgs } from "./network";

const CLOUDFLARE = { ipv4: ["173.245.48.0/20", "103.21.244.0/22"], ipv6: ["2606:4700::/32"] };
const IAM = { path: "/catalyst/", permissionsBoundary: "arn:aws:iam::123456789012:policy/catalyst-workload-boundary" };
const base: NetworkArgs = { namePrefix: "catalyst-test", region: "eu-west-1", cidr: "10.50.0.0/16", azCount: 2, loadBalancerSources: CLOUDFLARE, iam: IAM };

const deploy = (args: Partial<NetworkArgs> = {}, preview = false) => runComponent(() => new Network("net", { ...base, ...args }), { preview });
const tier = (run: Captured, t: string) => run.byType("aws:ec2/subnet:Subnet").filter((s) => (s.inputs.tags as Record<string, string>)["catalyst:tier"] === t);

describe("Network", () => {
  let run: Awaited<ReturnType<typeof deploy>>;
  beforeAll(async () => {
    run = await deploy();
  });

  it("plans the subnets from the VPC block, one per zone and tier", () => {
    expect(tier(run, "public").map((s) => s.inputs.cidrBlock)).toEqual(["10.50.0.0/20", "10.50.16.0/20"]);
    expect(tier(run, "private").map((s) => s.inputs.cidrBlock)).toEqual(["10.50.64.0/20", "10.50.80.0/20"]);
    expect(tier(run, "database").map((s) => s.inputs.cidrBlock)).toEqual(["10.50.128.0/20", "10.50.144.0/20"]);
    expect(run.component.privateSubnetIds).toHaveLength(2);
    expect(run.unknownCalls).toEqual([]);
  });

  it("shares one NAT gateway between zones only when asked to", async () => {
    const single = await deploy({ natGateways: "single", azCount: 3, protect: true });
    expect(single.byType("aws:ec2/natGateway:NatGateway")).toHaveLength(1);
    const natId = single.one("aws:ec2/natGateway:NatGateway").id;
    const natRoutes = single.byType("aws:ec2/route:Route").filter((r) => r.inputs.natGatewayId !== undefined);
    expect(natRoutes.map((r) => r.inputs.natGatewayId)).toEqual([natId, natId, natId]);
    const perZone = await deploy({ azCount: 3, protect: false });
    expect(perZone.byType("aws:ec2/natGateway:NatGateway")).toHaveLength(3);
    // protect follows the argument: on for the first run, off for the second.
    expect([single.one("aws:kms/key:Key").protect, single.one("aws:cloudwatch/logGroup:LogGroup").protect]).toEqual([true, true]);
    expect([perZone.one("aws:kms/key:Key").protect, perZone.one("aws:cloudwatch/logGroup:LogGroup").protect]).toEqual([false, false]);
  });

  it("routes S3 through a gateway endpoint on the private route tables", () => {
    const endpoint = run.one("aws:ec2/vpcEndpoint:VpcEndpoint");
    expect(endpoint.inputs).toMatchObject({ serviceName: "com.amazonaws.eu-west-1.s3", vpcEndpointType: "Gateway" });
    const privateTables = run
      .byType("aws:ec2/routeTable:RouteTable")
      .filter((t) => (t.inputs.tags as Record<string, string>)["catalyst:tier"] === "private")
      .map((t) => t.id);
    expect(endpoint.inputs.routeTableIds).toEqual(privateTables);
  });

  it("accepts load-balancer traffic only from the given sources; the internet must be passed explicitly", async () => {
    const ingress = run.one("aws:ec2/securityGroup:SecurityGroup", "loadBalancer").inputs.ingress as Array<Record<string, unknown>>;
    expect(ingress.map((r) => [r.fromPort, r.cidrBlocks, r.ipv6CidrBlocks])).toEqual([
      [443, ["103.21.244.0/22", "173.245.48.0/20"], ["2606:4700::/32"]],
      [80, ["103.21.244.0/22", "173.245.48.0/20"], ["2606:4700::/32"]],
    ]);
    const open = await deploy({ loadBalancerSources: INTERNET_SOURCES });
    const openIngress = open.one("aws:ec2/securityGroup:SecurityGroup", "loadBalancer").inputs.ingress as Array<Record<string, unknown>>;
    expect(openIngress.map((r) => [r.cidrBlocks, r.ipv6CidrBlocks])).toEqual([
      [["0.0.0.0/0"], ["::/0"]],
      [["0.0.0.0/0"], ["::/0"]],
    ]);
  });

  it("keeps the load balancer's sources and every rule's ports known at preview", async () => {
    const preview = await deploy({}, true);
    const lb = preview.one("aws:ec2/securityGroup:SecurityGroup", "loadBalancer").inputs;
    expect((lb.ingress as Array<Record<string, unknown>>)[0].cidrBlocks).toEqual(["103.21.244.0/22", "173.245.48.0/20"]);
    for (const r of preview.byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")) expect(r.inputs.fromPort).not.toBe(UNKNOWN);
  });

  it("names security groups in kebab case with the stack prefix", () => {
    expect(
      run
        .byType("aws:ec2/securityGroup:SecurityGroup")
        .map((g) => g.inputs.name)
        .sort(),
    ).toEqual(["agent", "database", "db-admin", "frontend", "load-balancer", "migrate", "restore-test"].map((r) => `catalyst-test-${r}`));
  });

  it("lets only VPC Flow Logs of this account assume the flow-log role, and write only to its log group", () => {
    const trust = JSON.parse(run.one("aws:iam/role:Role", "flow-logs-role").inputs.assumeRolePolicy as string);
    expect(trust.Statement[0]).toMatchObject({
      Principal: { Service: "vpc-flow-logs.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
    });
    expect(run.one("aws:iam/role:Role", "flow-logs-role").inputs).toMatchObject({ path: "/catalyst/", permissionsBoundary: IAM.permissionsBoundary });
    const policy = JSON.parse(run.one("aws:iam/rolePolicy:RolePolicy").inputs.policy as string);
    const groupArn = run.one("aws:cloudwatch/logGroup:LogGroup").outputs.arn;
    expect(policy.Statement).toEqual([
      { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: [groupArn, `${groupArn}:*`] },
    ]);
    expect(run.one("aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays).toBe(365);
  });
});
