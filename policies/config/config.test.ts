// Every per-stack policy pack config shipped here must be valid for the pack, as the CLI checks it.
import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import { PolicyDescriptor, resolvePolicyConfig } from "../../scripts/lib/analyzer/config";
import { allPolicies } from "../all";

const descriptors: PolicyDescriptor[] = allPolicies.map((p) => ({
  name: p.name,
  level: p.enforcementLevel ?? "advisory",
  schema: p.configSchema as PolicyDescriptor["schema"],
}));
const files = readdirSync(__dirname).filter((f) => f.endsWith(".json"));

describe.each(files)("policies/config/%s", (file) => {
  it("names only policies of the pack, with valid levels and properties", () => {
    const config = JSON.parse(readFileSync(path.join(__dirname, file), "utf8")) as Record<string, unknown>;
    expect(() => resolvePolicyConfig(descriptors, {}, config)).not.toThrow();
  });
});

it("non-prod relaxes only deletion safeguards; every data, network and edge control stays mandatory", () => {
  const resolved = resolvePolicyConfig(descriptors, {}, JSON.parse(readFileSync(path.join(__dirname, "non-prod.json"), "utf8")));
  const relaxed = [...resolved]
    .filter(([, c]) => c.level !== "mandatory")
    .map(([n]) => n)
    .sort();
  const advisoryByDesign = allPolicies.filter((p) => p.enforcementLevel === "advisory").map((p) => p.name);
  expect(relaxed).toEqual([...advisoryByDesign, "rds-deletion-protection", "stateful-resources-protected"].sort());
});
