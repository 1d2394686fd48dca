import { parseDbUrl } from "../../scripts/verify/db/url";
import { isSecret, runComponent } from "../../test/harness";
import { DatabaseUsers, DatabaseUsersArgs, databaseUrl, migratePrivileges, MIGRATE_PRIVILEGES } from "./users";

const base: DatabaseUsersArgs = {
  host: "db.internal.example",
  port: 3306,
  proxy: "socks5://127.0.0.1:13306",
  master: { username: "dbadmin", password: "master-password-for-tests" },
  passwordGeneration: 1,
};

describe("databaseUrl", () => {
  it("builds the seed's form and encodes credentials so any password survives a URL parser", () => {
    const url = databaseUrl({ user: "catalyst_app", password: "a:b@c/d?e#f%", host: "db.example", port: 3306, database: "catalyst" });
    expect(url).toBe("mysql://catalyst_app:a%3Ab%40c%2Fd%3Fe%23f%25@db.example:3306/catalyst?ssl=true");
    expect(parseDbUrl(url)).toMatchObject({ user: "catalyst_app", password: "a:b@c/d?e#f%", host: "db.example", port: 3306, schema: "catalyst" });
  });
});

describe("migratePrivileges", () => {
  it("adds extra DDL but refuses anything global or that hands out access", () => {
    expect(migratePrivileges([" create  view ", "TRIGGER"])).toEqual([...MIGRATE_PRIVILEGES, "CREATE VIEW", "TRIGGER"]);
    expect(() => migratePrivileges(["super", "grant option"])).toThrow("may not hold SUPER, GRANT OPTION");
    expect(() => migratePrivileges(["ALL PRIVILEGES"])).toThrow("limited to DDL and DML on the app database");
  });
});

describe("DatabaseUsers", () => {
  it("connects with verified TLS through the proxy, and keeps the master password secret", async () => {
    const run = await runComponent(() => new DatabaseUsers("users", base));
    const provider = run.one("pulumi:providers:mysql");
    expect(provider.inputs).toMatchObject({ endpoint: "db.internal.example:3306", tls: "true", proxy: "socks5://127.0.0.1:13306", username: "dbadmin" });
    expect(isSecret(provider.inputs.password)).toBe(true);
  });

  it("honours other names and extra migration DDL, and protects the database by default", async () => {
    const run = await runComponent(
      () =>
        new DatabaseUsers("users", { ...base, databaseName: "app", runtimeUser: "app_rw", migrateUser: "app_ddl", extraMigratePrivileges: ["CREATE VIEW"] }),
    );
    expect(run.one("mysql:index/database:Database").inputs.name).toBe("app");
    expect(run.one("mysql:index/database:Database").protect).toBe(true);
    expect(run.one("mysql:index/grant:Grant", "runtime-grant").inputs).toMatchObject({ user: "app_rw", database: "app" });
    expect(run.one("mysql:index/grant:Grant", "migrate-grant").inputs.privileges).toContain("CREATE VIEW");
    expect(run.component.migrateUser).toBe("app_ddl");
  });

  it("ties every password to the rotation generation", async () => {
    const run = await runComponent(() => new DatabaseUsers("users", { ...base, passwordGeneration: 7 }));
    for (const p of run.byType("random:index/randomPassword:RandomPassword")) {
      expect(p.inputs).toMatchObject({ keepers: { generation: "7" }, overrideSpecial: "-_.~", length: 32 });
    }
  });
});
