import { catalystResourcePolicy, forTypes, peek, UNKNOWN } from "./lib";

/**
 * The key is normally another resource's output and unknown at preview; only its presence matters,
 * and presence is known, so the policy decides at preview.
 */
export const logGroupKmsEncrypted = catalystResourcePolicy({
  name: "log-group-kms-encrypted",
  description: "CloudWatch log groups must be encrypted with a customer-managed KMS key (kmsKeyId).",
  severity: "medium",
  remediationSteps:
    "Set `kmsKeyId` on the aws.cloudwatch.LogGroup to the ARN of a KMS key whose policy allows the logs.<region>.amazonaws.com service principal.",
  checklist: ["Application logs aggregated"],
  validateResource: forTypes("aws:cloudwatch/logGroup:LogGroup", (props, _args, reportViolation) => {
    const key = peek(props, "kmsKeyId");
    if (key === UNKNOWN) return;
    if (typeof key !== "string" || !key.trim()) {
      reportViolation("kmsKeyId is not set: the logs are encrypted only with a key AWS controls, and anyone with log read access reads them.");
    }
  }),
});
