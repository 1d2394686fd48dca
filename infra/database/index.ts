export { Database, DEFAULT_MASTER_USERNAME } from "./database";
export type { DatabaseArgs, RdsCaIdentifier } from "./database";
export { DbAdminHost, DEFAULT_AMI_PARAMETER } from "./adminHost";
export type { DbAdminHostArgs } from "./adminHost";
export { DatabaseUsers, databaseUrl, MIGRATE_PRIVILEGES, RUNTIME_PRIVILEGES } from "./users";
export type { DatabaseUsersArgs } from "./users";
export { DB_PARAMETERS, ENGINE_VERSION, PARAMETER_GROUP_FAMILY } from "./parameters";
