import { ConfigProblems } from "../validation";
import { parseBootstrapConfig } from "./config";

const valid: Record<string, string> = {
  accountId: "123456789012",
  githubOwner: "acme",
  githubRepo: "catalyst-infra",
  stateBucketName: "acme-catalyst-pulumi-state",
};

/** `region: null` leaves aws:region unset. */
function parse(overrides: Record<string, string | undefined> = {}, region: string | null = "eu-west-1") {
  const values: Record<string, string | undefined> = { ...valid, ...overrides };
  return parseBootstrapConfig(
    (k) => values[k],
    (k) => (k === "region" ? (region ?? undefined) : undefined),
  );
}

function problems(overrides: Record<string, string | undefined>, region: string | null = "eu-west-1"): string[] {
  try {
    parse(overrides, region);
  } catch (e) {
    if (e instanceof ConfigProblems) return e.problems.map((p) => `${p.key}: ${p.problem}`);
    throw e;
  }
  throw new Error("expected configuration problems");
}

describe("bootstrap config", () => {
  it("fills secure defaults around the required keys", () => {
    expect(parse()).toEqual({
      accountId: "123456789012",
      region: "eu-west-1",
      additionalRegions: [],
      repository: { owner: "acme", name: "catalyst-infra" },
      deploy: { environment: "production", branch: "main", workflowPath: ".github/workflows/deploy.yml" },
      stateBucketName: "acme-catalyst-pulumi-state",
      namePrefix: "catalyst",
      createOidcProvider: true,
      requireWorkloadBoundary: true,
      noncurrentStateVersionDays: 365,
      protect: true,
    });
  });

  it("reports every problem at once, before anything is declared", () => {
    const found = problems({ accountId: undefined, githubOwner: undefined, githubRepo: undefined, stateBucketName: "Bad_Bucket" }, null);
    expect(found).toEqual([
      "(aws:region): aws:region is required but not set",
      "accountId: is required but not set",
      "githubOwner: is required but not set",
      "githubRepo: is required but not set",
      expect.stringMatching(/^stateBucketName: "Bad_Bucket" must be an S3 bucket name/),
    ]);
  });

  it.each([
    ["githubOwner", "*"],
    ["githubOwner", "acme*"],
    ["githubRepo", "*"],
    ["githubRepo", "catalyst-?"],
    ["deployEnvironment", "prod*"],
    ["deployBranch", "release/*"],
    ["previewAlsoFromBranch", "*"],
  ])("refuses a wildcard in %s (%s): trust conditions must be exact", (key, value) => {
    expect(problems({ [key]: value })).toEqual([expect.stringMatching(new RegExp(`^${key}: .*(no \\* \\? \\[ \\] patterns)`))]);
  });

  it("keeps the numeric repository id, an extra preview branch and a workload path when set", () => {
    const cfg = parse({ githubRepositoryId: "987654321", previewAlsoFromBranch: "main", workloadPath: "/" });
    expect(cfg.workloadPath).toBe("/");
    expect(cfg.repository).toEqual({ owner: "acme", name: "catalyst-infra", id: "987654321" });
    expect(cfg.previewAlsoFromBranch).toBe("main");
  });

  it.each([
    ["accountId", "12345", /12-digit/],
    ["githubRepositoryId", "abc", /numeric repository id/],
    ["deployWorkflow", "deploy.yml", /workflow file path/],
    ["deployBranch", "refs/heads/main/", /branch name/],
    ["stateBucketName", "state.bucket.example", /S3 bucket name/],
    ["noncurrentStateVersionDays", "7", /below the minimum 30/],
    ["protect", "yes", /not true or false/],
    ["additionalRegions", '["mars-1"]', /item 0 "mars-1" must be an AWS region/],
    ["workloadPath", "catalyst", /must be an IAM path/],
  ])("rejects %s=%s", (key, value, message) => {
    expect(problems({ [key]: value })).toEqual([expect.stringMatching(message)]);
  });

  it("rejects a malformed region", () => {
    expect(problems({}, "EU")).toEqual([expect.stringMatching(/aws:region "EU" must be an AWS region/)]);
  });
});
