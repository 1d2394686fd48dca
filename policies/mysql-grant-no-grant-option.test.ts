import { mysqlGrantNoGrantOption } from "./mysql-grant-no-grant-option";
import { runResourcePolicy, UNKNOWN } from "./testing";

const TYPE = "mysql:index/grant:Grant";
const grant = (over: Record<string, unknown> = {}) => ({
  type: TYPE,
  props: { user: "catalyst_app", host: "%", database: "catalyst", privileges: ["SELECT", "INSERT", "UPDATE", "DELETE"], grant: false, ...over },
});

describe("mysql-grant-no-grant-option", () => {
  it("passes a grant without GRANT OPTION (grant false or unset)", async () => {
    expect((await runResourcePolicy(mysqlGrantNoGrantOption, grant())).violations).toEqual([]);
    expect((await runResourcePolicy(mysqlGrantNoGrantOption, grant({ grant: undefined }))).violations).toEqual([]);
  });

  it.each([
    [{ grant: true }, "'catalyst_app'@'%': grant is true (WITH GRANT OPTION)."],
    [{ privileges: ["SELECT", "grant  option"] }, "'catalyst_app'@'%': privileges include GRANT OPTION."],
  ])("blocks %j", async (change, message) => {
    expect((await runResourcePolicy(mysqlGrantNoGrantOption, grant(change))).violations).toEqual([message]);
  });

  it("is not applicable to users", async () => {
    expect((await runResourcePolicy(mysqlGrantNoGrantOption, { type: "mysql:index/user:User", props: {} })).notApplicable).toBe(true);
  });

  it("is explicit at preview when grant or privileges are unknown", async () => {
    expect((await runResourcePolicy(mysqlGrantNoGrantOption, grant({ grant: UNKNOWN }), { preview: true })).undecidable).toBe(true);
    expect((await runResourcePolicy(mysqlGrantNoGrantOption, grant({ privileges: UNKNOWN }), { preview: true })).undecidable).toBe(true);
    expect((await runResourcePolicy(mysqlGrantNoGrantOption, grant({ database: UNKNOWN }), { preview: true })).undecidable).toBe(false);
  });
});
