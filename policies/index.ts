// The pack entry point: `pulumi preview --policy-pack ./policies` runs this file. Constructing the
// PolicyPack starts the analyzer gRPC server, so nothing else may construct one (a second pack in
// a process exits it) and tests import ./all instead.
import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./all";
import { PACK_NAME } from "./lib/policy";

new PolicyPack(PACK_NAME, {
  description: "Blocks deploys that break the Catalyst production security requirements.",
  enforcementLevel: "mandatory",
  policies: allPolicies,
});
