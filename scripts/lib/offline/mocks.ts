/**
 * Mocks that stand in for the AWS, Cloudflare, MySQL and random providers when the real program runs
 * offline. They fake what the providers compute (ids, ARNs, auto-names, endpoints, DNS names) so that
 * resources which depend on each other see realistic values, and answer the provider functions the
 * program calls. Everything is derived from the resource's name: two runs produce identical output.
 * In preview mode they return only the inputs, so every computed output is unknown, as in `pulumi preview`.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";

export const MOCK_ACCOUNT = "123456789012";

export interface MockOptions {
  region: string;
  preview: boolean;
}

export function hex(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

const CLOUDFLARE_IPV4 = [
  "173.245.48.0/20",
  "103.21.244.0/22",
  "103.22.200.0/22",
  "103.31.4.0/22",
  "141.101.64.0/18",
  "108.162.192.0/18",
  "190.93.240.0/20",
  "188.114.96.0/20",
  "197.234.240.0/22",
  "198.41.128.0/17",
  "162.158.0.0/15",
  "104.16.0.0/13",
  "104.24.0.0/14",
  "172.64.0.0/13",
  "131.0.72.0/22",
];
const CLOUDFLARE_IPV6 = ["2400:cb00::/32", "2606:4700::/32", "2803:f800::/32", "2405:b500::/32", "2405:8100::/32", "2a06:98c0::/29", "2c0f:f248::/32"];

/** Physical-name properties that providers auto-name (`<logical name>-<7 hex>`) when the program leaves them unset. */
const AUTO_NAMED: Record<string, string> = {
  "aws:iam/role:Role": "name",
  "aws:iam/policy:Policy": "name",
  "aws:iam/rolePolicy:RolePolicy": "name",
  "aws:iam/instanceProfile:InstanceProfile": "name",
  "aws:lb/loadBalancer:LoadBalancer": "name",
  "aws:lb/targetGroup:TargetGroup": "name",
  "aws:ec2/securityGroup:SecurityGroup": "name",
  "aws:ecs/cluster:Cluster": "name",
  "aws:ecs/service:Service": "name",
  "aws:cloudwatch/logGroup:LogGroup": "name",
  "aws:cloudwatch/metricAlarm:MetricAlarm": "name",
  "aws:cloudwatch/compositeAlarm:CompositeAlarm": "alarmName",
  "aws:sns/topic:Topic": "name",
  "aws:secretsmanager/secret:Secret": "name",
  "aws:rds/instance:Instance": "identifier",
  "aws:rds/parameterGroup:ParameterGroup": "name",
  "aws:rds/subnetGroup:SubnetGroup": "name",
  "aws:s3/bucket:Bucket": "bucket",
  "aws:s3/bucketV2:BucketV2": "bucket",
  "aws:backup/vault:Vault": "name",
  "aws:backup/plan:Plan": "name",
  "aws:backup/selection:Selection": "name",
  "aws:wafv2/webAcl:WebAcl": "name",
  "aws:wafv2/ipSet:IpSet": "name",
  "aws:ecr/repository:Repository": "name",
  "aws:cloudwatch/dashboard:Dashboard": "dashboardName",
  "aws:ec2/managedPrefixList:ManagedPrefixList": "name",
  "aws:cloudwatch/logMetricFilter:LogMetricFilter": "name",
};

