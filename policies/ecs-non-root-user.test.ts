import { ecsNonRootUser, isRootUser } from "./ecs-non-root-user";
import { ecsContainer, ecsTaskDefinition, runResourcePolicy, TASK_DEFINITION, UNKNOWN } from "./testing";

const TYPE = TASK_DEFINITION;
const container = ecsContainer;
const task = ecsTaskDefinition;
const run = (props: Record<string, unknown>, type = TYPE) => runResourcePolicy(ecsNonRootUser, { type, props });

describe("ecs-non-root-user", () => {
  it("passes an explicit unprivileged uid:gid and a named user", async () => {
    expect(await run(task(container(), container({ name: "agent", user: "nextjs" })))).toMatchObject({
      violations: [],
      undecidable: false,
      notApplicable: false,
    });
  });

  it("blocks a container without user (the image's user, usually root)", async () => {
    const r = await run(task(container({ user: undefined })));
    expect(r.violations).toEqual(['Container "frontend": user is not set: the container runs as the image\'s user, usually root.']);
    expect(r.findings[0].level).toBe("mandatory");
  });

  it.each(["root", "0", "0:0", "root:root", "0:1001", "ROOT"])("blocks user %s", async (user) => {
    expect((await run(task(container({ user })))).violations).toEqual([`Container "frontend": user "${user}" is root.`]);
  });

  it("is not applicable to other types", async () => {
    expect(await run(task(container({ user: "root" })), "aws:ecs/service:Service")).toMatchObject({ violations: [], notApplicable: true });
  });

  it("decides at preview on literal definitions", async () => {
    const r = await runResourcePolicy(ecsNonRootUser, { type: TYPE, props: { ...task(container({ user: "0" })), taskRoleArn: UNKNOWN } }, { preview: true });
    expect(r).toMatchObject({ undecidable: false, violations: ['Container "frontend": user "0" is root.'] });
  });

  it("at preview, blocks a declared root user (posture tag) and still decides the JSON at pulumi up", async () => {
    const props = { family: "f", containerDefinitions: UNKNOWN, tags: { "catalyst:container-user": "0:0", Name: UNKNOWN } };
    const r = await runResourcePolicy(ecsNonRootUser, { type: TYPE, props }, { preview: true });
    expect(r).toMatchObject({ violations: ['Declared posture: catalyst:container-user "0:0" is root.'], undecidable: true });
  });

  it("says explicitly that computed definitions are decided at pulumi up", async () => {
    const r = await runResourcePolicy(ecsNonRootUser, { type: TYPE, props: { family: "f", containerDefinitions: UNKNOWN } }, { preview: true });
    expect(r).toMatchObject({ violations: [], undecidable: true });
  });
});

describe("isRootUser", () => {
  it("looks only at the user part", () => {
    expect(isRootUser("1001:0")).toBe(false);
    expect(isRootUser("00")).toBe(true);
    expect(isRootUser("10")).toBe(false);
  });
});
