/**
 * The MySQL 8.4 server settings the stack enforces through its own parameter group. RDS's default
 * group leaves require_secure_transport OFF, so without these a client may connect in plaintext.
 */
export const PARAMETER_GROUP_FAMILY = "mysql8.4";
export const ENGINE_VERSION = "8.4";

export interface DbParameter {
  name: string;
  value: string;
  applyMethod: "immediate" | "pending-reboot";
}

export const DB_PARAMETERS: readonly DbParameter[] = [
  // Refuse every connection that is not TLS: the server enforces what DATABASE_URL's ?ssl=true asks for.
  { name: "require_secure_transport", value: "1", applyMethod: "immediate" },
  { name: "tls_version", value: "TLSv1.2,TLSv1.3", applyMethod: "pending-reboot" },
  // LOAD DATA LOCAL lets a server read files from the client host; nothing here needs it.
  { name: "local_infile", value: "0", applyMethod: "immediate" },
  // The slow-query log is exported to CloudWatch Logs, which reads it only from FILE output.
  { name: "slow_query_log", value: "1", applyMethod: "immediate" },
  { name: "long_query_time", value: "2", applyMethod: "immediate" },
  { name: "log_output", value: "FILE", applyMethod: "immediate" },
];

/** Logs RDS publishes to CloudWatch Logs (`/aws/rds/instance/<id>/<log>`). */
export const EXPORTED_LOGS = ["error", "slowquery"] as const;
