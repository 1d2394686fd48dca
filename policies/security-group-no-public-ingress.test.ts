import { isPublicCidr } from "./lib/security-group-rules";
import { securityGroupNoPublicIngress } from "./security-group-no-public-ingress";
import { runResourcePolicy, UNKNOWN } from "./testing";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const VPC_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EC2_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";

const web = (port: number, cidr = "0.0.0.0/0") => ({ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: [cidr], description: `web ${port}` });
const lbGroup = (): Record<string, unknown> => ({
  description: "load balancer",
  vpcId: "vpc-1",
  ingress: [web(80), web(443), { ...web(443), cidrBlocks: [], ipv6CidrBlocks: ["::/0"] }],
  egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
});
const run = (type: string, props: Record<string, unknown>) => runResourcePolicy(securityGroupNoPublicIngress, { type, props });

describe("security-group-no-public-ingress", () => {
  it("passes tcp 80/443 from anywhere and app ports from other groups or private ranges", async () => {
    expect(await run(SG, lbGroup())).toMatchObject({ violations: [], undecidable: false, notApplicable: false });
    const app = { ingress: [{ protocol: "tcp", fromPort: 3000, toPort: 3001, securityGroups: ["sg-lb"] }, { ...web(3000, "10.0.0.0/16") }] };
    expect((await run(SG, app)).violations).toEqual([]);
  });

  it("blocks the app port 3000 open to 0.0.0.0/0 inline", async () => {
    const r = await run(SG, { ...lbGroup(), ingress: [web(443), web(3000)] });
    expect(r.violations).toEqual(["ingress[1] opens tcp 3000 to 0.0.0.0/0: only tcp 80 and 443 may be reachable from the internet."]);
    expect(r.findings[0].level).toBe("mandatory");
  });

  it("blocks a port range that merely includes 80 and 443", async () => {
    expect((await run(SG, { ingress: [{ protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] }] })).violations).toEqual([
      "ingress[0] opens tcp 0-65535 to 0.0.0.0/0: only tcp 80 and 443 may be reachable from the internet.",
    ]);
    expect((await run(SG, { ingress: [{ protocol: "tcp", fromPort: 80, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] })).violations).toHaveLength(1);
  });

  it("blocks all-traffic rules (protocol -1) from ::/0", async () => {
    expect((await run(SG, { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }] })).violations).toEqual([
      "ingress[0] opens all traffic to ::/0: only tcp 80 and 443 may be reachable from the internet.",
    ]);
  });

  it("blocks udp 443 and a narrower public range (not only 0.0.0.0/0)", async () => {
    expect((await run(SG, { ingress: [{ protocol: "udp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] })).violations).toHaveLength(1);
    expect((await run(SG, { ingress: [web(22, "203.0.113.7/32")] })).violations).toEqual([
      "ingress[0] opens tcp 22 to 203.0.113.7/32: only tcp 80 and 443 may be reachable from the internet.",
    ]);
  });

  it("blocks a standalone aws.vpc.SecurityGroupIngressRule (cidrIpv4 / cidrIpv6, ipProtocol -1)", async () => {
    const rule = { securityGroupId: "sg-app", ipProtocol: "tcp", fromPort: 3001, toPort: 3001, cidrIpv4: "0.0.0.0/0" };
    expect((await run(VPC_RULE, rule)).violations).toEqual(["rule opens tcp 3001 to 0.0.0.0/0: only tcp 80 and 443 may be reachable from the internet."]);
    expect((await run(VPC_RULE, { securityGroupId: "sg-app", ipProtocol: "-1", cidrIpv6: "::/0" })).violations).toEqual([
      "rule opens all traffic to ::/0: only tcp 80 and 443 may be reachable from the internet.",
    ]);
    expect((await run(VPC_RULE, { ...rule, fromPort: 443, toPort: 443 })).violations).toEqual([]);
  });

  it("blocks a standalone aws.ec2.SecurityGroupRule of type ingress, ignores egress", async () => {
    const rule = { type: "ingress", securityGroupId: "sg-app", protocol: "tcp", fromPort: 3000, toPort: 3000, cidrBlocks: ["0.0.0.0/0"] };
    expect((await run(EC2_RULE, rule)).violations).toEqual(["rule opens tcp 3000 to 0.0.0.0/0: only tcp 80 and 443 may be reachable from the internet."]);
    expect((await run(EC2_RULE, { ...rule, type: "egress" })).violations).toEqual([]);
    expect((await run(EC2_RULE, { ...rule, protocol: "6", fromPort: 443, toPort: 443 })).violations).toEqual([]);
  });

  it("is not applicable to other types", async () => {
    expect(await run("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" })).toMatchObject({
      violations: [],
      notApplicable: true,
    });
  });

  it("decides at preview on literal ports and CIDRs while the VPC and referenced groups are unknown", async () => {
    const props = { vpcId: UNKNOWN, ingress: [{ protocol: "tcp", fromPort: 3000, toPort: 3000, securityGroups: [UNKNOWN] }, web(5432)] };
    const r = await runResourcePolicy(securityGroupNoPublicIngress, { type: SG, props }, { preview: true });
    expect(r).toMatchObject({ undecidable: false, violations: [expect.stringMatching(/^ingress\[1\] opens tcp 5432 to 0.0.0.0\/0/)] });
  });

  it("says explicitly that a computed CIDR on a non-web port is decided at pulumi up", async () => {
    const rule = { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 3000, toPort: 3000, cidrIpv4: UNKNOWN };
    const r = await runResourcePolicy(securityGroupNoPublicIngress, { type: VPC_RULE, props: rule }, { preview: true });
    expect(r).toMatchObject({ violations: [], undecidable: true });
    expect(r.findings[0].message).toMatch(/rule source CIDR is unknown during preview; decided at `pulumi up`/);
  });

  it("leaves prefix-list sources to the stack policy, which can see the list's entries", async () => {
    const rule = { securityGroupId: "sg-app", ipProtocol: "tcp", fromPort: 3000, toPort: 3000, prefixListId: "pl-anywhere" };
    expect(await run(VPC_RULE, rule)).toMatchObject({ violations: [], undecidable: false, notApplicable: false });
  });

  it("an unknown CIDR on tcp 443 is left to the load-balancer stack policy", async () => {
    const rule = { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: UNKNOWN };
    expect(await runResourcePolicy(securityGroupNoPublicIngress, { type: VPC_RULE, props: rule }, { preview: true })).toMatchObject({
      violations: [],
      undecidable: false,
    });
  });
});

describe("isPublicCidr", () => {
  it.each(["0.0.0.0/0", "::/0", "0.0.0.0/1", "8.8.8.8/32", "10.0.0.0/7", "2001:db8::/32", "not-a-cidr", "10.0.0.0/33"])("%s is public", (c) => {
    expect(isPublicCidr(c)).toBe(true);
  });
  it.each(["10.0.0.0/16", "172.16.5.0/24", "192.168.1.1/32", "100.64.0.0/10", "fd00::/8", "fe80::1/128", "::1/128", "10.1.2.3"])("%s is not", (c) => {
    expect(isPublicCidr(c)).toBe(false);
  });
});
