// Every policy of the pack, in one list shared by policies/index.ts, the tests and the checklist
// generator. Importing this module does not start the analyzer (only index.ts does).
import { Policy } from "@pulumi/policy";
import { mysqlGrantNoGlobal } from "./mysql-grant-no-global";
import { mysqlGrantNoGrantOption } from "./mysql-grant-no-grant-option";
import { mysqlRuntimeGrantDmlOnly } from "./mysql-runtime-grant-dml-only";
import { mysqlUserRequireSsl } from "./mysql-user-require-ssl";
import { noPlaintextSecretOutputs } from "./no-plaintext-secret-outputs";
import { noPlaintextSecrets } from "./no-plaintext-secrets";
import { rdsBackupRetention } from "./rds-backup-retention";
import { rdsDeletionProtection } from "./rds-deletion-protection";
import { rdsIsolatedSubnets } from "./rds-isolated-subnets";
import { rdsModernCa } from "./rds-modern-ca";
import { rdsNotPublic } from "./rds-not-public";
import { rdsRequireSecureTransport } from "./rds-require-secure-transport";
import { rdsStorageEncrypted } from "./rds-storage-encrypted";
import { secretsRecoveryWindow } from "./secrets-recovery-window";
import { statefulResourcesProtected } from "./stateful-resources-protected";

export const allPolicies: Policy[] = [
    // Data: RDS and MySQL
    rdsNotPublic,
    rdsStorageEncrypted,
    rdsIsolatedSubnets,
    rdsBackupRetention,
    rdsDeletionProtection,
    rdsRequireSecureTransport,
    rdsModernCa,
    mysqlUserRequireSsl,
    mysqlGrantNoGlobal,
    mysqlGrantNoGrantOption,
    mysqlRuntimeGrantDmlOnly,
    // Secrets and state
    noPlaintextSecrets,
    noPlaintextSecretOutputs,
    secretsRecoveryWindow,
    statefulResourcesProtected,
    // Edge, network, compute, monitoring: appended below.
];