/** ARN service and resource path by type, for the resources other resources reference by ARN. */
const ARNS: Record<string, (n: string, r: string) => string> = {
  "aws:iam/role:Role": (n) => `arn:aws:iam::${MOCK_ACCOUNT}:role/${n}`,
  "aws:iam/policy:Policy": (n) => `arn:aws:iam::${MOCK_ACCOUNT}:policy/${n}`,
  "aws:iam/instanceProfile:InstanceProfile": (n) => `arn:aws:iam::${MOCK_ACCOUNT}:instance-profile/${n}`,
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": () => `arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
  "aws:kms/key:Key": (n, r) => `arn:aws:kms:${r}:${MOCK_ACCOUNT}:key/${uuid(n)}`,
  "aws:kms/alias:Alias": (n, r) => `arn:aws:kms:${r}:${MOCK_ACCOUNT}:${n}`,
  "aws:secretsmanager/secret:Secret": (n, r) => `arn:aws:secretsmanager:${r}:${MOCK_ACCOUNT}:secret:${n}-${hex(n, 6)}`,
  "aws:lb/loadBalancer:LoadBalancer": (n, r) => `arn:aws:elasticloadbalancing:${r}:${MOCK_ACCOUNT}:loadbalancer/app/${n.slice(0, 32)}/${hex(n, 16)}`,
  "aws:lb/targetGroup:TargetGroup": (n, r) => `arn:aws:elasticloadbalancing:${r}:${MOCK_ACCOUNT}:targetgroup/${n.slice(0, 32)}/${hex(n, 16)}`,
  "aws:lb/listener:Listener": (n, r) => `arn:aws:elasticloadbalancing:${r}:${MOCK_ACCOUNT}:listener/app/lb/${hex(n, 16)}/${hex(n + "l", 16)}`,
  "aws:lb/listenerRule:ListenerRule": (n, r) => `arn:aws:elasticloadbalancing:${r}:${MOCK_ACCOUNT}:listener-rule/app/lb/${hex(n, 16)}/${hex(n + "r", 16)}`,
  "aws:acm/certificate:Certificate": (n, r) => `arn:aws:acm:${r}:${MOCK_ACCOUNT}:certificate/${uuid(n)}`,
  "aws:rds/instance:Instance": (n, r) => `arn:aws:rds:${r}:${MOCK_ACCOUNT}:db:${n}`,
  "aws:rds/parameterGroup:ParameterGroup": (n, r) => `arn:aws:rds:${r}:${MOCK_ACCOUNT}:pg:${n}`,
  "aws:rds/subnetGroup:SubnetGroup": (n, r) => `arn:aws:rds:${r}:${MOCK_ACCOUNT}:subgrp:${n}`,
  "aws:ecs/cluster:Cluster": (n, r) => `arn:aws:ecs:${r}:${MOCK_ACCOUNT}:cluster/${n}`,
  "aws:ecs/service:Service": (n, r) => `arn:aws:ecs:${r}:${MOCK_ACCOUNT}:service/${n}`,
  "aws:ecs/taskDefinition:TaskDefinition": (n, r) => `arn:aws:ecs:${r}:${MOCK_ACCOUNT}:task-definition/${n}:1`,
  "aws:cloudwatch/logGroup:LogGroup": (n, r) => `arn:aws:logs:${r}:${MOCK_ACCOUNT}:log-group:${n}`,
  "aws:cloudwatch/metricAlarm:MetricAlarm": (n, r) => `arn:aws:cloudwatch:${r}:${MOCK_ACCOUNT}:alarm:${n}`,
  "aws:cloudwatch/compositeAlarm:CompositeAlarm": (n, r) => `arn:aws:cloudwatch:${r}:${MOCK_ACCOUNT}:alarm:${n}`,
  "aws:sns/topic:Topic": (n, r) => `arn:aws:sns:${r}:${MOCK_ACCOUNT}:${n}`,
  "aws:s3/bucket:Bucket": (n) => `arn:aws:s3:::${n}`,
  "aws:s3/bucketV2:BucketV2": (n) => `arn:aws:s3:::${n}`,
  "aws:backup/vault:Vault": (n, r) => `arn:aws:backup:${r}:${MOCK_ACCOUNT}:backup-vault:${n}`,
  "aws:backup/plan:Plan": (n, r) => `arn:aws:backup:${r}:${MOCK_ACCOUNT}:backup-plan:${uuid(n)}`,
  "aws:backup/restoreTestingPlan:RestoreTestingPlan": (n, r) => `arn:aws:backup:${r}:${MOCK_ACCOUNT}:restore-testing-plan:${n}`,
  "aws:wafv2/webAcl:WebAcl": (n, r) => `arn:aws:wafv2:${r}:${MOCK_ACCOUNT}:regional/webacl/${n}/${uuid(n)}`,
  "aws:wafv2/ipSet:IpSet": (n, r) => `arn:aws:wafv2:${r}:${MOCK_ACCOUNT}:regional/ipset/${n}/${uuid(n)}`,
  "aws:ecr/repository:Repository": (n, r) => `arn:aws:ecr:${r}:${MOCK_ACCOUNT}:repository/${n}`,
  "aws:ec2/vpc:Vpc": (n, r) => `arn:aws:ec2:${r}:${MOCK_ACCOUNT}:vpc/${ec2Id("vpc", n)}`,
  "aws:ec2/subnet:Subnet": (n, r) => `arn:aws:ec2:${r}:${MOCK_ACCOUNT}:subnet/${ec2Id("subnet", n)}`,
  "aws:ec2/securityGroup:SecurityGroup": (n, r) => `arn:aws:ec2:${r}:${MOCK_ACCOUNT}:security-group/${ec2Id("sg", n)}`,
  "aws:ec2/managedPrefixList:ManagedPrefixList": (n, r) => `arn:aws:ec2:${r}:${MOCK_ACCOUNT}:prefix-list/${ec2Id("pl", n)}`,
  "aws:ec2/instance:Instance": (n, r) => `arn:aws:ec2:${r}:${MOCK_ACCOUNT}:instance/${ec2Id("i", n)}`,
  "aws:synthetics/canary:Canary": (n, r) => `arn:aws:synthetics:${r}:${MOCK_ACCOUNT}:canary:${n}`,
  "aws:route53/healthCheck:HealthCheck": (n) => `arn:aws:route53:::healthcheck/${uuid(n)}`,
};

