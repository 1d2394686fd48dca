/**
 * Every security group of the stack and every rule between them, as one reviewable table. The load
 * balancer is the only group that accepts traffic from outside the VPC; apps accept only the load
 * balancer, the database accepts only the apps, the migration task and the admin host.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export const SECURITY_GROUP_ROLES = ["loadBalancer", "frontend", "agent", "migrate", "database", "dbAdmin", "restoreTest"] as const;
export type SecurityGroupRole = (typeof SECURITY_GROUP_ROLES)[number];

/** The `catalyst:role` tag the security-group policy keys on. */
export const ROLE_TAG: Record<SecurityGroupRole, "load-balancer" | "app" | "database" | "admin"> = {
  loadBalancer: "load-balancer",
  frontend: "app",
  agent: "app",
  migrate: "app",
  database: "database",
  dbAdmin: "admin",
  restoreTest: "database",
};

const PURPOSE: Record<SecurityGroupRole, string> = {
  loadBalancer: "Public load balancer: HTTPS/HTTP in from the allowed sources, out only to the app ports",
  frontend: "Frontend tasks: in from the load balancer on the app port only",
  agent: "Agent tasks: in from the load balancer on the app port only",
  migrate: "Migration task: no inbound traffic",
  database: "MySQL: in on the MySQL port from the app tasks, the migration task and the admin host only",
  dbAdmin: "Database admin host (SSM port forwarding): no inbound traffic",
  restoreTest: "Databases restored by AWS Backup restore tests: MySQL in from the admin host only (validation), nothing out",
};

export const PORTS = { https: 443, http: 80, frontend: 3000, agent: 3001, mysql: 3306 } as const;
export const ANYWHERE_IPV4 = "0.0.0.0/0";

export interface RuleSpec {
  group: SecurityGroupRole;
  direction: "ingress" | "egress";
  port: number;
  /** Another group of this table, or an IPv4 block. */
  peer: { group: SecurityGroupRole } | { cidrIpv4: string };
  description: string;
}

const DB_CLIENTS = ["frontend", "agent", "migrate", "dbAdmin"] as const;

/** Rules between groups and to the outside, except the load balancer's (inline, see loadBalancerIngress/Egress). */
export function ruleTable(): RuleSpec[] {
  const rules: RuleSpec[] = [
    {
      group: "frontend",
      direction: "ingress",
      port: PORTS.frontend,
      peer: { group: "loadBalancer" },
      description: "Frontend app port from the load balancer only",
    },
    { group: "agent", direction: "ingress", port: PORTS.agent, peer: { group: "loadBalancer" }, description: "Agent app port from the load balancer only" },
  ];
  for (const client of DB_CLIENTS) {
    rules.push(
      { group: "database", direction: "ingress", port: PORTS.mysql, peer: { group: client }, description: `MySQL from the ${client} group` },
      { group: client, direction: "egress", port: PORTS.mysql, peer: { group: "database" }, description: "MySQL to the database group only" },
      // AWS APIs (ECR, Secrets Manager, CloudWatch Logs, SSM) and outbound e-mail APIs, through the NAT gateways.
      {
        group: client,
        direction: "egress",
        port: PORTS.https,
        peer: { cidrIpv4: ANYWHERE_IPV4 },
        description: "HTTPS out (AWS APIs, e-mail provider) through NAT",
      },
    );
  }
  // Restore tests: an operator validates the restored copy's data through the admin host's tunnel.
  rules.push(
    {
      group: "restoreTest",
      direction: "ingress",
      port: PORTS.mysql,
      peer: { group: "dbAdmin" },
      description: "MySQL from the admin host, to validate restored copies",
    },
    { group: "dbAdmin", direction: "egress", port: PORTS.mysql, peer: { group: "restoreTest" }, description: "MySQL to restored copies under validation" },
  );
  return rules;
}

/** Where the load balancer accepts connections from: Cloudflare's published ranges, or (explicitly) anyone. */
export interface LoadBalancerSources {
  ipv4: pulumi.Input<string[]>;
  ipv6: pulumi.Input<string[]>;
}

/**
 * Inline rules of the load-balancer group (its sources are a list known only as an Output). Ingress
 * depends on the sources alone and egress keeps its ports literal, so both stay decidable at preview.
 */
export function loadBalancerIngress(ipv4: string[], ipv6: string[]) {
  const from = (port: number, what: string) => ({
    description: what,
    protocol: "tcp",
    fromPort: port,
    toPort: port,
    cidrBlocks: [...ipv4].sort(),
    ipv6CidrBlocks: [...ipv6].sort(),
  });
  return [from(PORTS.https, "HTTPS from the allowed sources"), from(PORTS.http, "HTTP from the allowed sources (redirected to HTTPS)")];
}

export function loadBalancerEgress(appGroups: { frontend: pulumi.Input<string>; agent: pulumi.Input<string> }) {
  const to = (port: number, group: pulumi.Input<string>, what: string) => ({
    description: what,
    protocol: "tcp",
    fromPort: port,
    toPort: port,
    securityGroups: [group],
  });
  return [
    to(PORTS.frontend, appGroups.frontend, "To the frontend tasks' app port only"),
    to(PORTS.agent, appGroups.agent, "To the agent tasks' app port only"),
  ];
}

const kebab = (role: string) => role.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export interface SecurityGroupsArgs {
  vpcId: pulumi.Input<string>;
  namePrefix: string;
  loadBalancerSources: LoadBalancerSources;
}

/** Creates the groups and their rules; returns the group ids by role. */
export function createSecurityGroups(name: string, args: SecurityGroupsArgs, parent: pulumi.Resource): Record<SecurityGroupRole, pulumi.Output<string>> {
  const child = { parent };
  const group = (role: SecurityGroupRole, extra: Partial<aws.ec2.SecurityGroupArgs> = {}) => {
    const physical = `${args.namePrefix}-${kebab(role)}`;
    return new aws.ec2.SecurityGroup(
      `${name}-${role}`,
      {
        name: physical,
        description: PURPOSE[role],
        vpcId: args.vpcId,
        revokeRulesOnDelete: true,
        tags: { Name: physical, "catalyst:role": ROLE_TAG[role] },
        ...extra,
      },
      child,
    );
  };

  const ids = {} as Record<SecurityGroupRole, pulumi.Output<string>>;
  for (const role of SECURITY_GROUP_ROLES.filter((r) => r !== "loadBalancer")) ids[role] = group(role).id;
  const ingress = pulumi.all([args.loadBalancerSources.ipv4, args.loadBalancerSources.ipv6]).apply(([v4, v6]) => loadBalancerIngress(v4, v6));
  ids.loadBalancer = group("loadBalancer", { ingress, egress: loadBalancerEgress({ frontend: ids.frontend, agent: ids.agent }) }).id;

  for (const rule of ruleTable()) {
    const peerName = "group" in rule.peer ? rule.peer.group : "anywhere";
    const common = {
      securityGroupId: ids[rule.group],
      ipProtocol: "tcp",
      fromPort: rule.port,
      toPort: rule.port,
      description: rule.description,
      ...("group" in rule.peer ? { referencedSecurityGroupId: ids[rule.peer.group] } : { cidrIpv4: rule.peer.cidrIpv4 }),
    };
    const ruleName = `${name}-${rule.group}-${rule.direction === "ingress" ? "from" : "to"}-${peerName}-${rule.port}`;
    if (rule.direction === "ingress") new aws.vpc.SecurityGroupIngressRule(ruleName, common, child);
    else new aws.vpc.SecurityGroupEgressRule(ruleName, common, child);
  }
  return ids;
}
