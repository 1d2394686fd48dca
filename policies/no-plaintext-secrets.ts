import { ReportViolation } from "@pulumi/policy";
import { catalystResourcePolicy, decideAtUp, keysOf, peek, requireKnown, secretExposure, UNKNOWN } from "./lib";

const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";

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

interface ContainerDefinition {
    name?: string;
    environment?: { name?: string; value?: unknown }[];
}

function checkContainers(json: string, reportViolation: ReportViolation): void {
    let containers: ContainerDefinition[];
    try {
        containers = JSON.parse(json) as ContainerDefinition[];
    } catch {
        reportViolation("containerDefinitions is not valid JSON: its environment cannot be checked.");
        return;
    }
    for (const c of Array.isArray(containers) ? containers : []) {
        for (const env of c.environment ?? []) {
            const why = secretExposure(String(env.name), env.value);
            if (why) reportViolation(`container ${c.name}: environment ${why}; use \`secrets\` with valueFrom a Secrets Manager ARN.`);
        }
    }
}

export const noPlaintextSecrets = catalystResourcePolicy({
    name: "no-plaintext-secrets",
    description: "Secret-looking values (DATABASE_URL, *_SECRET, *_PASSWORD, *_TOKEN, URLs with credentials) must not appear in plaintext container environment or in tags.",
    severity: "critical",
    remediationSteps: "Store the value in AWS Secrets Manager and reference it from the container's `secrets` (valueFrom the secret ARN and JSON key); never put it in `environment` or in tags.",
    checklist: [
        "All environment variables set securely (not in code)",
        "Environment Variables › Critical Security Rules: never commit secrets; keep them in a secrets manager",
    ],
    validateResource: (args, reportViolation) => {
        // Every resource's tags, checked before anything else so an unknown task definition still gets them.
        const unknownTags = checkTags(peek(args.props, "tags"), reportViolation);
        if (args.type === TASK_DEFINITION) {
            const json = requireKnown(args.props, "containerDefinitions",
                "the container definitions embed values computed during the deployment (e.g. secret ARNs), so the whole JSON string is unknown until then");
            if (typeof json === "string") checkContainers(json, reportViolation);
        }
        if (unknownTags.length > 0) decideAtUp(unknownTags.join(", "), "tag values must be literals in the program");
    },
});
