import { ecsNotPrivileged } from "./ecs-not-privileged";
import { ecsContainer, ecsTaskDefinition, runResourcePolicy, TASK_DEFINITION, UNKNOWN } from "./testing";

const TYPE = TASK_DEFINITION;
const container = ecsContainer;
const task = ecsTaskDefinition;
const run = (props: Record<string, unknown>, type = TYPE) => runResourcePolicy(ecsNotPrivileged, { type, props });

describe("ecs-not-privileged", () => {
  it("passes unprivileged containers that drop capabilities", async () => {
    expect(await run(task(container(), container({ name: "agent", privileged: false })))).toMatchObject({
      violations: [],
      undecidable: false,
      notApplicable: false,
    });
  });

  it("blocks a privileged container", async () => {
    const r = await run(task(container({ privileged: true })));
    expect(r.violations).toEqual(['Container "frontend": privileged is true: the container gets every capability of the host.']);
    expect(r.findings[0].level).toBe("mandatory");
  });

  it("blocks added capabilities", async () => {
    expect((await run(task(container({ linuxParameters: { capabilities: { add: ["SYS_ADMIN", "NET_RAW"] } } })))).violations).toEqual([
      'Container "frontend": linuxParameters.capabilities.add grants SYS_ADMIN, NET_RAW.',
    ]);
  });

  it("is not applicable to other types", async () => {
    expect(await run(task(container({ privileged: true })), "aws:ecs/cluster:Cluster")).toMatchObject({ violations: [], notApplicable: true });
  });

  it("decides at preview on literal definitions", async () => {
    const r = await runResourcePolicy(
      ecsNotPrivileged,
      { type: TYPE, props: { ...task(container({ privileged: true })), executionRoleArn: UNKNOWN } },
      { preview: true },
    );
    expect(r).toMatchObject({ undecidable: false, violations: [expect.stringContaining("privileged is true")] });
  });

  it("at preview, blocks a declared privileged container (posture tag)", async () => {
    const props = { family: "f", containerDefinitions: UNKNOWN, tags: { "catalyst:privileged": "true" } };
    const r = await runResourcePolicy(ecsNotPrivileged, { type: TYPE, props }, { preview: true });
    expect(r).toMatchObject({ violations: ['Declared posture: catalyst:privileged is "true".'], undecidable: true });
  });

  it("says explicitly that computed definitions are decided at pulumi up", async () => {
    const r = await runResourcePolicy(ecsNotPrivileged, { type: TYPE, props: { family: "f", containerDefinitions: UNKNOWN } }, { preview: true });
    expect(r).toMatchObject({ violations: [], undecidable: true });
  });
});
