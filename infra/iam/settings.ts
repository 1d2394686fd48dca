/**
 * Where the stack's IAM roles, managed policies and instance profiles live, and the ceiling on what a
 * role may do. The CI deploy role (infra/delivery) may create or change roles only under one IAM
 * path and only when they carry the workload permissions boundary, so every component that creates
 * IAM takes these settings from the composition instead of choosing its own.
 */
import * as pulumi from "@pulumi/pulumi";

export interface IamSettings {
  /** IAM path of every role, managed policy and instance profile, e.g. `/catalyst/`. */
  path: string;
  /**
   * ARN of the managed policy set as every role's permissions boundary. `false` is the explicit
   * opt-out, for an account whose bootstrap runs with `requireWorkloadBoundary: false`.
   */
  permissionsBoundary: pulumi.Input<string> | false;
}

const IAM_PATH = /^\/([\w+=,.@-]+\/)*$/;

/** The settings, checked: a malformed path fails the program before anything is declared. */
export function checkIamSettings(iam: IamSettings): IamSettings {
  if (!IAM_PATH.test(iam.path) || iam.path.length > 512)
    throw new Error(`IAM path ${JSON.stringify(iam.path)} must look like /catalyst/ (slash-delimited, at most 512 characters)`);
  return iam;
}

/** The properties every aws.iam.Role takes from the settings. */
export function roleIamProps(iam: IamSettings): { path: string; permissionsBoundary?: pulumi.Input<string> } {
  checkIamSettings(iam);
  return iam.permissionsBoundary === false ? { path: iam.path } : { path: iam.path, permissionsBoundary: iam.permissionsBoundary };
}

/** The properties every aws.iam.Policy and aws.iam.InstanceProfile takes from the settings (a path only). */
export function pathIamProps(iam: IamSettings): { path: string } {
  return { path: checkIamSettings(iam).path };
}