/** EC2-style ids (`vpc-0abc…`) for the types that have them. */
const EC2_PREFIX: Record<string, string> = {
  "aws:ec2/vpc:Vpc": "vpc",
  "aws:ec2/subnet:Subnet": "subnet",
  "aws:ec2/securityGroup:SecurityGroup": "sg",
  "aws:ec2/routeTable:RouteTable": "rtb",
  "aws:ec2/internetGateway:InternetGateway": "igw",
  "aws:ec2/natGateway:NatGateway": "nat",
  "aws:ec2/eip:Eip": "eipalloc",
  "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
  "aws:ec2/flowLog:FlowLog": "fl",
  "aws:ec2/managedPrefixList:ManagedPrefixList": "pl",
  "aws:ec2/instance:Instance": "i",
  "aws:ec2/networkAcl:NetworkAcl": "acl",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
  "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
};

export function ec2Id(prefix: string, name: string): string {
  return `${prefix}-0${hex(prefix + name, 16)}`;
}

function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

type State = Record<string, unknown>;

/** Computed outputs that particular resource types expose, beyond id/arn/name. */
function computed(type: string, name: string, inputs: State, region: string): State {
  switch (type) {
    case "aws:ec2/vpc:Vpc":
      return {
        defaultSecurityGroupId: ec2Id("sg", name + "-default"),
        mainRouteTableId: ec2Id("rtb", name + "-main"),
        defaultNetworkAclId: ec2Id("acl", name),
        ownerId: MOCK_ACCOUNT,
      };
    case "aws:lb/loadBalancer:LoadBalancer": {
      const lbName = String(inputs.name ?? name);
      return {
        dnsName: `${lbName}-${parseInt(hex(name, 8), 16)}.${region}.elb.amazonaws.com`,
        zoneId: "Z32O12XQLNTSW2",
        arnSuffix: `app/${lbName}/${hex(name, 16)}`,
      };
    }
    case "aws:lb/targetGroup:TargetGroup":
      return { arnSuffix: `targetgroup/${String(inputs.name ?? name).slice(0, 32)}/${hex(name, 16)}` };
    case "aws:rds/instance:Instance": {
      const host = `${String(inputs.identifier ?? name)}.c${hex(name, 10)}.${region}.rds.amazonaws.com`;
      const secretArn = `arn:aws:secretsmanager:${region}:${MOCK_ACCOUNT}:secret:rds!db-${uuid(name)}-${hex(name, 6)}`;
      return {
        address: host,
        endpoint: `${host}:3306`,
        port: inputs.port ?? 3306,
        resourceId: `db-${hex(name, 26).toUpperCase()}`,
        hostedZoneId: "Z29XKXDKYMONMX",
        masterUserSecrets: inputs.manageMasterUserPassword ? [{ secretArn, kmsKeyId: inputs.masterUserSecretKmsKeyId ?? null, secretStatus: "active" }] : [],
      };
    }
    case "aws:kms/key:Key":
      return { keyId: uuid(name) };
    case "aws:acm/certificate:Certificate": {
      const domains = [inputs.domainName, ...((inputs.subjectAlternativeNames as string[] | undefined) ?? [])].filter(Boolean) as string[];
      return {
        status: "ISSUED",
        domainValidationOptions: domains.map((d) => ({
          domainName: d,
          resourceRecordName: `_${hex(d, 32)}.${d}.`,
          resourceRecordType: "CNAME",
          resourceRecordValue: `_${hex(d + "v", 32)}.mhbtsbpdnt.acm-validations.aws.`,
        })),
      };
    }
    case "aws:iam/role:Role":
      // A role's ARN carries its IAM path (`role/<path>/<name>`).
      return typeof inputs.path === "string" ? { arn: `arn:aws:iam::${MOCK_ACCOUNT}:role${inputs.path}${name}` } : {};
    case "aws:ecs/taskDefinition:TaskDefinition": {
      // A task definition's ARN is named by its family, not by the logical name.
      const arn = ARNS[type](String(inputs.family ?? name), region);
      return { revision: 1, arn, arnWithoutRevision: arn.replace(/:1$/, "") };
    }
    case "aws:wafv2/webAcl:WebAcl":
      return { capacity: 700 };
    case "aws:sns/topic:Topic":
      return { owner: MOCK_ACCOUNT };
    case "aws:s3/bucket:Bucket":
    case "aws:s3/bucketV2:BucketV2":
      return {
        bucketDomainName: `${String(inputs.bucket ?? name)}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${String(inputs.bucket ?? name)}.s3.${region}.amazonaws.com`,
        region,
      };
    case "aws:ec2/instance:Instance":
      return { privateIp: "10.40.16.10", primaryNetworkInterfaceId: ec2Id("eni", name) };
    case "random:index/randomPassword:RandomPassword":
      // Not a real secret: a deterministic stand-in that the synth marks secret exactly as the provider does.
      return { result: `mock-password-${hex(name, 24)}`, bcryptHash: `$2a$10$${hex(name, 53)}` };
    case "random:index/randomBytes:RandomBytes":
      return { base64: Buffer.from(hex(name, 64), "hex").toString("base64"), hex: hex(name, 64) };
    case "random:index/randomId:RandomId":
      return { hex: hex(name, 16), b64Url: Buffer.from(hex(name, 16), "hex").toString("base64url"), dec: String(parseInt(hex(name, 12), 16)) };
    case "cloudflare:index/dnsRecord:DnsRecord":
      return {
        zoneName: String(inputs.name ?? "")
          .split(".")
          .slice(-2)
          .join("."),
        proxiable: true,
        createdOn: "2026-01-01T00:00:00Z",
      };
    default:
      return {};
  }
}

