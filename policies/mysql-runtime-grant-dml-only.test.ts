import { mysqlRuntimeGrantDmlOnly } from "./mysql-runtime-grant-dml-only";
import { runResourcePolicy, UNKNOWN } from "./testing";

const TYPE = "mysql:index/grant:Grant";
const grant = (over: Record<string, unknown> = {}) => ({
  type: TYPE,
  props: { user: "catalyst_app", host: "%", database: "catalyst", table: "*", privileges: ["SELECT", "INSERT", "UPDATE", "DELETE"], ...over },
});

describe("mysql-runtime-grant-dml-only", () => {
  it("passes the DML-only runtime grant, in any case and subset", async () => {
    expect((await runResourcePolicy(mysqlRuntimeGrantDmlOnly, grant())).violations).toEqual([]);
    expect((await runResourcePolicy(mysqlRuntimeGrantDmlOnly, grant({ privileges: ["select"] }))).violations).toEqual([]);
  });

  it.each([
    [
      { privileges: ["SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP"] },
      "'catalyst_app'@'%': the runtime user holds CREATE, DROP; only SELECT, INSERT, UPDATE, DELETE are allowed.",
    ],
    [{ privileges: ["ALL PRIVILEGES"] }, "'catalyst_app'@'%': the runtime user holds ALL; only SELECT, INSERT, UPDATE, DELETE are allowed."],
    [
      { privileges: undefined, roles: ["app_admin"] },
      "'catalyst_app'@'%': the runtime user is granted roles (app_admin), whose privileges this policy cannot bound.",
    ],
  ])("blocks %j", async (change, message) => {
    const r = await runResourcePolicy(mysqlRuntimeGrantDmlOnly, grant(change));
    expect(r.violations).toEqual([message]);
    expect(r.findings[0].level).toBe("mandatory");
  });

  it("is not applicable to other users' grants (the migration user may hold DDL)", async () => {
    const r = await runResourcePolicy(mysqlRuntimeGrantDmlOnly, grant({ user: "catalyst_migrate", privileges: ["ALL"] }));
    expect(r).toMatchObject({ violations: [], notApplicable: true });
  });

  it("is not applicable to other resource types", async () => {
    expect((await runResourcePolicy(mysqlRuntimeGrantDmlOnly, { type: "mysql:index/user:User", props: { user: "catalyst_app" } })).notApplicable).toBe(true);
  });

  it("takes the runtime user's name from policy config", async () => {
    const r = await runResourcePolicy(mysqlRuntimeGrantDmlOnly, grant({ user: "app_rw", privileges: ["SELECT", "ALTER"] }), {
      config: { runtimeUser: "app_rw" },
    });
    expect(r.violations).toEqual(["'app_rw'@'%': the runtime user holds ALTER; only SELECT, INSERT, UPDATE, DELETE are allowed."]);
  });

  it("decides at preview on literals; explicit when the user or privileges are unknown", async () => {
    expect((await runResourcePolicy(mysqlRuntimeGrantDmlOnly, grant({ database: UNKNOWN, privileges: ["DROP"] }), { preview: true })).violations).toHaveLength(
      1,
    );
    expect((await runResourcePolicy(mysqlRuntimeGrantDmlOnly, grant({ user: UNKNOWN }), { preview: true })).undecidable).toBe(true);
    expect((await runResourcePolicy(mysqlRuntimeGrantDmlOnly, grant({ privileges: UNKNOWN }), { preview: true })).undecidable).toBe(true);
  });
});
