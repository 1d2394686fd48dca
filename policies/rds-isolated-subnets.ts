import { PolicyResource } from "@pulumi/policy";
import { catalystStackPolicy, ofType, peek, PreviewGaps, referencedBy, resolveReference, UNKNOWN } from "./lib";

const T = {
  instance: "aws:rds/instance:Instance",
  subnetGroup: "aws:rds/subnetGroup:SubnetGroup",
  subnet: "aws:ec2/subnet:Subnet",
  vpc: "aws:ec2/vpc:Vpc",
  routeTable: "aws:ec2/routeTable:RouteTable",
  defaultRouteTable: "aws:ec2/defaultRouteTable:DefaultRouteTable",
  association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  mainAssociation: "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation",
  route: "aws:ec2/route:Route",
  igw: "aws:ec2/internetGateway:InternetGateway",
  eigw: "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
  nat: "aws:ec2/natGateway:NatGateway",
};
const GATEWAY_TYPES = [T.igw, T.eigw, T.nat];
// Route target properties that lead to the internet, and the id prefixes that identify gateways.
const TARGETS: Record<string, (v: string) => boolean> = {
  gatewayId: (v) => v.startsWith("igw-"),
  natGatewayId: (v) => v !== "",
  egressOnlyGatewayId: (v) => v !== "",
};

type Verdict = { internet: true; via: string } | { internet: false } | typeof UNKNOWN;

class Topology {
  constructor(private readonly resources: readonly PolicyResource[]) {}

  of(type: string): PolicyResource[] {
    return ofType(this.resources, type);
  }

  /** Does one route (inline entry or aws.ec2.Route) lead to an internet or NAT gateway? */
  routeVerdict(route: unknown, deps: PolicyResource[]): Verdict {
    const gateway = deps.find((d) => GATEWAY_TYPES.includes(d.type));
    if (gateway) return { internet: true, via: gateway.name };
    let unknown = false;
    for (const [key, isInternet] of Object.entries(TARGETS)) {
      const v = peek(route, key);
      if (v === UNKNOWN) unknown = true;
      else if (typeof v === "string" && isInternet(v)) return { internet: true, via: v };
    }
    return unknown ? UNKNOWN : { internet: false };
  }

  /**
   * The verdict for a route table: its inline routes and the aws.ec2.Route resources targeting it.
   * A VPC stands for its main route table (routes written against `vpc.mainRouteTableId`).
   */
  tableVerdict(table: PolicyResource): Verdict {
    const keys = table.type === T.vpc ? ["mainRouteTableId", "defaultRouteTableId"] : ["id"];
    let unknown = false;
    const note = (v: Verdict): Verdict | undefined => {
      if (v === UNKNOWN) unknown = true;
      return v !== UNKNOWN && v.internet ? v : undefined;
    };
    const inline = peek(table.props, "routes");
    if (inline === UNKNOWN) unknown = true;
    else if (Array.isArray(inline)) {
      const deps = referencedBy(table, "routes");
      for (let i = 0; i < inline.length; i++) {
        const hit = note(this.routeVerdict(peek(inline, i), deps));
        if (hit) return hit;
      }
    }
    for (const route of this.of(T.route)) {
      const tables = resolveReference(route, "routeTableId", [table], keys);
      if (tables === undefined) unknown = true;
      if (!tables?.length) continue;
      const deps = [...referencedBy(route, "gatewayId"), ...referencedBy(route, "natGatewayId"), ...referencedBy(route, "egressOnlyGatewayId")];
      const hit = note(this.routeVerdict(route.props, deps));
      if (hit) return hit;
    }
    return unknown ? UNKNOWN : { internet: false };
  }