function secretValue(value: unknown): unknown {
  return pulumi.secret(value);
}

export function providerId(type: string, name: string): string {
  const prefix = EC2_PREFIX[type];
  if (prefix) return ec2Id(prefix, name);
  if (type.startsWith("pulumi:providers:")) return uuid(type + name);
  return `${name}-${hex(type + name, 8)}`;
}

export interface CallRecord {
  unknownTokens: Set<string>;
  /**
   * The `additionalSecretOutputs` of the registration being mocked right now. The mock monitor calls
   * newResource synchronously from registerResource without passing them, so the recorder hands them
   * over here; the engine marks those outputs secret, and so must the mocks.
   */
  secretOutputs?: string[];
}

export function createMocks(opts: MockOptions, record: CallRecord = { unknownTokens: new Set() }): pulumi.runtime.Mocks {
  const { region, preview } = opts;
  return {
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: State } {
      const secretOutputs = record.secretOutputs;
      record.secretOutputs = undefined;
      const inputs = { ...(args.inputs as State) };
      // Components have no provider id; in preview nothing computed is known yet.
      if (preview || args.custom === false) return { id: undefined, state: inputs };
      const nameProp = AUTO_NAMED[args.type];
      if (nameProp && inputs[nameProp] === undefined) {
        const prefix = inputs[`${nameProp}Prefix`];
        inputs[nameProp] = typeof prefix === "string" ? `${prefix}${hex(args.name, 7)}` : `${args.name}-${hex(args.name, 7)}`;
      }
      const physical = String(nameProp ? inputs[nameProp] : args.name);
      // pulumi-aws v7 resources may name their own region (e.g. us-east-1 uptime alarms): their ARNs say so.
      const resourceRegion = typeof inputs.region === "string" ? inputs.region : region;
      const arn = ARNS[args.type]?.(physical, resourceRegion);
      const state: State = { ...inputs, ...(arn ? { arn } : {}), ...computed(args.type, physical, inputs, resourceRegion) };
      for (const key of secretOutputs ?? []) if (key in state) state[key] = secretValue(state[key]);
      // pulumi-aws v7 (like terraform-provider-aws >= 5) uses the immutable DbiResourceId as an RDS
      // instance's id, not its identifier: runbooks that rename instances depend on that difference.
      const id = args.type === "aws:rds/instance:Instance" ? String(state.resourceId) : providerId(args.type, physical);
      return { id, state };
    },
    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
      return answerCall(args.token, args.inputs as State, region, record);
    },
  };
}

