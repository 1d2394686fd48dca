// Insecure variants of the REAL resources of the prod synth, one change each, with the policy that
// must catch each. Used by pack-synth.test.ts (through the analyzer protocol).
import { StateResource } from "../scripts/lib/analyzer/model";

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON as the engine stores it

export interface Mutation {
  /** What is made insecure, for the report table. */
  name: string;
  /** The policy that must catch it. */
  policy: string;
  /** The real resource to change: type token and logical-name suffix. */
  target?: { type: string; name?: string };
  /** One property change, applied to inputs and outputs alike (`all`: the mutated stack). */
  change?: (props: Props, all: readonly StateResource[]) => void;
  /** Change a resource option instead of a property. */
  protect?: boolean;
  /** Point a reference (propertyDependencies) elsewhere, together with `change`. */
  rewire?: (all: readonly StateResource[]) => Record<string, string[]>;
  /** Remove the target from the stack. */
  remove?: true;
  /** Add resources (e.g. a standalone rule); with a target, resources the changed target points at. */
  add?: (all: readonly StateResource[]) => StateResource[];
}

const T = {
  db: "aws:rds/instance:Instance",
  params: "aws:rds/parameterGroup:ParameterGroup",
  user: "mysql:index/user:User",
  grant: "mysql:index/grant:Grant",
  secret: "aws:secretsmanager/secret:Secret",
  kms: "aws:kms/key:Key",
  bucket: "aws:s3/bucket:Bucket",
  vault: "aws:backup/vault:Vault",
  task: "aws:ecs/taskDefinition:TaskDefinition",
  service: "aws:ecs/service:Service",
  listener: "aws:lb/listener:Listener",
  rule: "aws:lb/listenerRule:ListenerRule",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  acl: "aws:wafv2/webAcl:WebAcl",
  aclAssociation: "aws:wafv2/webAclAssociation:WebAclAssociation",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  prefixList: "aws:ec2/managedPrefixList:ManagedPrefixList",
  defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  ec2Rule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  route: "aws:ec2/route:Route",
  routeTable: "aws:ec2/routeTable:RouteTable",
  association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  instanceProfile: "aws:iam/instanceProfile:InstanceProfile",
  stack: "pulumi:pulumi:Stack",
};

export function find(all: readonly StateResource[], type: string, name?: string): StateResource {
  const found = all.filter((r) => r.type === type && (name === undefined || r.urn.endsWith(`::${name}`) || r.urn.endsWith(name)));
  if (found.length === 0) throw new Error(`the synth has no ${type}${name ? ` named *${name}` : ""}`);
  return found[0];
}

const id = (r: StateResource): string => String(r.outputs?.id ?? r.id);

/** Edits the first container of a task definition's JSON. */
function container(edit: (c: Props) => void): (p: Props) => void {
  return (p) => {
    const containers = JSON.parse(p.containerDefinitions) as Props[];
    edit(containers[0]);
    p.containerDefinitions = JSON.stringify(containers);
  };
}

/** A standalone rule resource added to the stack, referencing a real security group. */
function addRule(type: string, name: string, groupName: string, props: Props): (all: readonly StateResource[]) => StateResource[] {
  return (all) => {
    const group = find(all, T.sg, groupName);
    const inputs = { securityGroupId: id(group), description: "mutant", ...props };
    return [
      {
        urn: `urn:pulumi:prod::catalyst::${type}::mutant-${name}`,
        type,
        custom: true,
        id: `mutant-${name}`,
        inputs,
        outputs: inputs,
        propertyDependencies: { securityGroupId: [group.urn] },
      },
    ];
  };
}

const OPEN_PREFIX_LIST_ID = "pl-0mutant0open0000";

/** A managed prefix list of the stack whose only entry is the whole internet. */
function openPrefixList(): StateResource[] {
  const inputs = { name: "mutant-open", addressFamily: "IPv4", maxEntries: 1, entries: [{ cidr: "0.0.0.0/0", description: "mutant" }] };
  return [
    {
      urn: `urn:pulumi:prod::catalyst::${T.prefixList}::mutant-open`,
      type: T.prefixList,
      custom: true,
      id: OPEN_PREFIX_LIST_ID,
      inputs,
      outputs: { ...inputs, id: OPEN_PREFIX_LIST_ID },
    },
  ];
}

