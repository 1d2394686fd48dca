// Builds docs/checklist.md (every security requirement → policies, components, tests, live checks,
// docs, or "manual" with the reason) and docs/architecture.md (a Mermaid diagram of the synth).
import { existsSync, readdirSync, readFileSync } from "fs";
import * as path from "path";
import { Policy } from "@pulumi/policy";
import { ChecklistItem, parseRequirements, policyMeta, requirementProblem, Requirements, SECTION_SEPARATOR } from "../../policies/lib";
import { StateResource } from "../lib/analyzer/model";
import { Evidence } from "./traceability";

export const ROOT = path.resolve(__dirname, "../..");
export const REQUIREMENTS_FILE = "docs/security-requirements.md";
export const CHECKLIST_FILE = "docs/checklist.md";
export const ARCHITECTURE_FILE = "docs/architecture.md";

/** Where `<tool>:<check>` verifier ids are looked up. */
const VERIFIERS: Record<string, string> = { "verify-edge": "scripts/verify/edge", "verify-db": "scripts/verify/db" };

export interface Row {
    group: string;
    item: string;
    policies: { name: string; level: string }[];
    evidence: Evidence;
}

export class TraceabilityError extends Error {
    constructor(readonly problems: string[]) {
        super(`traceability problems:\n  ${problems.join("\n  ")}`);
    }
}

function checkReference(kind: keyof Evidence, ref: string, root: string): string | undefined {
    if (kind === "components") {
        const [file, cls] = ref.split("#");
        if (!existsSync(path.join(root, file))) return `component file ${file} does not exist`;
        if (!cls || !new RegExp(`export class ${cls}\\b`).test(readFileSync(path.join(root, file), "utf8"))) return `${file} has no exported class ${cls}`;
        return undefined;
    }
    if (kind === "tests" || kind === "docs") return existsSync(path.join(root, ref)) ? undefined : `${kind.slice(0, -1)} ${ref} does not exist`;
    if (kind === "verifier") {
        const [tool, id] = ref.split(":");
        const dir = VERIFIERS[tool];
        if (!dir) return `unknown verifier tool ${tool} in ${ref}`;
        const sources = readdirSync(path.join(root, dir)).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
        // A family ("tls.version-*") is built from a template literal in the verifier.
        const needles = id.endsWith("*") ? [`"${id.slice(0, -1)}`, `\`${id.slice(0, -1)}`] : [`"${id}"`];
        const found = sources.some((f) => needles.some((n) => readFileSync(path.join(root, dir, f), "utf8").includes(n)));
        return found ? undefined : `${tool} has no check "${id}"`;
    }
    return undefined;
}

function hasEvidence(row: Row): boolean {
    const e = row.evidence;
    return row.policies.length > 0 || [e.components, e.tests, e.verifier, e.docs].some((l) => (l?.length ?? 0) > 0) || Boolean(e.manual?.trim());
}

/** Every requirement with its evidence; throws TraceabilityError listing every problem. */
export function buildRows(requirements: Requirements, policies: readonly Policy[], traceability: Record<string, Evidence>, root = ROOT): Row[] {
    const problems: string[] = [];
    const byItem = new Map<string, Row>();
    const row = (item: string, group: string): Row => {
        let r = byItem.get(item);
        if (!r) byItem.set(item, (r = { group, item, policies: [], evidence: {} }));
        return r;
    };
    requirements.checklist.forEach((c: ChecklistItem) => row(c.text, c.group));
    const sectionOf = (item: string) => item.slice(0, item.indexOf(SECTION_SEPARATOR));
    for (const p of policies) {
        for (const item of policyMeta(p)?.checklist ?? []) {
            const problem = requirementProblem(item, requirements);
            if (problem) problems.push(`policy ${p.name}: ${problem}`);
            else row(item, byItem.has(item) ? byItem.get(item)!.group : sectionOf(item)).policies.push({ name: p.name, level: p.enforcementLevel ?? "advisory" });
        }
    }
    for (const [item, evidence] of Object.entries(traceability)) {
        const problem = requirementProblem(item, requirements);
        if (problem) {
            problems.push(`traceability: ${problem}`);
            continue;
        }
        row(item, byItem.has(item) ? byItem.get(item)!.group : sectionOf(item)).evidence = evidence;
        for (const kind of ["components", "tests", "verifier", "docs"] as const) {
            for (const ref of evidence[kind] ?? []) {
                const p = checkReference(kind, ref, root);
                if (p) problems.push(`${item}: ${p}`);
            }
        }
    }
    const rows = [...byItem.values()];
    for (const r of rows) if (!hasEvidence(r)) problems.push(`${r.item}: maps to nothing (no policy, component, test, live check, doc or manual reason)`);
    if (problems.length > 0) throw new TraceabilityError(problems);
    return rows;
}

const cell = (parts: string[]): string => (parts.length ? parts.join("<br>") : "—").replace(/\|/g, "\\|");
const code = (s: string): string => `\`${s}\``;

function componentLabel(ref: string): string {
    const [file, cls] = ref.split("#");
    return `[${cls}](../${file})`;
}

