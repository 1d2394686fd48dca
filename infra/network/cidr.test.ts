import { cidrSubnet, subnetPlan } from "./cidr";

describe("cidrSubnet", () => {
  it("cuts blocks like Terraform's cidrsubnet", () => {
    expect(cidrSubnet("10.40.0.0/16", 4, 0)).toBe("10.40.0.0/20");
    expect(cidrSubnet("10.40.0.0/16", 4, 5)).toBe("10.40.80.0/20");
    expect(cidrSubnet("172.16.0.0/20", 4, 15)).toBe("172.16.15.0/24");
  });

  it("refuses blocks outside the range or below AWS's /28 minimum", () => {
    expect(() => cidrSubnet("10.40.0.0/16", 4, 16)).toThrow("has no subnet #16");
    expect(() => cidrSubnet("10.40.0.0/26", 4, 0)).toThrow("/28 minimum");
    expect(() => cidrSubnet("10.40.0/16", 4, 0)).toThrow("not an IPv4 CIDR block");
  });
});

describe("subnetPlan", () => {
  it("gives each tier its own quarter of the VPC, one subnet per zone", () => {
    expect(subnetPlan("10.40.0.0/16", 3)).toEqual({
      public: ["10.40.0.0/20", "10.40.16.0/20", "10.40.32.0/20"],
      private: ["10.40.64.0/20", "10.40.80.0/20", "10.40.96.0/20"],
      database: ["10.40.128.0/20", "10.40.144.0/20", "10.40.160.0/20"],
    });
  });

  it("keeps existing subnets when a zone is added", () => {
    const three = subnetPlan("10.40.0.0/16", 3);
    const four = subnetPlan("10.40.0.0/16", 4);
    for (const tier of ["public", "private", "database"] as const) expect(four[tier].slice(0, 3)).toEqual(three[tier]);
  });

  it("never overlaps two subnets", () => {
    const all = Object.values(subnetPlan("10.40.0.0/20", 4)).flat();
    expect(new Set(all).size).toBe(12);
  });

  it("rejects a zone count the plan has no room for", () => {
    expect(() => subnetPlan("10.40.0.0/16", 5)).toThrow("zones must be 1..4");
  });
});
