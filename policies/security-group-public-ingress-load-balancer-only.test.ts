import { securityGroupPublicIngressLoadBalancerOnly as policy } from "./security-group-public-ingress-load-balancer-only";
import { runStackPolicy, TestResource, testUrn, UNKNOWN } from "./testing";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const LB = "aws:lb/loadBalancer:LoadBalancer";
const VPC_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EC2_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const SERVICE = "aws:ecs/service:Service";

const web = (port: number) => ({ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: ["0.0.0.0/0"] });
const group = (name: string, id: string, props: Record<string, unknown> = {}): TestResource => ({ type: SG, name, props: { id, vpcId: "vpc-1", ...props } });
const lb = (securityGroups: unknown[]): TestResource => ({ type: LB, name: "alb", props: { loadBalancerType: "application", securityGroups } });
const service = (securityGroups: unknown[]): TestResource => ({
  type: SERVICE,
  name: "frontend",
  props: { networkConfiguration: { assignPublicIp: false, subnets: ["subnet-a"], securityGroups } },
});
const ingressRule = (name: string, securityGroupId: unknown, port: number, cidr: unknown = "0.0.0.0/0"): TestResource => ({
  type: VPC_RULE,
  name,
  props: { securityGroupId, ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: cidr },
});

/** The shape of the real stack at `pulumi up`: ids known. */
const upStack = (): TestResource[] => [
  group("lb-sg", "sg-lb"),
  group("app-sg", "sg-app", { ingress: [{ protocol: "tcp", fromPort: 3000, toPort: 3001, securityGroups: ["sg-lb"] }] }),
  ingressRule("lb-https", "sg-lb", 443),
  ingressRule("lb-http", "sg-lb", 80),
  lb(["sg-lb"]),
  service(["sg-app"]),
];

