import { MODERN_RDS_CAS, rdsModernCa } from "./rds-modern-ca";
import { runResourcePolicy, UNKNOWN } from "./testing";

const TYPE = "aws:rds/instance:Instance";
const db = (over: Record<string, unknown> = {}) => ({ type: TYPE, props: { engine: "mysql", caCertIdentifier: "rds-ca-rsa2048-g1", ...over } });

describe("rds-modern-ca", () => {
  it.each(MODERN_RDS_CAS.map((ca) => [ca]))("passes %s", async (ca) => {
    expect((await runResourcePolicy(rdsModernCa, db({ caCertIdentifier: ca }))).violations).toEqual([]);
  });

  it.each([
    [
      { caCertIdentifier: "rds-ca-2019" },
      'caCertIdentifier "rds-ca-2019" is not a current RDS CA (allowed: rds-ca-rsa2048-g1, rds-ca-rsa4096-g1, rds-ca-ecc384-g1).',
    ],
    [
      { caCertIdentifier: "rds-ca-rsa2048" },
      'caCertIdentifier "rds-ca-rsa2048" is not a current RDS CA (allowed: rds-ca-rsa2048-g1, rds-ca-rsa4096-g1, rds-ca-ecc384-g1).',
    ],
    [
      { caCertIdentifier: undefined },
      "caCertIdentifier is not set: the CA is whatever the account default is; set one of rds-ca-rsa2048-g1, rds-ca-rsa4096-g1, rds-ca-ecc384-g1.",
    ],
  ])("blocks %j", async (change, message) => {
    expect((await runResourcePolicy(rdsModernCa, db(change))).violations).toEqual([message]);
  });

  it("is not applicable to other resource types", async () => {
    expect((await runResourcePolicy(rdsModernCa, { type: "aws:rds/parameterGroup:ParameterGroup", props: {} })).notApplicable).toBe(true);
  });

  it("is undecidable at preview only when the CA itself is unknown", async () => {
    expect((await runResourcePolicy(rdsModernCa, db({ dbSubnetGroupName: UNKNOWN }), { preview: true })).undecidable).toBe(false);
    expect((await runResourcePolicy(rdsModernCa, db({ caCertIdentifier: UNKNOWN }), { preview: true })).undecidable).toBe(true);
  });
});
