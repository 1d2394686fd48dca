import { catalystResourcePolicy, forTypes, requireKnown } from "./lib";

export const rdsStorageEncrypted = catalystResourcePolicy({
  name: "rds-storage-encrypted",
  description: "RDS instances must encrypt their storage (and with it snapshots and automated backups).",
  severity: "high",
  remediationSteps:
    "Set `storageEncrypted: true` (a literal) on the aws.rds.Instance, with `kmsKeyId` of a customer-managed key. Encryption cannot be turned on in place: restore an encrypted copy of a snapshot.",
  checklist: ["Database Security › Regular backups: encrypt backup files"],
  validateResource: forTypes("aws:rds/instance:Instance", (props, _args, reportViolation) => {
    // An instance restored from a snapshot or a read replica inherits encryption from its source.
    const encrypted = requireKnown(props, "storageEncrypted", "storageEncrypted must be a literal in the program");
    if (encrypted !== true) {
      reportViolation(
        `storageEncrypted is ${encrypted === undefined ? "not set (AWS default: false)" : JSON.stringify(encrypted)}: data, snapshots and backups are stored unencrypted.`,
      );
    }
  }),
});
