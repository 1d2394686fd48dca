import * as mysql from "@pulumi/mysql";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/** Exactly what the running apps need: data, never schema. */
export const RUNTIME_PRIVILEGES = ["SELECT", "INSERT", "UPDATE", "DELETE"] as const;
/** Schema changes on the app database for migrations; no global privilege, no GRANT OPTION. */
export const MIGRATE_PRIVILEGES = [...RUNTIME_PRIVILEGES, "CREATE", "ALTER", "DROP", "INDEX", "REFERENCES"] as const;
/** Privileges that reach beyond one database or hand out access: never granted by this component. */
export const FORBIDDEN_PRIVILEGES = [
  "ALL",
  "ALL PRIVILEGES",
  "SUPER",
  "FILE",
  "PROCESS",
  "CREATE USER",
  "GRANT OPTION",
  "PROXY",
  "SHUTDOWN",
  "RELOAD",
  "REPLICATION SLAVE",
  "REPLICATION CLIENT",
];

export interface DatabaseUsersArgs {
  /** The server's DNS name: the provider verifies the server certificate against it. */
  host: pulumi.Input<string>;
  port: pulumi.Input<number>;
  /** SOCKS5 URL through which the provider reaches the private endpoint (scripts/db-tunnel.sh). */
  proxy?: pulumi.Input<string>;
  /** Master credentials for the provider only (from the RDS-managed secret); no password at preview. */
  master: { username: pulumi.Input<string>; password?: pulumi.Input<string> };
  databaseName?: string;
  runtimeUser?: string;
  migrateUser?: string;
  /** Extra DDL a migration tool needs (e.g. "CREATE VIEW"); global privileges are refused. */
  extraMigratePrivileges?: string[];
  /** Changing it generates new passwords on the next `pulumi up` ("rotate all secrets"). */
  passwordGeneration: number;
  /** Pulumi `protect` on the database (dropping it drops the data). */
  protect?: boolean;
}

export interface UrlParts {
  user: string;
  password: string;
  host: string;
  port: number;
  database: string;
}

/** The seed's `mysql://user:pass@host:3306/db?ssl=true` form, with the credentials URL-encoded. */
export function databaseUrl(p: UrlParts): string {
  return `mysql://${encodeURIComponent(p.user)}:${encodeURIComponent(p.password)}@${p.host}:${p.port}/${encodeURIComponent(p.database)}?ssl=true`;
}

export function migratePrivileges(extra: readonly string[] = []): string[] {
  const normalized = extra.map((p) => p.trim().toUpperCase().replace(/\s+/g, " "));
  const refused = normalized.filter((p) => FORBIDDEN_PRIVILEGES.includes(p));
  if (refused.length) throw new Error(`the migration user may not hold ${refused.join(", ")}: it is limited to DDL and DML on the app database`);
  return [...new Set([...MIGRATE_PRIVILEGES, ...normalized])];
}

/**
 * The app database and its two users, managed over TLS through the admin tunnel: a runtime user with
 * exactly SELECT/INSERT/UPDATE/DELETE and a migration user with DDL + DML, both on the app database
 * only, both REQUIRE SSL, with random passwords that exist only as Pulumi secrets and in the URLs.
 */
export class DatabaseUsers extends pulumi.ComponentResource {
  public readonly databaseName: string;
  public readonly runtimeUser: string;
  public readonly migrateUser: string;
  /** Secret: DATABASE_URL. */
  public readonly runtimeDatabaseUrl: pulumi.Output<string>;
  /** Secret: DATABASE_URL_MIGRATE. */
  public readonly migrateDatabaseUrl: pulumi.Output<string>;

  constructor(name: string, args: DatabaseUsersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("catalyst:database:DatabaseUsers", name, {}, opts);
    this.databaseName = args.databaseName ?? "catalyst";
    this.runtimeUser = args.runtimeUser ?? "catalyst_app";
    this.migrateUser = args.migrateUser ?? "catalyst_migrate";

    const provider = new mysql.Provider(
      `${name}-mysql`,
      {
        // The real endpoint, reached through the proxy: "true" makes the driver verify the server
        // certificate chain and that it names this host (the RDS CA must be trusted, see db-tunnel.sh).
        endpoint: pulumi.interpolate`${args.host}:${args.port}`,
        tls: "true",
        proxy: args.proxy,
        username: args.master.username,
        ...(args.master.password === undefined ? {} : { password: pulumi.secret(args.master.password) }),
      },
      { parent: this },
    );
    const onServer = { parent: this, provider };
    const database = new mysql.Database(
      `${name}-database`,
      { name: this.databaseName, defaultCharacterSet: "utf8mb4", defaultCollation: "utf8mb4_0900_ai_ci" },
      { ...onServer, protect: args.protect ?? true },
    );

    const account = (role: string, user: string, privileges: readonly string[]) => {
      const password = new random.RandomPassword(
        `${name}-${role}-password`,
        // URL-safe symbols only: the password sits in a URL and inside the provider's quoted SQL.
        {
          length: 32,
          special: true,
          overrideSpecial: "-_.~",
          minLower: 1,
          minUpper: 1,
          minNumeric: 1,
          minSpecial: 1,
          keepers: { generation: String(args.passwordGeneration) },
        },
        { parent: this },
      );
      const mysqlUser = new mysql.User(`${name}-${role}`, { user, host: "%", plaintextPassword: password.result, tlsOption: "SSL" }, onServer);
      new mysql.Grant(
        `${name}-${role}-grant`,
        // tlsOption "SSL" keeps a GRANT on a pre-8.0 server from resetting the account to REQUIRE NONE.
        { user: mysqlUser.user, host: mysqlUser.host, database: database.name, table: "*", privileges: [...privileges], grant: false, tlsOption: "SSL" },
        onServer,
      );
      return pulumi.secret(
        pulumi
          .all([password.result, args.host, args.port])
          .apply(([pw, host, port]) => databaseUrl({ user, password: pw, host, port, database: this.databaseName })),
      );
    };
    this.runtimeDatabaseUrl = account("runtime", this.runtimeUser, RUNTIME_PRIVILEGES);
    this.migrateDatabaseUrl = account("migrate", this.migrateUser, migratePrivileges(args.extraMigratePrivileges));

    this.registerOutputs({ databaseName: this.databaseName, runtimeUser: this.runtimeUser, migrateUser: this.migrateUser });
  }
}
