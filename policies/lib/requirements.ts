// Reads the security requirements (docs/security-requirements.md, a verbatim copy of the seed) so the
// checklist items named by policies can be validated and traced.
export interface ChecklistItem {
  /** The `###` group inside "Deployment Checklist", e.g. "Database". */
  group: string;
  /** Exact text after `- [ ] `. */
  text: string;
}

export interface Requirements {
  checklist: ChecklistItem[];
  /** Every `##`..`####` heading text of the document. */
  headings: string[];
}

export const CHECKLIST_SECTION = "Deployment Checklist";
/** Separator in `"<Section heading> › <short requirement>"` for requirements outside the checklist. */
export const SECTION_SEPARATOR = " › ";

const HEADING = /^(#{2,4})\s+(.+?)\s*$/;
const CHECKBOX = /^- \[ \] (.+?)\s*$/;

export function parseRequirements(markdown: string): Requirements {
  const checklist: ChecklistItem[] = [];
  const headings: string[] = [];
  let inChecklist = false;
  let group = "";
  let inCode = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (line.trimStart().startsWith("```")) inCode = !inCode;
    if (inCode) continue;
    const heading = HEADING.exec(line);
    if (heading) {
      headings.push(heading[2]);
      if (heading[1] === "##") inChecklist = heading[2] === CHECKLIST_SECTION;
      else if (inChecklist) group = heading[2];
      continue;
    }
    const box = CHECKBOX.exec(line);
    if (box && inChecklist) checklist.push({ group, text: box[1] });
  }
  return { checklist, headings };
}

/** Why `item` names nothing in the requirements, or undefined when it does. */
export function requirementProblem(item: string, requirements: Requirements): string | undefined {
  if (requirements.checklist.some((c) => c.text === item)) return undefined;
  const at = item.indexOf(SECTION_SEPARATOR);
  if (at < 0) return `"${item}" is not the exact text of a Deployment Checklist item`;
  const heading = item.slice(0, at);
  const requirement = item.slice(at + SECTION_SEPARATOR.length).trim();
  if (!requirements.headings.includes(heading)) return `"${heading}" is not a heading of the requirements`;
  if (!requirement) return `"${item}" names a section but no requirement`;
  return undefined;
}
