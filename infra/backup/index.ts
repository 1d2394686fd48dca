export { DatabaseBackup, restorePlanName, VAULT_LOCK_GRACE_DAYS, VAULT_LOCK_MIN_RETENTION_DAYS } from "./databaseBackup";
export type { DatabaseBackupArgs, RestoreTestArgs } from "./databaseBackup";
