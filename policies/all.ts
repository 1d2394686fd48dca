// Every policy of the pack, in one list shared by policies/index.ts, the tests and the checklist
// generator. Importing this module does not start the analyzer (only index.ts does).
import { Policy } from "@pulumi/policy";
import { rdsNotPublic } from "./rds-not-public";

export const allPolicies: Policy[] = [
    rdsNotPublic,
];