  /** Route tables governing a subnet: its explicit association, else the VPC's main table. */
  tablesFor(subnet: PolicyResource): PolicyResource[] | typeof UNKNOWN {
    const tables = [...this.of(T.routeTable), ...this.of(T.defaultRouteTable)];
    let unknown = false;
    const explicit: PolicyResource[] = [];
    for (const assoc of this.of(T.association)) {
      const subnets = resolveReference(assoc, "subnetId", [subnet], ["id"]);
      if (subnets === undefined) unknown = true;
      if (!subnets?.length) continue;
      const t = resolveReference(assoc, "routeTableId", tables, ["id"]);
      if (t === undefined) return UNKNOWN;
      explicit.push(...t);
    }
    if (explicit.length > 0) return explicit;
    if (unknown) return UNKNOWN;
    // Without an explicit association the subnet uses the main route table of its VPC.
    const vpcs = resolveReference(subnet, "vpcId", this.of(T.vpc), ["id"]);
    if (vpcs === undefined) return UNKNOWN;
    const main: PolicyResource[] = [];
    for (const assoc of this.of(T.mainAssociation)) {
      const v = resolveReference(assoc, "vpcId", vpcs, ["id"]);
      if (v === undefined) return UNKNOWN;
      if (!v.length) continue;
      const t = resolveReference(assoc, "routeTableId", tables, ["id"]);
      if (t === undefined) return UNKNOWN;
      main.push(...t);
    }
    for (const t of this.of(T.defaultRouteTable)) {
      if (resolveReference(t, "defaultRouteTableId", vpcs, ["defaultRouteTableId", "mainRouteTableId"])?.length) main.push(t);
    }
    return main.length > 0 ? main : vpcs;
  }
}

export const rdsIsolatedSubnets = catalystStackPolicy({
  name: "rds-isolated-subnets",
  description: "RDS instances must live only in subnets whose route tables have no route to an internet gateway or NAT gateway.",
  severity: "critical",
  remediationSteps:
    "Give the instance a `dbSubnetGroupName` from this stack whose subnets are associated with route tables holding only the local route (isolated database subnets); keep NAT and internet routes on the public/app subnets.",
  checklist: ["MySQL Configuration › Network isolation: the database is reachable only on a private network"],
  validateStack: (args, reportViolation) => {
    const topo = new Topology(args.resources);
    const gaps = new PreviewGaps();
    const instances = topo.of(T.instance);
    if (instances.length === 0) args.notApplicable("no RDS instance in the stack");
    for (const db of instances) {
      if (peek(db.props, "dbSubnetGroupName") === undefined && db.propertyDependencies.dbSubnetGroupName === undefined) {
        reportViolation("no dbSubnetGroupName: the instance is placed in the default VPC, whose subnets route to the internet.", db.urn);
        continue;
      }
      const groups = resolveReference(db, "dbSubnetGroupName", topo.of(T.subnetGroup), ["name", "id"]);
      if (groups === undefined) {
        gaps.add(`${db.name}.dbSubnetGroupName`);
        continue;
      }
      if (groups.length === 0) {
        reportViolation(
          `dbSubnetGroupName ${JSON.stringify(peek(db.props, "dbSubnetGroupName"))} is not a subnet group of this stack: isolation cannot be verified.`,
          db.urn,
        );
        continue;
      }
      for (const group of groups) {
        const subnets = resolveReference(group, "subnetIds", topo.of(T.subnet), ["id"]);
        if (subnets === undefined) {
          gaps.add(`${group.name}.subnetIds`);
          continue;
        }
        if (subnets.length === 0) {
          reportViolation(`subnet group ${group.name} names no subnet of this stack: isolation cannot be verified.`, db.urn);
        }
        for (const subnet of subnets) {
          const tables = topo.tablesFor(subnet);
          if (tables === UNKNOWN) {
            gaps.add(`route tables of ${subnet.name}`);
            continue;
          }
          if (tables.length === 0) {
            reportViolation(`subnet ${subnet.name} has no route table or VPC in this stack: isolation cannot be verified.`, db.urn);
          }
          for (const table of tables) {
            const verdict = topo.tableVerdict(table);
            if (verdict === UNKNOWN) gaps.add(`routes of ${table.name}`);
            else if (verdict.internet) {
              reportViolation(`subnet ${subnet.name} (route table ${table.name}) routes to the internet via ${verdict.via}.`, db.urn);
            }
          }
        }
      }
    }
    gaps.settle("a subnet, route table or route target is not known");
  },
});