describe("security-group-public-ingress-load-balancer-only", () => {
  it("passes public 80/443 rules on the group the load balancer uses (ids at pulumi up)", async () => {
    expect(await runStackPolicy(policy, upStack())).toMatchObject({ violations: [], undecidable: false });
  });

  it("passes an inline public 443 on a group tagged catalyst:role = load-balancer", async () => {
    const tagged = group("edge-sg", "sg-edge", { tags: { "catalyst:role": "load-balancer" }, ingress: [web(443)] });
    expect((await runStackPolicy(policy, [tagged])).violations).toEqual([]);
  });

  it("blocks public 443 on the app tasks' group", async () => {
    const r = await runStackPolicy(policy, [...upStack(), ingressRule("app-https", "sg-app", 443)]);
    expect(r.violations).toEqual(["app-https rule (tcp 443 from 0.0.0.0/0): security group app-sg is not a load balancer's."]);
    expect(r.findings[0]).toMatchObject({ level: "mandatory", urn: testUrn(VPC_RULE, "app-https") });
  });

  it("keeps messages short for long source lists", async () => {
    const cidrs = ["1.0.0.0/24", "2.0.0.0/24", "3.0.0.0/24", "4.0.0.0/24", "5.0.0.0/24"];
    const r = await runStackPolicy(policy, [group("stray-sg", "sg-stray", { ingress: [{ ...web(443), cidrBlocks: cidrs }] })]);
    expect(r.violations).toEqual([
      "stray-sg ingress[0] (tcp 443 from 1.0.0.0/24, 2.0.0.0/24, 3.0.0.0/24 and 2 more): security group stray-sg is not a load balancer's.",
    ]);
  });

  it("blocks an inline public 80 on a group no load balancer uses", async () => {
    const r = await runStackPolicy(policy, [group("stray-sg", "sg-stray", { ingress: [web(80)] })]);
    expect(r.violations).toEqual(["stray-sg ingress[0] (tcp 80 from 0.0.0.0/0): security group stray-sg is not a load balancer's."]);
  });

  it("blocks an aws.ec2.SecurityGroupRule public 443 on a non-load-balancer group", async () => {
    const rule: TestResource = {
      type: EC2_RULE,
      name: "db-https",
      props: { type: "ingress", securityGroupId: "sg-app", protocol: "tcp", fromPort: 443, toPort: 443, ipv6CidrBlocks: ["::/0"] },
    };
    expect((await runStackPolicy(policy, [...upStack(), rule])).violations).toEqual([
      "db-https rule (tcp 443 from ::/0): security group app-sg is not a load balancer's.",
    ]);
  });

  it("blocks a load balancer group that is also attached to the app tasks", async () => {
    const stack = upStack().map((r) => (r.type === SERVICE ? service(["sg-app", "sg-lb"]) : r));
    const r = await runStackPolicy(policy, stack);
    expect(r.violations).toEqual([
      "lb-https rule (tcp 443 from 0.0.0.0/0): security group lb-sg is open to the internet and also attached to aws:ecs/service:Service frontend.",
      "lb-http rule (tcp 80 from 0.0.0.0/0): security group lb-sg is open to the internet and also attached to aws:ecs/service:Service frontend.",
    ]);
  });

  it("does not count a component whose outputs mention the group's id as an attachment", async () => {
    const network: TestResource = {
      type: "catalyst:network:Network",
      name: "network",
      component: true,
      props: {},
      outputs: { securityGroupIds: { loadBalancer: "sg-lb" } },
    };
    expect((await runStackPolicy(policy, [...upStack(), network])).violations).toEqual([]);
  });

  it("blocks a public rule on a group outside the stack (cannot be shown to be a load balancer's)", async () => {
    const r = await runStackPolicy(policy, [ingressRule("ext", "sg-external", 443)]);
    expect(r.violations).toEqual([
      "ext rule (tcp 443 from 0.0.0.0/0): its security group is not managed in this stack, so it cannot be shown to be a load balancer's.",
    ]);
  });

  it("ignores private sources and non-web ports (the resource policy owns those)", async () => {
    const stack = [...upStack(), ingressRule("vpc-https", "sg-app", 443, "10.0.0.0/16"), ingressRule("ssh", "sg-app", 22)];
    expect((await runStackPolicy(policy, stack)).violations).toEqual([]);
  });

  describe("at preview (ids unknown, property dependencies known)", () => {
    const urn = (type: string, name: string) => testUrn(type, name);
    const previewStack = (serviceGroups: string[]): TestResource[] => [
      group("lb-sg", UNKNOWN as string),
      group("app-sg", UNKNOWN as string),
      { ...ingressRule("lb-https", UNKNOWN, 443), propertyDependencies: { securityGroupId: [urn(SG, "lb-sg")] } },
      { ...lb([UNKNOWN]), propertyDependencies: { securityGroups: [urn(SG, "lb-sg")] } },
      { ...service([UNKNOWN]), propertyDependencies: { networkConfiguration: serviceGroups.map((g) => urn(SG, g)) } },
    ];

    it("decides through property dependencies", async () => {
      expect(await runStackPolicy(policy, previewStack(["app-sg"]), { preview: true })).toMatchObject({ violations: [], undecidable: false });
    });

    it("blocks the load balancer group shared with the tasks", async () => {
      const r = await runStackPolicy(policy, previewStack(["app-sg", "lb-sg"]), { preview: true });
      expect(r.violations).toEqual([
        expect.stringMatching(/security group lb-sg is open to the internet and also attached to aws:ecs\/service:Service frontend/),
      ]);
      expect(r.undecidable).toBe(false);
    });

    it("blocks public 443 on the app group, found through the rule's dependency", async () => {
      const stack = [
        ...previewStack(["app-sg"]),
        { ...ingressRule("app-https", UNKNOWN, 443), propertyDependencies: { securityGroupId: [urn(SG, "app-sg")] } },
      ];
      expect((await runStackPolicy(policy, stack, { preview: true })).violations).toEqual([
        "app-https rule (tcp 443 from 0.0.0.0/0): security group app-sg is not a load balancer's.",
      ]);
    });

    it("says explicitly when a rule's group cannot be resolved", async () => {
      const r = await runStackPolicy(policy, [ingressRule("orphan", UNKNOWN, 443)], { preview: true });
      expect(r).toMatchObject({ violations: [], undecidable: true });
      expect(r.findings[0].message).toMatch(/orphan\.securityGroupId is unknown during preview; decided at `pulumi up`/);
    });

    it("says explicitly when a computed CIDR on 443 targets a non-load-balancer group", async () => {
      const stack = [
        ...previewStack(["app-sg"]),
        { ...ingressRule("app-https", UNKNOWN, 443, UNKNOWN), propertyDependencies: { securityGroupId: [urn(SG, "app-sg")] } },
      ];
      const r = await runStackPolicy(policy, stack, { preview: true });
      expect(r).toMatchObject({ violations: [], undecidable: true });
      expect(r.findings[0].message).toMatch(/app-https rule source CIDR is unknown during preview/);
    });
  });
});