function renderRow(r: Row): string {
    const e = r.evidence;
    const policies = r.policies.map((p) => `[${p.name}](../policies/${p.name}.ts)${p.level === "mandatory" ? "" : ` (${p.level})`}`);
    const checks = (e.verifier ?? []).map(code);
    const tests = [...(e.tests ?? []).map((t) => `[${path.basename(t)}](../${t})`), ...(e.docs ?? []).map((d) => `[${path.basename(d)}](../${d})`)];
    const manual = [e.manual ? `**manual**: ${e.manual}` : "", e.note ?? ""].filter(Boolean);
    return `| ${r.item.replace(/\|/g, "\\|")} | ${cell(policies)} | ${cell((e.components ?? []).map(componentLabel))} | ${cell(tests)} | ${cell(checks)} | ${cell(manual)} |`;
}

export function renderChecklist(rows: readonly Row[], requirements: Requirements): string {
    const checklistGroups = [...new Set(requirements.checklist.map((c) => c.group))];
    const sectionGroups = [...new Set(rows.map((r) => r.group))].filter((g) => !checklistGroups.includes(g));
    const manualOnly = rows.filter((r) => r.policies.length === 0 && !r.evidence.components?.length && !r.evidence.verifier?.length && !r.evidence.tests?.length).length;
    const out = [
        "# Security requirements traceability",
        "",
        `Generated by \`npm run checklist\` from [${path.basename(REQUIREMENTS_FILE)}](${path.basename(REQUIREMENTS_FILE)}), the policies' metadata and`,
        "[scripts/checklist/traceability.ts](../scripts/checklist/traceability.ts). Do not edit by hand: the test gate fails when this file is stale",
        "or when a requirement maps to nothing.",
        "",
        `${rows.length} requirements: ${requirements.checklist.length} deployment checklist items and ${rows.length - requirements.checklist.length} requirements from other sections; ${manualOnly} are manual only.`,
        "Policies are mandatory unless marked. Live checks run after a deploy: `npm run verify:edge`, `npm run verify:db` (scripts/verify).",
        "",
    ];
    const table = ["| Requirement | Policies | Components | Tests / docs | Live check | Manual / notes |", "|---|---|---|---|---|---|"];
    out.push("## Deployment Checklist", "");
    for (const g of checklistGroups) out.push(`### ${g}`, "", ...table, ...rows.filter((r) => r.group === g).map(renderRow), "");
    out.push("## Other requirements", "");
    for (const g of sectionGroups) out.push(`### ${g}`, "", ...table, ...rows.filter((r) => r.group === g).map(renderRow), "");
    return out.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Architecture diagram: components of the synth as Mermaid subgraphs, with the dependencies
// between top-level components as edges.

function isComponent(r: StateResource): boolean {
    return r.custom === false && r.type !== "pulumi:pulumi:Stack";
}

const nodeId = (urn: string): string => `n${[...urn].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7).toString(36)}`;
const nameOf = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);
const typeName = (type: string): string => type.split(":").pop() ?? type;

export function renderArchitecture(resources: readonly StateResource[]): string {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const stackUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
    const topOf = (urn: string): string | undefined => {
        let r = byUrn.get(urn);
        while (r?.parent && r.parent !== stackUrn) r = byUrn.get(r.parent);
        return r && isComponent(r) ? r.urn : undefined;
    };
    const top = resources.filter((r) => isComponent(r) && (r.parent === stackUrn || !r.parent));
    const count = new Map<string, number>();
    for (const r of resources) {
        if (!r.custom || r.type.startsWith("pulumi:providers:")) continue;
        let p = r.parent;
        while (p && byUrn.get(p) && !isComponent(byUrn.get(p)!)) p = byUrn.get(p)!.parent;
        if (p) count.set(p, (count.get(p) ?? 0) + 1);
    }
    const label = (r: StateResource): string => `${typeName(r.type)} ${nameOf(r.urn)}${count.get(r.urn) ? ` (${count.get(r.urn)})` : ""}`;
    const lines = ["flowchart LR"];
    const children = (urn: string) => resources.filter((r) => isComponent(r) && r.parent === urn);
    const emit = (r: StateResource, indent: string): void => {
        const kids = children(r.urn);
        if (kids.length === 0) {
            lines.push(`${indent}${nodeId(r.urn)}["${label(r)}"]`);
            return;
        }
        lines.push(`${indent}subgraph ${nodeId(r.urn)}["${label(r)}"]`);
        for (const k of kids) emit(k, `${indent}  `);
        lines.push(`${indent}end`);
    };
    for (const r of top) emit(r, "  ");
    const edges = new Set<string>();
    for (const r of resources) {
        const from = topOf(r.urn);
        if (!from) continue;
        const deps = [...(r.dependencies ?? []), ...Object.values(r.propertyDependencies ?? {}).flat()];
        for (const d of deps) {
            const to = topOf(d);
            if (to && to !== from) edges.add(`  ${nodeId(from)} --> ${nodeId(to)}`);
        }
    }
    lines.push(...[...edges].sort());
    const total = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).length;
    return [
        "# Architecture (prod stack)",
        "",
        "Generated by `npm run checklist` from the offline synth of the prod stack: one box per component",
        `(cloud resources in parentheses, ${total} in total); an arrow means the left component uses resources of the right one.`,
        "",
        "```mermaid",
        ...lines,
        "```",
        "",
    ].join("\n");
}

/** The requirements document, parsed. */
export function loadRequirements(root = ROOT): Requirements {
    return parseRequirements(readFileSync(path.join(root, REQUIREMENTS_FILE), "utf8"));
}