/** Swaps a real rule's security-group source for a prefix list (value and dependency). */
function fromPrefixList(listId: string): (p: Props) => void {
  return (p) => {
    delete p.referencedSecurityGroupId;
    p.prefixListId = listId;
  };
}

/** The web ACL's sign-in rate rule, found by name (the operator block list comes first). */
function signInRule(acl: Props): Props {
  const rule = (acl.rules as Props[]).find((r) => r.name === "auth-sign-in-rate");
  if (!rule) throw new Error("the web ACL has no auth-sign-in-rate rule");
  return rule;
}

const RUNTIME_GRANT = { type: T.grant, name: "runtime-grant" };
const HTTPS = { type: T.listener, name: "alb-https" };
const HTTP = { type: T.listener, name: "alb-http" };
const FRONTEND_TASK = { type: T.task, name: "frontend-task-definition" };

export const MUTATIONS: Mutation[] = [
  // RDS
  { name: "RDS publiclyAccessible = true", policy: "rds-not-public", target: { type: T.db }, change: (p) => (p.publiclyAccessible = true) },
  { name: "RDS storageEncrypted = false", policy: "rds-storage-encrypted", target: { type: T.db }, change: (p) => (p.storageEncrypted = false) },
  { name: "RDS backupRetentionPeriod = 1", policy: "rds-backup-retention", target: { type: T.db }, change: (p) => (p.backupRetentionPeriod = 1) },
  { name: "RDS deletionProtection = false", policy: "rds-deletion-protection", target: { type: T.db }, change: (p) => (p.deletionProtection = false) },
  { name: "RDS skipFinalSnapshot = true", policy: "rds-deletion-protection", target: { type: T.db }, change: (p) => (p.skipFinalSnapshot = true) },
  { name: "RDS caCertIdentifier = rds-ca-2019", policy: "rds-modern-ca", target: { type: T.db }, change: (p) => (p.caCertIdentifier = "rds-ca-2019") },
  {
    name: "database subnet associated with a NAT route table",
    policy: "rds-isolated-subnets",
    target: { type: T.association, name: "database-0-rta" },
    change: (p, all) => (p.routeTableId = id(find(all, T.routeTable, "private-0-rt"))),
    rewire: (all) => ({ routeTableId: [find(all, T.routeTable, "private-0-rt").urn] }),
  },
  {
    name: "internet route added to the database route table",
    policy: "rds-isolated-subnets",
    add: (all) => {
      const table = find(all, T.routeTable, "database-rt");
      const igw = find(all, "aws:ec2/internetGateway:InternetGateway");
      const inputs = { routeTableId: id(table), destinationCidrBlock: "0.0.0.0/0", gatewayId: id(igw) };
      return [
        {
          urn: "urn:pulumi:prod::catalyst::aws:ec2/route:Route::mutant-db-internet",
          type: T.route,
          custom: true,
          id: "r-mutant",
          inputs,
          outputs: inputs,
          propertyDependencies: { routeTableId: [table.urn], gatewayId: [igw.urn] },
        },
      ];
    },
  },
  {
    name: "parameter group require_secure_transport = 0",
    policy: "rds-require-secure-transport",
    target: { type: T.params },
    change: (p) => (p.parameters = (p.parameters as Props[]).map((x) => (x.name === "require_secure_transport" ? { ...x, value: "0" } : x))),
  },
  // MySQL
  {
    name: "MySQL user tlsOption = NONE",
    policy: "mysql-user-require-ssl",
    target: { type: T.user, name: "users-runtime" },
    change: (p) => (p.tlsOption = "NONE"),
  },
  { name: "MySQL grant database = *", policy: "mysql-grant-no-global", target: RUNTIME_GRANT, change: (p) => (p.database = "*") },
  { name: "MySQL grant database = % (wildcard)", policy: "mysql-grant-no-global", target: RUNTIME_GRANT, change: (p) => (p.database = "%") },
  { name: "MySQL grant WITH GRANT OPTION", policy: "mysql-grant-no-grant-option", target: RUNTIME_GRANT, change: (p) => (p.grant = true) },
  {
    name: "runtime user granted DROP",
    policy: "mysql-runtime-grant-dml-only",
    target: RUNTIME_GRANT,
    change: (p) => (p.privileges = [...p.privileges, "DROP"]),
  },
  // Secrets and state
  {
    name: "DATABASE_URL in plaintext container environment",
    policy: "no-plaintext-secrets",
    target: FRONTEND_TASK,
    change: container((c) => (c.environment = [...(c.environment ?? []), { name: "DATABASE_URL", value: "mysql://catalyst_app:pw@db:3306/catalyst" }])),
  },
  { name: "password in a tag", policy: "no-plaintext-secrets", target: { type: T.db }, change: (p) => (p.tags = { ...p.tags, DB_PASSWORD: "hunter2" }) },
  {
    name: "stack output with a credential URL",
    policy: "no-plaintext-secret-outputs",
    target: { type: T.stack },
    change: (p) => (p.databaseUrl = "mysql://catalyst_app:pw@db:3306/catalyst"),
  },
  { name: "secret recoveryWindowInDays = 0", policy: "secrets-recovery-window", target: { type: T.secret }, change: (p) => (p.recoveryWindowInDays = 0) },
  { name: "RDS instance not protected", policy: "stateful-resources-protected", target: { type: T.db }, protect: false },
  { name: "KMS key not protected", policy: "stateful-resources-protected", target: { type: T.kms }, protect: false },
  { name: "backup vault not protected", policy: "stateful-resources-protected", target: { type: T.vault }, protect: false },
  { name: "log bucket not protected", policy: "stateful-resources-protected", target: { type: T.bucket }, protect: false },
  { name: "secret not protected", policy: "stateful-resources-protected", target: { type: T.secret }, protect: false },
  // Edge
  {
    name: "HTTPS sslPolicy TLS13-1-0 (prefix trap)",
    policy: "alb-https-tls-policy",
    target: HTTPS,
    change: (p) => (p.sslPolicy = "ELBSecurityPolicy-TLS13-1-0-2021-06"),
  },
  { name: "HTTPS sslPolicy unset (2016-08)", policy: "alb-https-tls-policy", target: HTTPS, change: (p) => delete p.sslPolicy },
  {
    name: "HTTP listener forwards instead of redirecting",
    policy: "alb-http-redirects-to-https",
    target: HTTP,
    change: (p) => (p.defaultActions = [{ type: "forward", targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/fe/1" }]),
  },
  {
    name: "HTTP redirect with 302",
    policy: "alb-http-redirects-to-https",
    target: HTTP,
    change: (p) => (p.defaultActions[0].redirect.statusCode = "HTTP_302"),
  },
  {
    name: "forwarding listener rule moved onto the HTTP listener",
    policy: "alb-http-listener-rules-redirect-only",
    target: { type: T.rule },
    change: (p, all) => (p.listenerArn = id(find(all, T.listener, "alb-http"))),
    rewire: (all) => ({ listenerArn: [find(all, T.listener, "alb-http").urn] }),
  },
  {
    name: "HSTS max-age 300",
    policy: "alb-security-headers",
    target: HTTPS,
    change: (p) => (p.routingHttpResponseStrictTransportSecurityHeaderValue = "max-age=300"),
  },
  { name: "X-Frame-Options removed", policy: "alb-security-headers", target: HTTPS, change: (p) => delete p.routingHttpResponseXFrameOptionsHeaderValue },
  {
    name: "X-Content-Type-Options removed",
    policy: "alb-security-headers",
    target: HTTPS,
    change: (p) => delete p.routingHttpResponseXContentTypeOptionsHeaderValue,
  },
  {
    name: "CSP script-src 'unsafe-inline'",
    policy: "alb-content-security-policy",
    target: HTTPS,
    change: (p) =>
      (p.routingHttpResponseContentSecurityPolicyHeaderValue = String(p.routingHttpResponseContentSecurityPolicyHeaderValue).replace(
        "script-src 'self'",
        "script-src 'self' 'unsafe-inline'",
      )),
  },
  { name: "ALB keeps invalid header fields", policy: "alb-hardening", target: { type: T.lb }, change: (p) => (p.dropInvalidHeaderFields = false) },
  { name: "ALB WAF fail-open", policy: "alb-hardening", target: { type: T.lb }, change: (p) => (p.enableWafFailOpen = true) },
  {
    name: "WAF sign-in rule counts instead of blocking",
    policy: "waf-auth-rate-rule",
    target: { type: T.acl },
    change: (p) => (signInRule(p).action = { count: {} }),
  },
  {
    name: "WAF sign-in rule limit 2000",
    policy: "waf-auth-rate-rule",
    target: { type: T.acl },
    change: (p) => (signInRule(p).statement.rateBasedStatement.limit = 2000),
  },
  {
    name: "WAF allow rule for /api/auth ahead of the sign-in rate rule",
    policy: "waf-auth-rate-rule",
    target: { type: T.acl },
    change: (p) => {
      const at = signInRule(p).priority as number;
      const rules = (p.rules as Props[]).map((r) => (r.priority >= at ? { ...r, priority: r.priority + 1 } : r));
      const statement = {
        byteMatchStatement: {
          fieldToMatch: { uriPath: {} },
          positionalConstraint: "STARTS_WITH",
          searchString: "/api/auth",
          textTransformations: [{ priority: 0, type: "NONE" }],
        },
      };
      const visibilityConfig = { cloudwatchMetricsEnabled: false, metricName: "allow-auth", sampledRequestsEnabled: false };
      p.rules = [...rules, { name: "allow-auth", priority: at, action: { allow: {} }, statement, visibilityConfig }];
    },
  },
  { name: "WAF web ACL association removed", policy: "waf-alb-association", target: { type: T.aclAssociation }, remove: true },
  // Network
  {
    name: "inline ingress 0.0.0.0/0 tcp 22 on the database group",
    policy: "security-group-no-public-ingress",
    target: { type: T.sg, name: "sg-database" },
    change: (p) => (p.ingress = [{ description: "ssh", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }]),
  },
  {
    name: "standalone vpc ingress rule 0.0.0.0/0 :3306",
    policy: "security-group-no-public-ingress",
    add: addRule(T.ingress, "v4", "sg-database", { ipProtocol: "tcp", fromPort: 3306, toPort: 3306, cidrIpv4: "0.0.0.0/0" }),
  },
  {
    name: "standalone vpc ingress rule ::/0 :3000",
    policy: "security-group-no-public-ingress",
    add: addRule(T.ingress, "v6", "sg-frontend", { ipProtocol: "tcp", fromPort: 3000, toPort: 3000, cidrIpv6: "::/0" }),
  },
  {
    name: "standalone ec2 rule 0.0.0.0/0 :3001",
    policy: "security-group-no-public-ingress",
    add: addRule(T.ec2Rule, "ec2", "sg-agent", { type: "ingress", protocol: "tcp", fromPort: 3001, toPort: 3001, cidrBlocks: ["0.0.0.0/0"] }),
  },
  {
    name: "standalone vpc rule 443 from 0.0.0.0/0 on an app group",
    policy: "security-group-public-ingress-load-balancer-only",
    add: addRule(T.ingress, "app443", "sg-frontend", { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }),
  },
  {
    name: "standalone ec2 rule 80 from ::/0 on the database group",
    policy: "security-group-public-ingress-load-balancer-only",
    add: addRule(T.ec2Rule, "db80", "sg-database", { type: "ingress", protocol: "tcp", fromPort: 80, toPort: 80, ipv6CidrBlocks: ["::/0"] }),
  },
  {
    name: "inline ingress 443 from 0.0.0.0/0 on an app group",
    policy: "security-group-public-ingress-load-balancer-only",
    target: { type: T.sg, name: "sg-agent" },
    change: (p) => (p.ingress = [{ description: "https", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }]),
  },
  {
    name: "frontend :3000 rule takes a prefix list holding 0.0.0.0/0 instead of the load balancer's group",
    policy: "security-group-public-ingress-load-balancer-only",
    target: { type: T.ingress, name: "sg-frontend-from-loadBalancer-3000" },
    add: openPrefixList,
    change: fromPrefixList(OPEN_PREFIX_LIST_ID),
    rewire: (all) => ({ referencedSecurityGroupId: [], prefixListId: [find(all, T.prefixList, "mutant-open").urn] }),
  },
  {
    name: "agent :3001 rule takes a prefix list not defined in the stack",
    policy: "security-group-public-ingress-load-balancer-only",
    target: { type: T.ingress, name: "sg-agent-from-loadBalancer-3001" },
    change: fromPrefixList("pl-0123456789abcdef0"),
    rewire: () => ({ referencedSecurityGroupId: [] }),
  },
  {
    name: "security group without a description",
    policy: "security-group-descriptions",
    target: { type: T.sg, name: "sg-frontend" },
    change: (p) => (p.description = "Managed by Pulumi"),
  },
  {
    name: "default security group allows ingress",
    policy: "default-security-group-closed",
    target: { type: T.defaultSg },
    change: (p) => (p.ingress = [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }]),
  },
  { name: "VPC default security group not managed", policy: "vpc-default-security-group-managed", target: { type: T.defaultSg }, remove: true },
  // Compute
  {
    name: "ECS service assignPublicIp = true",
    policy: "ecs-no-public-ip",
    target: { type: T.service },
    change: (p) => (p.networkConfiguration.assignPublicIp = true),
  },
  {
    name: "container readonlyRootFilesystem = false",
    policy: "ecs-read-only-root",
    target: FRONTEND_TASK,
    change: container((c) => (c.readonlyRootFilesystem = false)),
  },
  { name: "container user root", policy: "ecs-non-root-user", target: FRONTEND_TASK, change: container((c) => (c.user = "root")) },
  { name: "container privileged", policy: "ecs-not-privileged", target: FRONTEND_TASK, change: container((c) => (c.privileged = true)) },
  {
    name: "container secret valueFrom a plaintext value",
    policy: "ecs-secrets-value-from",
    target: FRONTEND_TASK,
    change: container((c) => (c.secrets[0].valueFrom = "plaintext-password")),
  },
  // IAM
  {
    name: "execution role without the permissions boundary",
    policy: "iam-role-permissions-boundary",
    target: { type: T.role, name: "frontend-task-execution-role" },
    change: (p) => delete p.permissionsBoundary,
  },
  { name: "instance profile at the root path", policy: "iam-role-permissions-boundary", target: { type: T.instanceProfile }, change: (p) => (p.path = "/") },
  // Monitoring
  { name: "alarm without actions", policy: "alarm-has-actions", target: { type: T.alarm }, change: (p) => (p.alarmActions = []) },
  { name: "alarm actionsEnabled = false", policy: "alarm-has-actions", target: { type: T.alarm }, change: (p) => (p.actionsEnabled = false) },
  { name: "log group retention unset", policy: "log-group-retention", target: { type: T.logGroup }, change: (p) => delete p.retentionInDays },
  { name: "log group without KMS key", policy: "log-group-kms-encrypted", target: { type: T.logGroup }, change: (p) => delete p.kmsKeyId },
];

/** The mutated stack and the resources whose Analyze requests change. */
export function applyMutation(base: readonly StateResource[], m: Mutation): { resources: StateResource[]; changed: StateResource[] } {
  const resources = structuredClone(base) as StateResource[];
  const added = m.add?.(resources) ?? [];
  resources.push(...added);
  if (!m.target) {
    if (!m.add) throw new Error(`mutation "${m.name}" has neither target nor add`);
    return { resources, changed: added };
  }
  const target = find(resources, m.target.type, m.target.name);
  if (m.remove) return { resources: resources.filter((r) => r !== target), changed: [] };
  if (m.protect !== undefined) target.protect = m.protect;
  if (m.change) {
    m.change((target.inputs ??= {}), resources);
    m.change((target.outputs ??= {}), resources);
  }
  if (m.rewire) target.propertyDependencies = { ...target.propertyDependencies, ...m.rewire(resources) };
  return { resources, changed: [...added, target] };
}
