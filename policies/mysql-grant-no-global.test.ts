import { mysqlGrantNoGlobal } from "./mysql-grant-no-global";
import { runResourcePolicy, UNKNOWN } from "./testing";

const TYPE = "mysql:index/grant:Grant";
const grant = (over: Record<string, unknown> = {}) => ({
  type: TYPE,
  props: { user: "catalyst_migrate", host: "%", database: "catalyst", table: "*", privileges: ["ALL"], ...over },
});

describe("mysql-grant-no-global", () => {
  it("passes a grant on the application schema (table * is fine)", async () => {
    expect((await runResourcePolicy(mysqlGrantNoGlobal, grant())).violations).toEqual([]);
  });

  it.each([["*"], ["*.*"], [""]])("blocks database %j", async (database) => {
    const r = await runResourcePolicy(mysqlGrantNoGlobal, grant({ database }));
    expect(r.violations).toEqual([
      `'catalyst_migrate'@'%': grant on database ${JSON.stringify(database)} is global (ON *.*): it reaches every schema, including mysql.*.`,
    ]);
  });

  it.each([["%"], ["`%`"], ["cat%"], ["_____"], ["%schema"]])(
    "blocks the wildcard database %j (GRANT ... ON `pattern`.* matches other schemas)",
    async (database) => {
      const r = await runResourcePolicy(mysqlGrantNoGlobal, grant({ database }));
      expect(r.violations).toEqual([
        `'catalyst_migrate'@'%': database ${JSON.stringify(database)} is a wildcard pattern (% and _ match in database-level grants): the grant reaches other schemas than the application's.`,
      ]);
    },
  );

  it.each([["catalyst"], ["catalyst\\_app"], ["`catalyst`"]])("passes the literal schema name %j (escaped _ is literal)", async (database) => {
    expect((await runResourcePolicy(mysqlGrantNoGlobal, grant({ database }))).violations).toEqual([]);
  });

  it("is not applicable to users", async () => {
    expect((await runResourcePolicy(mysqlGrantNoGlobal, { type: "mysql:index/user:User", props: { user: "x" } })).notApplicable).toBe(true);
  });

  it("decides at preview on the literal database; explicit when it is unknown", async () => {
    expect((await runResourcePolicy(mysqlGrantNoGlobal, grant({ user: UNKNOWN, database: "*" }), { preview: true })).violations).toHaveLength(1);
    expect((await runResourcePolicy(mysqlGrantNoGlobal, grant({ database: UNKNOWN }), { preview: true })).undecidable).toBe(true);
  });
});
