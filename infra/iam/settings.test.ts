import { checkIamSettings, pathIamProps, roleIamProps } from "./settings";

const BOUNDARY = "arn:aws:iam::123456789012:policy/catalyst-workload-boundary";

describe("IAM settings", () => {
  it("gives roles the path and the boundary, policies and instance profiles the path", () => {
    expect(roleIamProps({ path: "/catalyst/", permissionsBoundary: BOUNDARY })).toEqual({ path: "/catalyst/", permissionsBoundary: BOUNDARY });
    expect(pathIamProps({ path: "/catalyst/", permissionsBoundary: BOUNDARY })).toEqual({ path: "/catalyst/" });
  });

  it("leaves the boundary out only when it is explicitly false", () => {
    expect(roleIamProps({ path: "/catalyst/", permissionsBoundary: false })).toEqual({ path: "/catalyst/" });
  });

  it.each(["catalyst", "/catalyst", "catalyst/", "/cat alyst/", "//", `/${"a".repeat(512)}/`])("refuses the path %j", (path) => {
    expect(() => checkIamSettings({ path, permissionsBoundary: BOUNDARY })).toThrow(/must look like \/catalyst\//);
    expect(() => roleIamProps({ path, permissionsBoundary: BOUNDARY })).toThrow(/must look like/);
  });

  it("accepts the root and nested paths", () => {
    for (const path of ["/", "/catalyst/", "/apps/catalyst-prod/"]) expect(checkIamSettings({ path, permissionsBoundary: false }).path).toBe(path);
  });
});
