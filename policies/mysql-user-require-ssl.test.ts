import { mysqlUserRequireSsl } from "./mysql-user-require-ssl";
import { runResourcePolicy, secret, UNKNOWN } from "./testing";

const TYPE = "mysql:index/user:User";
const user = (over: Record<string, unknown> = {}) => ({
  type: TYPE,
  props: { user: "catalyst_app", host: "%", plaintextPassword: secret("pw"), tlsOption: "SSL", ...over },
});

describe("mysql-user-require-ssl", () => {
  it.each([["SSL"], ["X509"], ["ssl"]])("passes tlsOption %s", async (tlsOption) => {
    expect((await runResourcePolicy(mysqlUserRequireSsl, user({ tlsOption }))).violations).toEqual([]);
  });

  it.each([
    [{ tlsOption: "NONE" }, `'catalyst_app'@'%': tlsOption "NONE" does not require TLS (use "SSL" or "X509").`],
    [{ tlsOption: undefined }, `'catalyst_app'@'%': tlsOption is not set (provider default "NONE"): the account may log in without TLS.`],
  ])("blocks %j", async (change, message) => {
    const r = await runResourcePolicy(mysqlUserRequireSsl, user(change));
    expect(r.violations).toEqual([message]);
    expect(r.findings[0].level).toBe("mandatory");
  });

  it("is not applicable to grants", async () => {
    expect((await runResourcePolicy(mysqlUserRequireSsl, { type: "mysql:index/grant:Grant", props: {} })).notApplicable).toBe(true);
  });

  it("decides at preview although the password is unknown; explicit when tlsOption is unknown", async () => {
    expect(await runResourcePolicy(mysqlUserRequireSsl, user({ plaintextPassword: UNKNOWN, tlsOption: "NONE" }), { preview: true })).toMatchObject({
      undecidable: false,
      violations: [expect.any(String)],
    });
    const r = await runResourcePolicy(mysqlUserRequireSsl, user({ tlsOption: UNKNOWN }), { preview: true });
    expect(r).toMatchObject({ undecidable: true, violations: [] });
  });
});