function answerCall(token: string, inputs: State, region: string, record: CallRecord): Record<string, unknown> {
  const azs = ["a", "b", "c", "d"].map((s) => `${region}${s}`);
  switch (token) {
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return {
        names: azs,
        zoneIds: azs.map((_, i) => `${region.split("-")[0]}${region.split("-")[1].slice(0, 1)}${region.split("-")[2]}-az${i + 1}`),
        state: "available",
        id: region,
      };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId: MOCK_ACCOUNT, arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/offline-synth`, userId: "AIDAOFFLINESYNTH", id: MOCK_ACCOUNT };
    case "aws:index/getRegion:getRegion":
      return { name: region, region, description: region, endpoint: `ec2.${region}.amazonaws.com`, id: region };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
    case "cloudflare:index/getIpRanges:getIpRanges":
      // pulumi-cloudflare v6 names them ipv4Cidrs/ipv6Cidrs; the v5 names are kept for older callers.
      return {
        ipv4Cidrs: CLOUDFLARE_IPV4,
        ipv6Cidrs: CLOUDFLARE_IPV6,
        ipv4CidrBlocks: CLOUDFLARE_IPV4,
        ipv6CidrBlocks: CLOUDFLARE_IPV6,
        cidrBlocks: [...CLOUDFLARE_IPV4, ...CLOUDFLARE_IPV6],
        etag: hex("cloudflare", 16),
        id: "cloudflare-ip-ranges",
      };
    case "aws:secretsmanager/getSecretVersion:getSecretVersion": {
      // An RDS-managed master secret: JSON username/password, returned as a secret like the provider does.
      const secretId = String(inputs.secretId);
      const secretString = JSON.stringify({ username: "dbadmin", password: `mock-master-${hex(secretId, 24)}` });
      return {
        arn: secretId,
        id: `${secretId}|AWSCURRENT`,
        secretId,
        secretString: secretValue(secretString),
        secretBinary: "",
        versionId: uuid(secretId),
        versionStages: ["AWSCURRENT"],
        createdDate: "2026-01-01T00:00:00Z",
      };
    }
    case "aws:iam/getSessionContext:getSessionContext": {
      // arn:aws:sts::<acct>:assumed-role/<role>/<session> → the role; anything else is its own issuer.
      const arn = String(inputs.arn);
      const m = /^arn:aws:sts::(\d+):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
      return m
        ? { arn, issuerArn: `arn:aws:iam::${m[1]}:role/${m[2]}`, issuerId: `AROA${hex(m[2], 16).toUpperCase()}`, issuerName: m[2], sessionName: m[3], id: arn }
        : { arn, issuerArn: arn, issuerId: "", issuerName: "", sessionName: "", id: arn };
    }
    case "aws:ssm/getParameter:getParameter":
      return {
        name: inputs.name,
        value: `ami-0${hex(String(inputs.name), 16)}`,
        type: "String",
        arn: `arn:aws:ssm:${region}::parameter${String(inputs.name)}`,
        id: String(inputs.name),
      };
    case "aws:ec2/getManagedPrefixList:getManagedPrefixList":
      return { id: `pl-${hex(String(inputs.name), 8)}`, name: inputs.name, entries: [] };
    default:
      record.unknownTokens.add(token);
      return {};
  }
}
