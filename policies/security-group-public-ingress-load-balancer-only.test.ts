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

  describe("managed prefix list sources", () => {
    const PL = "aws:ec2/managedPrefixList:ManagedPrefixList";
    const PL_ENTRY = "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry";
    const list = (name: string, id: string, cidrs: unknown[]): TestResource => ({
      type: PL,
      name,
      props: { id, name, addressFamily: "IPv4", maxEntries: 5, entries: cidrs.map((cidr) => ({ cidr })) },
    });
    const stack = (...extra: TestResource[]): TestResource[] => [
      ...upStack(),
      list("office", "pl-office", ["10.20.0.0/16"]),
      list("anywhere", "pl-anywhere", ["10.20.0.0/16", "0.0.0.0/0"]),
      list("cloudflare", "pl-cf", ["173.245.48.0/20", "103.21.244.0/22"]),
      ...extra,
    ];
    const vpcRule = (name: string, sg: string, port: number, prefixListId: unknown): TestResource => ({
      type: VPC_RULE,
      name,
      props: { securityGroupId: sg, ipProtocol: "tcp", fromPort: port, toPort: port, prefixListId },
    });
    const ec2Rule = (name: string, sg: string, port: number, prefixListIds: unknown[], type = "ingress"): TestResource => ({
      type: EC2_RULE,
      name,
      props: { type, securityGroupId: sg, protocol: "tcp", fromPort: port, toPort: port, prefixListIds },
    });
    const inline = (name: string, id: string, blocks: Record<string, unknown>[]) => group(name, id, { ingress: blocks });
    const OPEN_3000 = "tcp 3000 to prefix list anywhere (0.0.0.0/0): only tcp 80 and 443 may be reachable from the internet.";

    it("passes a private list on the app port and a Cloudflare-like public list on 443 of the load balancer's group", async () => {
      const r = await runStackPolicy(policy, stack(vpcRule("office-3000", "sg-app", 3000, "pl-office"), ec2Rule("cf-443", "sg-lb", 443, ["pl-cf"])));
      expect(r).toMatchObject({ violations: [], undecidable: false });
    });

    it("passes an AWS-managed list (not in the stack) on 443 of the load balancer's group: public there is allowed", async () => {
      expect((await runStackPolicy(policy, stack(vpcRule("origin-443", "sg-lb", 443, "pl-3b927c52")))).violations).toEqual([]);
    });

    it("blocks a 0.0.0.0/0 list on 3000 as a standalone aws.vpc.SecurityGroupIngressRule", async () => {
      const r = await runStackPolicy(policy, stack(vpcRule("open-3000", "sg-app", 3000, "pl-anywhere")));
      expect(r.violations).toEqual([`open-3000 rule opens ${OPEN_3000}`]);
      expect(r.findings[0]).toMatchObject({ level: "mandatory", urn: testUrn(VPC_RULE, "open-3000") });
    });

    it("blocks a 0.0.0.0/0 list on 3000 as an aws.ec2.SecurityGroupRule, and ignores it on egress", async () => {
      expect((await runStackPolicy(policy, stack(ec2Rule("open-3000", "sg-app", 3000, ["pl-office", "pl-anywhere"])))).violations).toEqual([
        `open-3000 rule opens ${OPEN_3000}`,
      ]);
      expect((await runStackPolicy(policy, stack(ec2Rule("out-3000", "sg-app", 3000, ["pl-anywhere"], "egress")))).violations).toEqual([]);
    });

    it("blocks a 0.0.0.0/0 list on 3000 in an inline ingress block, even on the load balancer's group", async () => {
      const sg = group("edge-sg", "sg-edge", {
        tags: { "catalyst:role": "load-balancer" },
        ingress: [
          { protocol: "tcp", fromPort: 443, toPort: 443, prefixListIds: ["pl-cf"] },
          { protocol: "tcp", fromPort: 3000, toPort: 3000, prefixListIds: ["pl-anywhere"] },
        ],
      });
      expect((await runStackPolicy(policy, stack(sg))).violations).toEqual([`edge-sg ingress[1] opens ${OPEN_3000}`]);
    });

    it("blocks 0.0.0.0/0 added to a private list as a standalone aws.ec2.ManagedPrefixListEntry", async () => {
      const entry: TestResource = { type: PL_ENTRY, name: "office-any", props: { prefixListId: "pl-office", cidr: "0.0.0.0/0" } };
      expect((await runStackPolicy(policy, stack(entry, vpcRule("office-3000", "sg-app", 3000, "pl-office")))).violations).toEqual([
        "office-3000 rule opens tcp 3000 to prefix list office (0.0.0.0/0): only tcp 80 and 443 may be reachable from the internet.",
      ]);
    });

    it("blocks a list the stack does not define on a non-web port (its entries cannot be checked)", async () => {
      expect((await runStackPolicy(policy, stack(vpcRule("ext-3001", "sg-app", 3001, "pl-0123456789abcdef0")))).violations).toEqual([
        "ext-3001 rule opens tcp 3001 to prefix list pl-0123456789abcdef0 (not defined in this stack): its entries cannot be checked, " +
          "and only tcp 80 and 443 may be reachable from the internet.",
      ]);
    });

    it("blocks a public list on 443 of the app group", async () => {
      expect((await runStackPolicy(policy, stack(vpcRule("cf-app", "sg-app", 443, "pl-cf")))).violations).toEqual([
        "cf-app rule (tcp 443 from prefix list cloudflare (173.245.48.0/20, 103.21.244.0/22)): security group app-sg is not a load balancer's.",
      ]);
    });

    it("does not judge a public list that no rule uses", async () => {
      expect(await runStackPolicy(policy, stack())).toMatchObject({ violations: [], undecidable: false });
    });

    describe("at preview", () => {
      const computed = (r: TestResource, key: string, lists: string[]): TestResource => ({
        ...r,
        propertyDependencies: { ...r.propertyDependencies, [key]: lists.map((l) => testUrn(PL, l)) },
      });
      const previewLists = () => [list("office", UNKNOWN as string, ["10.20.0.0/16"]), list("anywhere", UNKNOWN as string, ["0.0.0.0/0"])];

      it("resolves a computed prefixListId through its dependency and blocks the public list on 3000", async () => {
        const rule = computed(vpcRule("open-3000", "sg-app", 3000, UNKNOWN), "prefixListId", ["anywhere"]);
        const r = await runStackPolicy(policy, [...upStack(), ...previewLists(), rule], { preview: true });
        expect(r).toMatchObject({ violations: [`open-3000 rule opens ${OPEN_3000}`], undecidable: false });
      });

      it("passes the private list through its dependency", async () => {
        const rule = computed(ec2Rule("office-3000", "sg-app", 3000, [UNKNOWN]), "prefixListIds", ["office"]);
        expect(await runStackPolicy(policy, [...upStack(), ...previewLists(), rule], { preview: true })).toMatchObject({ violations: [], undecidable: false });
      });

      it("says explicitly that a computed list id without a dependency is decided at pulumi up", async () => {
        const r = await runStackPolicy(policy, [...upStack(), vpcRule("mystery", "sg-app", 3000, UNKNOWN)], { preview: true });
        expect(r).toMatchObject({ violations: [], undecidable: true });
        expect(r.findings[0].message).toMatch(/mystery rule prefix list is unknown during preview; decided at `pulumi up`/);
      });

      it("says explicitly when inline blocks share the dependency and one candidate list is public", async () => {
        const sg = computed(
          inline("edge-sg", "sg-edge", [
            { protocol: "tcp", fromPort: 3000, toPort: 3000, prefixListIds: [UNKNOWN] },
            { protocol: "tcp", fromPort: 3001, toPort: 3001, prefixListIds: [UNKNOWN] },
          ]),
          "ingress",
          ["office", "anywhere"],
        );
        const r = await runStackPolicy(policy, [...previewLists(), sg], { preview: true });
        expect(r).toMatchObject({ violations: [], undecidable: true });
        expect(r.findings[0].message).toMatch(/edge-sg ingress\[0\] prefix list, edge-sg ingress\[1\] prefix list is unknown during preview/);
      });

      it("says explicitly when a list's entries are computed", async () => {
        const rule = computed(vpcRule("computed-3000", "sg-app", 3000, UNKNOWN), "prefixListId", ["dynamic"]);
        const r = await runStackPolicy(policy, [...upStack(), list("dynamic", UNKNOWN as string, [UNKNOWN]), rule], { preview: true });
        expect(r).toMatchObject({ violations: [], undecidable: true });
        expect(r.findings[0].message).toMatch(/prefix list dynamic entries is unknown during preview/);
      });
    });
  });
});
