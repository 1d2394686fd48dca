import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IamSettings, roleIamProps } from "../iam";
import { dataKey, keyPolicyContext } from "../secrets/kmsKey";
import { subnetPlan, Tier } from "./cidr";
import { createSecurityGroups, LoadBalancerSources, SecurityGroupRole } from "./securityGroups";

export interface NetworkArgs {
  /** Prefix of physical names and Name tags, e.g. `catalyst-prod`. */
  namePrefix: string;
  region: string;
  cidr: string;
  /** Availability zones to spread over (2..4); production uses 3. */
  azCount: number;
  /** One NAT gateway per zone (a zone failure cannot cut the others' egress) or one shared. */
  natGateways?: "per-az" | "single";
  flowLogRetentionDays?: number;
  /** Who may connect to the load balancer on 80/443. The internet (0.0.0.0/0, ::/0) must be passed explicitly. */
  loadBalancerSources: LoadBalancerSources;
  /** IAM path and permissions boundary of the flow-log role. */
  iam: IamSettings;
  /** Protects the flow-log key and log group. */
  protect?: boolean;
}

/** Internet-wide sources, for a load balancer that is not behind Cloudflare's proxy. */
export const INTERNET_SOURCES: LoadBalancerSources = { ipv4: ["0.0.0.0/0"], ipv6: ["::/0"] };

/**
 * The VPC: public subnets for the load balancer and NAT gateways only, private subnets for the app
 * tasks (egress through NAT, S3 through a gateway endpoint), isolated database subnets with no route
 * out, a default security group stripped of every rule, VPC flow logs to an encrypted log group,
 * and every security group of the stack.
 */
