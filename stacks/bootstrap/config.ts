/**
 * The bootstrap project's ONE configuration boundary (project `catalyst-bootstrap`): every key is read
 * and validated here, all problems reported together, before any resource is declared.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigProblems, ConfigReader, RawConfig } from "../validation";
import * as v from "../validators";

export const NAMESPACE = "catalyst-bootstrap";

export interface BootstrapConfig {
  accountId: string;
  region: string;
  additionalRegions: string[];
  repository: { owner: string; name: string; id?: string };
  deploy: { environment: string; branch: string; workflowPath: string };
  previewAlsoFromBranch?: string;
  stateBucketName: string;
  namePrefix: string;
  /** IAM path of the main stack's roles; "/" (every role in the account) only when set explicitly. */
  workloadPath?: string;
  createOidcProvider: boolean;
  requireWorkloadBoundary: boolean;
  noncurrentStateVersionDays: number;
  protect: boolean;
}

/** No pattern characters anywhere a value lands in a trust condition: the trust must be exact. */
function noWildcard(what: string) {
  return (value: string) => (/[*?[\]]/.test(value) ? `must name one ${what} exactly (no * ? [ ] patterns)` : undefined);
}

/** Git branch names as GitHub accepts them, minus pattern characters. */
function branchName(value: string): string | undefined {
  return (
    noWildcard("branch")(value) ??
    (/^(?!\/|.*\/\/|.*\.\.|.*\/$|.*\.lock$)[A-Za-z0-9._/-]{1,200}$/.test(value) ? undefined : "must be a branch name such as main (no refs/heads/ prefix)")
  );
}

/** S3 bucket naming rules (general purpose buckets); dots are refused because they break TLS to virtual-hosted URLs. */
function bucketName(value: string): string | undefined {
  return /^(?!xn--|sthree-)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(value) && !/-s3alias$|--ol-s3$/.test(value)
    ? undefined
    : "must be an S3 bucket name: 3-63 lower-case letters, digits and hyphens, starting and ending with a letter or digit";
}

const optional = <K extends string>(key: K, value: string | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, string>));

export function parseBootstrapConfig(raw: RawConfig, rawAws: RawConfig): BootstrapConfig {
  const r = new ConfigReader(NAMESPACE, raw);
  const region = r.awsRegion(rawAws, v.awsRegion);
  const accountId = r.string("accountId", {
    example: "123456789012",
    pattern: /^\d{12}$/,
    rule: "must be the 12-digit AWS account id the bootstrap may touch",
  });
  const repository = {
    owner: r.string("githubOwner", {
      example: "acme",
      check: (x) => noWildcard("owner")(x) ?? (/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(x) ? undefined : "must be a GitHub user or organization login"),
    }),
    name: r.string("githubRepo", {
      example: "catalyst-infra",
      check: (x) =>
        noWildcard("repository")(x) ??
        (/^[A-Za-z0-9._-]{1,100}$/.test(x) && x !== "." && x !== ".." ? undefined : "must be a GitHub repository name (without the owner)"),
    }),
  };
  const repositoryId = r.optionalString("githubRepositoryId", {
    example: "123456789",
    pattern: /^\d{1,20}$/,
    rule: "must be the numeric repository id (gh api repos/OWNER/REPO --jq .id)",
  });
  const deploy = {
    environment: r.string("deployEnvironment", {
      default: "production",
      example: "production",
      check: (x) => noWildcard("environment")(x) ?? (/^[A-Za-z0-9._ -]{1,255}$/.test(x) ? undefined : "must be a GitHub environment name"),
    }),
    branch: r.string("deployBranch", { default: "main", example: "main", check: branchName }),
    workflowPath: r.string("deployWorkflow", {
      default: ".github/workflows/deploy.yml",
      example: ".github/workflows/deploy.yml",
      pattern: /^\.github\/workflows\/[A-Za-z0-9._-]+\.ya?ml$/,
      rule: "must be a workflow file path such as .github/workflows/deploy.yml",
    }),
  };
  const previewAlsoFromBranch = r.optionalString("previewAlsoFromBranch", { example: "main", check: branchName });
  const config: BootstrapConfig = {
    accountId,
    region,
    additionalRegions: r.stringList("additionalRegions", { default: [], example: '["eu-central-1"]', item: v.awsRegion }),
    repository: { ...repository, ...(repositoryId === undefined ? {} : { id: repositoryId }) },
    deploy,
    ...optional("previewAlsoFromBranch", previewAlsoFromBranch),
    stateBucketName: r.string("stateBucketName", { example: "acme-catalyst-pulumi-state", check: bucketName }),
    namePrefix: r.string("namePrefix", {
      default: "catalyst",
      example: "catalyst",
      pattern: /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/,
      rule: "must be 3-32 lower-case letters, digits and hyphens",
    }),
    ...optional(
      "workloadPath",
      r.optionalString("workloadPath", { example: "/catalyst/", pattern: /^\/([\w+=,.@-]+\/)*$/, rule: "must be an IAM path such as /catalyst/" }),
    ),
    createOidcProvider: r.boolean("createOidcProvider", { default: true, example: "false" }),
    requireWorkloadBoundary: r.boolean("requireWorkloadBoundary", { default: true, example: "true" }),
    noncurrentStateVersionDays: r.integer("noncurrentStateVersionDays", { default: 365, min: 30, max: 3650, example: "365" }),
    protect: r.boolean("protect", { default: true, example: "true" }),
  };
  r.finish();
  return config;
}

/** Reads the bootstrap stack's configuration through Pulumi (the only place in this project that does). */
export function loadBootstrapConfig(): BootstrapConfig {
  const full = (ns: string) => (key: string) => pulumi.runtime.getConfig(`${ns}:${key}`);
  try {
    return parseBootstrapConfig(full(NAMESPACE), full("aws"));
  } catch (e) {
    // A RunError is printed without a stack trace: the list of problems is the whole message.
    if (e instanceof ConfigProblems) throw new pulumi.RunError(e.message);
    throw e;
  }
}
