import { ResourceValidationPolicy } from "@pulumi/policy";
import { readFileSync } from "fs";
import * as path from "path";
import { runResourcePolicy, runStackPolicy, secret, UNKNOWN } from "../testing";
import {
  catalystResourcePolicy,
  catalystStackPolicy,
  decideAtUp,
  forTypes,
  isKnown,
  isUnknown,
  parseRequirements,
  peek,
  policyMeta,
  requirementProblem,
  stringEntries,
  UNKNOWN as UNKNOWN_MARK,
  UNKNOWN_SENTINEL,
} from ".";

type TypedProps = Parameters<Parameters<typeof forTypes>[1]>[0];

const base = {
  description: "d",
  severity: "high" as const,
  remediationSteps: "fix it",
  checklist: ["Database connection uses TLS/SSL"],
};

function probe(check: (props: TypedProps) => void): ResourceValidationPolicy {
  return catalystResourcePolicy({ ...base, name: "probe", validateResource: forTypes("t:m:R", (props) => check(props)) });
}

describe("catalystResourcePolicy / catalystStackPolicy", () => {
  it("defaults to mandatory and keeps the checklist beside the policy", () => {
    const p = probe(() => undefined);
    expect(p.enforcementLevel).toBe("mandatory");
    expect(policyMeta(p)).toEqual({ checklist: ["Database connection uses TLS/SSL"] });
    expect(Object.keys(p)).not.toContain("checklist");
  });

  it("keeps an explicit advisory level", () => {
    const p = catalystStackPolicy({ ...base, name: "s", enforcementLevel: "advisory", validateStack: () => undefined });
    expect(p.enforcementLevel).toBe("advisory");
  });

  it("rejects a non-kebab name, empty remediation and an empty checklist, all at once", () => {
    expect(() => catalystResourcePolicy({ ...base, name: "Bad_Name", remediationSteps: " ", checklist: [], validateResource: () => undefined })).toThrow(
      /not kebab-case; remediationSteps is empty; checklist names no requirement/,
    );
  });
});

describe("preview helpers through the analyzer's unknown-checking proxy", () => {
  it("peek returns UNKNOWN for an unknown value instead of throwing, and the value otherwise", async () => {
    const seen: unknown[] = [];
    const p = probe((props) => seen.push(peek(props, "a"), peek(props, "b"), isKnown(props, "a"), peek(props.nested, "x"), peek(undefined, "x")));
    const r = await runResourcePolicy(p, { type: "t:m:R", props: { a: UNKNOWN, b: 3, nested: { x: "y" } } }, { preview: true });
    expect(seen).toEqual([UNKNOWN_MARK, 3, false, "y", undefined]);
    expect(r).toMatchObject({ violations: [], undecidable: false });
  });

  it("a plain read of an unknown value makes the analyzer downgrade the policy to advisory", async () => {
    const p = probe((props) => {
      if (props.a === "x") throw new Error("unreachable");
    });
    const r = await runResourcePolicy(p, { type: "t:m:R", props: { a: UNKNOWN } }, { preview: true });
    expect(r.undecidable).toBe(true);
    expect(r.findings).toEqual([
      expect.objectContaining({
        level: "advisory",
        message: expect.stringMatching(/^can't run policy 'probe' .* during preview: string value at \.a can't be known/),
      }),
    ]);
  });

  it("decideAtUp reports explicitly what is unknown and why", async () => {
    const p = probe(() => decideAtUp("containerDefinitions", "it embeds secret ARNs"));
    const r = await runResourcePolicy(p, { type: "t:m:R", props: {} }, { preview: true });
    expect(r.findings[0].message).toMatch(/during preview: containerDefinitions is unknown during preview; decided at `pulumi up`: it embeds secret ARNs$/);
    expect(r.findings[0].level).toBe("advisory");
  });

  it("nested reads stay guarded after peek", async () => {
    const p = probe((props) => {
      const nested = peek(props, "nested") as Record<string, unknown>;
      if (nested.x === 1) throw new Error("unreachable");
    });
    const r = await runResourcePolicy(p, { type: "t:m:R", props: { nested: { x: UNKNOWN } } }, { preview: true });
    expect(r.undecidable).toBe(true);
  });

  it("secrets reach policies as their plaintext; stringEntries separates unknown entries", async () => {
    const seen: unknown[] = [];
    const p = probe((props) => seen.push(props.password, stringEntries(props.tags)));
    await runResourcePolicy(p, { type: "t:m:R", props: { password: secret("pw"), tags: { a: "1", b: UNKNOWN } } }, { preview: true });
    expect(seen).toEqual(["pw", { known: [["a", "1"]], unknown: ["b"] }]);
  });

  it("isUnknown recognises the engine sentinel", () => {
    expect(isUnknown(UNKNOWN_SENTINEL)).toBe(true);
    expect(isUnknown(UNKNOWN)).toBe(true);
    expect(isUnknown("x")).toBe(false);
  });

  it("runStackPolicy reports violations with the URN the policy named", async () => {
    const p = catalystStackPolicy({
      ...base,
      name: "stack-probe",
      validateStack: (args, report) => {
        for (const r of args.resources) if (r.props.bad === true) report("bad resource", r.urn);
      },
    });
    const r = await runStackPolicy(p, [
      { type: "t:m:R", name: "ok", props: { bad: false } },
      { type: "t:m:R", name: "nok", props: { bad: true } },
    ]);
    expect(r.violations).toEqual(["bad resource"]);
    expect(r.findings[0].urn).toBe("urn:pulumi:test::catalyst::t:m:R::nok");
  });

  it("passes policy config and a configured enforcement level", async () => {
    const p = catalystResourcePolicy({
      ...base,
      name: "config-probe",
      validateResource: (args, report) => report(`user=${args.getConfig<{ user?: string }>().user}`),
    });
    const r = await runResourcePolicy(p, { type: "t:m:R", props: {} }, { config: { enforcementLevel: "advisory", user: "app" } });
    expect(r.findings).toEqual([expect.objectContaining({ level: "advisory", message: "user=app" })]);
  });
});

describe("requirements", () => {
  const requirements = parseRequirements(readFileSync(path.join(__dirname, "../../docs/security-requirements.md"), "utf8"));

  it("reads the Deployment Checklist items with their group", () => {
    expect(requirements.checklist).toContainEqual({ group: "Database", text: "Database connection uses TLS/SSL" });
    expect(requirements.checklist).toContainEqual({ group: "Pre-deployment", text: "`DATABASE_URL` uses limited-privilege user (not root)" });
    // The maintenance checklists further down are not deployment checklist items.
    expect(requirements.checklist.map((c) => c.text)).not.toContain("Review error logs for anomalies");
    expect(requirements.checklist).toHaveLength(42);
  });

  it("accepts exact checklist text and '<heading> › <requirement>', rejects anything else", () => {
    expect(requirementProblem("Database connection uses TLS/SSL", requirements)).toBeUndefined();
    expect(requirementProblem("MySQL Configuration › Network isolation", requirements)).toBeUndefined();
    expect(requirementProblem("database connection uses TLS", requirements)).toMatch(/not the exact text/);
    expect(requirementProblem("No Such Heading › x", requirements)).toMatch(/not a heading/);
    expect(requirementProblem("MySQL Configuration › ", requirements)).toMatch(/no requirement/);
  });
});
