import { ReportViolation } from "@pulumi/policy";
import { catalystResourcePolicy, decideAtUp, isSecretName, keysOf, peek, secretExposure, UNKNOWN } from "./lib";
import { checkContainers, Container, TASK_DEFINITION } from "./lib/container-definitions";

/** Tags are plaintext in every AWS API and console: nothing secret may be put there. */
function checkTags(tags: unknown, reportViolation: ReportViolation): string[] {
  if (tags === UNKNOWN) return ["tags"];
  const unknown: string[] = [];
  if (Array.isArray(tags)) {
    // Some providers (e.g. Cloudflare) take tags as "name:value" strings.
    for (let i = 0; i < tags.length; i++) {
      const v = peek(tags, i);
      if (v === UNKNOWN) unknown.push(`tags[${i}]`);
      else if (typeof v === "string") {
        const [name, ...rest] = v.split(/[:=]/);
        const why = secretExposure(name, rest.join(":")) ?? secretExposure(`tags[${i}]`, v);
        if (why) reportViolation(`tag ${why}.`);
      }
    }
    return unknown;
  }
  for (const key of keysOf(tags)) {
    const v = peek(tags, key);
    if (v === UNKNOWN) unknown.push(`tags.${key}`);
    else {
      const why = secretExposure(key, v);
      if (why) reportViolation(`tag ${why}.`);
    }
  }
  return unknown;
}

// The program declares its plaintext environment variable NAMES in this tag (infra/compute), known
// at preview even when the container JSON is not.
const ENVIRONMENT_NAMES_TAG = "catalyst:environment-names";

function environmentProblems(container: Container): string[] {
  const env = Array.isArray(container.environment) ? (container.environment as { name?: unknown; value?: unknown }[]) : [];
  return env.flatMap((e) => {
    const why = secretExposure(String(e.name), e.value);
    return why ? [`environment ${why}; use \`secrets\` with valueFrom a Secrets Manager ARN.`] : [];
  });
}

function declaredEnvironmentProblems(tags: ReadonlyMap<string, string>): string[] {
  const names = (tags.get(ENVIRONMENT_NAMES_TAG) ?? "").split(/\s+/).filter((n) => n && n !== "none");
  return names.filter(isSecretName).map((n) => `${ENVIRONMENT_NAMES_TAG} lists ${n}, a secret-looking name, as plaintext environment.`);
}

export const noPlaintextSecrets = catalystResourcePolicy({
  name: "no-plaintext-secrets",
  description:
    "Secret-looking values (DATABASE_URL, *_SECRET, *_PASSWORD, *_TOKEN, URLs with credentials) must not appear in plaintext container environment or in tags.",
  severity: "critical",
  remediationSteps:
    "Store the value in AWS Secrets Manager and reference it from the container's `secrets` (valueFrom the secret ARN and JSON key); never put it in `environment` or in tags.",
  checklist: [
    "All environment variables set securely (not in code)",
    "Environment Variables › Critical Security Rules: never commit secrets; keep them in a secrets manager",
  ],
  validateResource: (args, reportViolation) => {
    // Every resource's tags, checked before anything else so an unknown task definition still gets them.
    const unknownTags = checkTags(peek(args.props, "tags"), reportViolation);
    if (args.type === TASK_DEFINITION) {
      checkContainers(args.props, reportViolation, environmentProblems, declaredEnvironmentProblems);
    }
    if (unknownTags.length > 0) decideAtUp(unknownTags.join(", "), "tag values must be literals in the program");
  },
});
