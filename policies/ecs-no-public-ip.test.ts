import { ecsNoPublicIp } from "./ecs-no-public-ip";
import { runResourcePolicy, UNKNOWN } from "./testing";

const TYPE = "aws:ecs/service:Service";
const service = (network: Record<string, unknown> = {}): Record<string, unknown> => ({
  cluster: "arn:cluster",
  launchType: "FARGATE",
  networkConfiguration: { subnets: ["subnet-a"], securityGroups: ["sg-app"], assignPublicIp: false, ...network },
});
const run = (props: Record<string, unknown>, type = TYPE) => runResourcePolicy(ecsNoPublicIp, { type, props });

describe("ecs-no-public-ip", () => {
  it("passes assignPublicIp false or unset (the default)", async () => {
    expect(await run(service())).toMatchObject({ violations: [], undecidable: false, notApplicable: false });
    expect((await run(service({ assignPublicIp: undefined }))).violations).toEqual([]);
  });

  it("blocks assignPublicIp true", async () => {
    const r = await run(service({ assignPublicIp: true }));
    expect(r.violations).toEqual(["networkConfiguration.assignPublicIp is true: every task gets an internet-reachable address."]);
    expect(r.findings[0].level).toBe("mandatory");
  });

  it("is not applicable to other types", async () => {
    expect(await run(service({ assignPublicIp: true }), "aws:ecs/taskDefinition:TaskDefinition")).toMatchObject({ violations: [], notApplicable: true });
  });

  it("decides at preview while subnets, groups and cluster are unknown", async () => {
    const props = { ...service({ subnets: [UNKNOWN], securityGroups: UNKNOWN, assignPublicIp: true }), cluster: UNKNOWN };
    expect(await runResourcePolicy(ecsNoPublicIp, { type: TYPE, props }, { preview: true })).toMatchObject({
      undecidable: false,
      violations: [expect.any(String)],
    });
  });

  it("says explicitly that a computed assignPublicIp is decided at pulumi up", async () => {
    const r = await runResourcePolicy(ecsNoPublicIp, { type: TYPE, props: service({ assignPublicIp: UNKNOWN }) }, { preview: true });
    expect(r).toMatchObject({ violations: [], undecidable: true });
    expect(r.findings[0].message).toMatch(/networkConfiguration\.assignPublicIp is unknown during preview; decided at `pulumi up`/);
  });
});
