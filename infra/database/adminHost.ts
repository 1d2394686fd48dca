import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IamSettings, pathIamProps } from "../iam";
import { serviceRole } from "../secrets/serviceRole";

export interface DbAdminHostArgs {
  /** Prefix of the Name tag, e.g. `catalyst-prod`. */
  namePrefix: string;
  /** A private subnet (egress through NAT to the SSM endpoints). */
  subnetId: pulumi.Input<string>;
  /** IAM path of the instance role and profile, and the role's permissions boundary. */
  iam: IamSettings;
  /** A group with no inbound rule that may reach only the database (and HTTPS for SSM). */
  securityGroupId: pulumi.Input<string>;
  instanceType?: string;
  /** SSM public parameter naming the AMI; the default is the latest Amazon Linux 2023 for arm64. */
  amiParameter?: string;
}

export const DEFAULT_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";

/**
 * The admin path to the private database: a tiny instance with no public address and no inbound
 * rule, reachable only through AWS SSM Session Manager (IAM-authenticated, CloudTrail-logged). Port
 * forwarding through it (scripts/db-tunnel.sh) is how `pulumi up` reaches MySQL to manage users.
 */
export class DbAdminHost extends pulumi.ComponentResource {
  public readonly instanceId: pulumi.Output<string>;
  public readonly roleName: pulumi.Output<string>;

  constructor(name: string, args: DbAdminHostArgs, opts?: pulumi.ComponentResourceOptions) {
    super("catalyst:database:DbAdminHost", name, {}, opts);
    const child = { parent: this };
    const role = serviceRole(
      `${name}-role`,
      {
        service: "ec2.amazonaws.com",
        description: "SSM agent of the database admin host",
        managedPolicyArns: [aws.iam.ManagedPolicy.AmazonSSMManagedInstanceCore],
        iam: args.iam,
      },
      this,
    );
    const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name, ...pathIamProps(args.iam) }, child);
    const ami = aws.ssm.getParameterOutput({ name: args.amiParameter ?? DEFAULT_AMI_PARAMETER }, child).value;

    const instance = new aws.ec2.Instance(
      `${name}-instance`,
      {
        ami,
        instanceType: args.instanceType ?? "t4g.nano",
        subnetId: args.subnetId,
        vpcSecurityGroupIds: [args.securityGroupId],
        associatePublicIpAddress: false,
        iamInstanceProfile: profile.name,
        // IMDSv2 only, one hop: a process in a container on the host cannot reach the role's credentials.
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        rootBlockDevice: { encrypted: true, volumeType: "gp3", volumeSize: 8, deleteOnTermination: true },
        monitoring: true,
        tags: { Name: `${args.namePrefix}-db-admin`, "catalyst:role": "admin" },
      },
      // A newer AMI must not replace the host in the middle of a deploy that tunnels through it;
      // it is refreshed deliberately with `pulumi up --replace` (README, Database).
      { ...child, ignoreChanges: ["ami"] },
    );

    this.instanceId = instance.id;
    this.roleName = role.name;
    this.registerOutputs({ instanceId: this.instanceId, roleName: this.roleName });
  }
}
