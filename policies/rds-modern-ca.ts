import { catalystResourcePolicy, forTypes, requireKnown } from "./lib";

/** The current RDS certificate authorities (the retired rds-ca-2019 expired in 2024). */
export const MODERN_RDS_CAS = ["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"] as const;

export const rdsModernCa = catalystResourcePolicy({
  name: "rds-modern-ca",
  description: "RDS instances must name a current certificate authority explicitly, so clients verify TLS against a known, unexpired CA.",
  severity: "medium",
  remediationSteps: `Set \`caCertIdentifier\` (catalyst:dbCaCertIdentifier) to one of ${MODERN_RDS_CAS.join(", ")} and ship that CA bundle to clients.`,
  checklist: ["Database connection uses TLS/SSL"],
  validateResource: forTypes("aws:rds/instance:Instance", (props, _args, reportViolation) => {
    const ca = requireKnown(props, "caCertIdentifier", "caCertIdentifier must be a literal in the program");
    if (ca === undefined) {
      reportViolation(`caCertIdentifier is not set: the CA is whatever the account default is; set one of ${MODERN_RDS_CAS.join(", ")}.`);
    } else if (!(MODERN_RDS_CAS as readonly unknown[]).includes(ca)) {
      reportViolation(`caCertIdentifier ${JSON.stringify(ca)} is not a current RDS CA (allowed: ${MODERN_RDS_CAS.join(", ")}).`);
    }
  }),
});
