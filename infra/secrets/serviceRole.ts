/** IAM roles assumed by one AWS service, with AWS-managed policies attached as separate resources. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IamSettings, roleIamProps } from "../iam";

export interface ServiceRoleArgs {
  /** e.g. `monitoring.rds.amazonaws.com` */
  service: string;
  description: string;
  managedPolicyArns?: readonly string[];
  /** Confused-deputy guard: only this account's use of the service may assume the role. */
  sourceAccount?: pulumi.Input<string>;
  /** The stack's IAM path and permissions boundary (the deploy role manages only roles that carry them). */
  iam: IamSettings;
}

export function serviceTrustPolicy(service: string, sourceAccount?: string): aws.iam.PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        ...(sourceAccount ? { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } } : {}),
      },
    ],
  };
}

export function serviceRole(name: string, args: ServiceRoleArgs, parent: pulumi.Resource): aws.iam.Role {
  const role = new aws.iam.Role(
    name,
    {
      description: args.description,
      assumeRolePolicy: pulumi.output(args.sourceAccount).apply((account) => JSON.stringify(serviceTrustPolicy(args.service, account))),
      ...roleIamProps(args.iam),
    },
    { parent },
  );
  for (const arn of args.managedPolicyArns ?? []) {
    new aws.iam.RolePolicyAttachment(`${name}-${arn.split("/").pop()}`, { role: role.name, policyArn: arn }, { parent });
  }
  return role;
}
