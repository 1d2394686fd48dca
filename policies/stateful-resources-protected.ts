import { catalystStackPolicy } from "./lib";

/** Resources whose loss loses data or keys: Pulumi must refuse to delete them. */
export const STATEFUL_TYPES: Record<string, string> = {
  "aws:rds/instance:Instance": "RDS instance",
  "aws:rds/cluster:Cluster": "RDS cluster",
  "aws:backup/vault:Vault": "backup vault",
  "aws:kms/key:Key": "KMS key",
  "aws:secretsmanager/secret:Secret": "secret",
  "aws:s3/bucket:Bucket": "S3 bucket",
  "aws:s3/bucketV2:BucketV2": "S3 bucket",
};

export const statefulResourcesProtected = catalystStackPolicy({
  name: "stateful-resources-protected",
  description:
    "Stateful resources (RDS, backup vaults, KMS keys, secrets, S3 log buckets) must carry Pulumi's `protect` option, so no update can delete or replace them silently.",
  severity: "high",
  remediationSteps:
    "Create the resource with `{ protect: args.protect }` and pass protect=true from the production stack. Non-production stacks may set this policy to advisory in their policy pack config.",
  checklist: ["Database backups configured and tested", "Database Security › Regular backups: store backups in a separate secure location"],
  validateStack: (args, reportViolation) => {
    if (!args.resources.some((r) => STATEFUL_TYPES[r.type])) args.notApplicable("no stateful resource in the stack");
    for (const r of args.resources) {
      const kind = STATEFUL_TYPES[r.type];
      if (kind && !r.opts.protect) {
        reportViolation(`${kind} ${r.name} is not protected: \`pulumi up\` or \`destroy\` could delete it.`, r.urn);
      }
    }
  },
});