export class Network extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly publicSubnetIds: pulumi.Output<string>[];
  public readonly privateSubnetIds: pulumi.Output<string>[];
  public readonly databaseSubnetIds: pulumi.Output<string>[];
  public readonly securityGroupIds: Record<SecurityGroupRole, pulumi.Output<string>>;
  /** Egress addresses of the app tasks (for allow-lists at e-mail providers and partners). */
  public readonly natPublicIps: pulumi.Output<string>[];
  public readonly flowLogGroupName: string;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("catalyst:network:Network", name, {}, opts);
    const child = { parent: this };
    const prefix = args.namePrefix;
    const plan = subnetPlan(args.cidr, args.azCount);
    const zones = aws.getAvailabilityZonesOutput({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, child).names;

    const vpc = new aws.ec2.Vpc(`${name}-vpc`, { cidrBlock: args.cidr, enableDnsSupport: true, enableDnsHostnames: true, tags: { Name: prefix } }, child);
    // The default group is attached to anything created without a group: it must allow nothing.
    new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, ingress: [], egress: [], tags: { Name: `${prefix}-default-deny-all` } }, child);

    const subnets = (tier: Tier) =>
      plan[tier].map(
        (cidrBlock, z) =>
          new aws.ec2.Subnet(
            `${name}-${tier}-${z}`,
            {
              vpcId: vpc.id,
              cidrBlock,
              availabilityZone: zones[z],
              mapPublicIpOnLaunch: false,
              tags: { Name: `${prefix}-${tier}-${z}`, "catalyst:tier": tier },
            },
            child,
          ),
      );
    const publicSubnets = subnets("public");
    const privateSubnets = subnets("private");
    const databaseSubnets = subnets("database");

    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: prefix } }, child);
    const routeTable = (role: string, tier: Tier) =>
      new aws.ec2.RouteTable(`${name}-${role}-rt`, { vpcId: vpc.id, tags: { Name: `${prefix}-${role}`, "catalyst:tier": tier } }, child);
    const associate = (subnet: aws.ec2.Subnet, table: aws.ec2.RouteTable, label: string) =>
      new aws.ec2.RouteTableAssociation(`${name}-${label}-rta`, { subnetId: subnet.id, routeTableId: table.id }, child);

    const publicTable = routeTable("public", "public");
    new aws.ec2.Route(`${name}-public-internet`, { routeTableId: publicTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id }, child);
    publicSubnets.forEach((s, z) => associate(s, publicTable, `public-${z}`));

    const natCount = (args.natGateways ?? "per-az") === "per-az" ? args.azCount : 1;
    const nats = publicSubnets.slice(0, natCount).map((subnet, z) => {
      const eip = new aws.ec2.Eip(`${name}-nat-${z}-eip`, { domain: "vpc", tags: { Name: `${prefix}-nat-${z}` } }, child);
      const nat = new aws.ec2.NatGateway(
        `${name}-nat-${z}`,
        { allocationId: eip.id, subnetId: subnet.id, connectivityType: "public", tags: { Name: `${prefix}-nat-${z}` } },
        { ...child, dependsOn: [igw] },
      );
      return { nat, publicIp: eip.publicIp };
    });
    const privateTables = privateSubnets.map((subnet, z) => {
      const table = routeTable(`private-${z}`, "private");
      new aws.ec2.Route(
        `${name}-private-${z}-nat`,
        { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nats[z % natCount].nat.id },
        child,
      );
      associate(subnet, table, `private-${z}`);
      return table;
    });
    // Database subnets: one table with only the implicit local route, so nothing in them can reach,
    // or be reached from, outside the VPC.
    const databaseTable = routeTable("database", "database");
    databaseSubnets.forEach((s, z) => associate(s, databaseTable, `database-${z}`));

    // Image layers come from S3: a gateway endpoint keeps that traffic off the NAT (free, and private).
    new aws.ec2.VpcEndpoint(
      `${name}-s3-endpoint`,
      {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${args.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: privateTables.map((t) => t.id),
        tags: { Name: `${prefix}-s3` },
      },
      child,
    );

    this.flowLogGroupName = `/vpc/${prefix}/flow-logs`;
    this.createFlowLogs(name, vpc.id, args);

    this.vpcId = vpc.id;
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.databaseSubnetIds = databaseSubnets.map((s) => s.id);
    this.natPublicIps = nats.map((n) => n.publicIp);
    this.securityGroupIds = createSecurityGroups(`${name}-sg`, { vpcId: vpc.id, namePrefix: prefix, loadBalancerSources: args.loadBalancerSources }, this);
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      databaseSubnetIds: this.databaseSubnetIds,
      securityGroupIds: this.securityGroupIds,
      natPublicIps: this.natPublicIps,
      flowLogGroupName: this.flowLogGroupName,
    });
  }

  /** All traffic of the VPC (accepted and rejected) to a KMS-encrypted log group, 1-minute aggregation. */
  private createFlowLogs(name: string, vpcId: pulumi.Output<string>, args: NetworkArgs): void {
    const child = { parent: this };
    const ctx = keyPolicyContext(this);
    const key = dataKey(
      `${name}-flow-logs-key`,
      {
        description: `Encrypts the VPC flow logs of ${args.namePrefix}`,
        aliasName: `${args.namePrefix}-flow-logs`,
        logGroupNames: [this.flowLogGroupName],
        protect: args.protect,
      },
      ctx,
      this,
    );
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-flow-logs`,
      { name: this.flowLogGroupName, retentionInDays: args.flowLogRetentionDays ?? 365, kmsKeyId: key.arn },
      { ...child, protect: args.protect },
    );
    const role = new aws.iam.Role(
      `${name}-flow-logs-role`,
      {
        description: "Lets VPC Flow Logs write to its log group",
        ...roleIamProps(args.iam),
        assumeRolePolicy: ctx.apply((c) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: {
                  StringEquals: { "aws:SourceAccount": c.accountId },
                  ArnLike: { "aws:SourceArn": `arn:${c.partition}:ec2:${c.region}:${c.accountId}:vpc-flow-log/*` },
                },
              },
            ],
          }),
        ),
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-flow-logs-write`,
      {
        role: role.name,
        policy: logGroup.arn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: [arn, `${arn}:*`] }],
          }),
        ),
      },
      child,
    );
    new aws.ec2.FlowLog(
      `${name}-flow-log`,
      {
        vpcId,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: logGroup.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 60,
        tags: { Name: args.namePrefix },
      },
      child,
    );
  }
}
