import { ecsReadOnlyRoot } from "./ecs-read-only-root";
import { ecsContainer, ecsTaskDefinition, runResourcePolicy, TASK_DEFINITION, UNKNOWN } from "./testing";

const TYPE = TASK_DEFINITION;
const container = ecsContainer;
const task = ecsTaskDefinition;
const run = (props: Record<string, unknown>, type = TYPE) => runResourcePolicy(ecsReadOnlyRoot, { type, props });

describe("ecs-read-only-root", () => {
  it("passes containers with a read-only root filesystem", async () => {
    expect(await run(task(container(), container({ name: "agent" })))).toMatchObject({ violations: [], undecidable: false, notApplicable: false });
  });

  it("blocks a container without readonlyRootFilesystem, naming it", async () => {
    const r = await run(task(container(), container({ name: "agent", readonlyRootFilesystem: undefined })));
    expect(r.violations).toEqual(['Container "agent": readonlyRootFilesystem is not true: an exploit can rewrite the app\'s code and binaries.']);
    expect(r.findings[0].level).toBe("mandatory");
  });

  it("blocks readonlyRootFilesystem false", async () => {
    expect((await run(task(container({ readonlyRootFilesystem: false })))).violations).toHaveLength(1);
  });

  it("blocks container definitions it cannot read", async () => {
    expect((await run({ family: "x", containerDefinitions: "{not json" })).violations).toEqual([
      "containerDefinitions is not a JSON array of container objects: its containers cannot be checked.",
    ]);
  });

  it("is not applicable to other types", async () => {
    expect(await run(task(container({ readonlyRootFilesystem: false })), "aws:ecs/service:Service")).toMatchObject({ violations: [], notApplicable: true });
  });

  it("decides at preview when the definitions are a literal JSON string and the roles are unknown", async () => {
    const props = { ...task(container({ readonlyRootFilesystem: false })), executionRoleArn: UNKNOWN, taskRoleArn: UNKNOWN };
    expect(await runResourcePolicy(ecsReadOnlyRoot, { type: TYPE, props }, { preview: true })).toMatchObject({
      undecidable: false,
      violations: [expect.any(String)],
    });
  });

  it("at preview, blocks a declared writable root (posture tag) and still decides the JSON at pulumi up", async () => {
    const props = { family: "f", containerDefinitions: UNKNOWN, tags: { "catalyst:readonly-root-filesystem": "false" } };
    const r = await runResourcePolicy(ecsReadOnlyRoot, { type: TYPE, props }, { preview: true });
    expect(r.violations).toEqual(['Declared posture: catalyst:readonly-root-filesystem is "false".']);
    expect(r.undecidable).toBe(true);
  });

  it("does not take a declared compliant posture on trust at preview", async () => {
    const props = { family: "f", containerDefinitions: UNKNOWN, tags: { "catalyst:readonly-root-filesystem": "true" } };
    expect(await runResourcePolicy(ecsReadOnlyRoot, { type: TYPE, props }, { preview: true })).toMatchObject({ violations: [], undecidable: true });
  });

  it("says explicitly that definitions embedding computed values are decided at pulumi up", async () => {
    const r = await runResourcePolicy(ecsReadOnlyRoot, { type: TYPE, props: { family: "f", containerDefinitions: UNKNOWN } }, { preview: true });
    expect(r).toMatchObject({ violations: [], undecidable: true });
    expect(r.findings[0].message).toMatch(/containerDefinitions is unknown during preview; decided at `pulumi up`/);
  });
});
