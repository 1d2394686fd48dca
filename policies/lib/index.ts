// The shared API for writing Catalyst policies:
//  - catalystResourcePolicy / catalystStackPolicy: define a policy (mandatory by default) with the
//    requirement(s) it enforces; forTypes(token(s), check) scopes a resource validation.
//  - preview.ts: peek / isKnown / requireKnown / decideAtUp / PreviewGaps — read values without the
//    analyzer silently downgrading a mandatory policy at preview, and say explicitly when a value is
//    undecidable until `pulumi up`.
//  - resources.ts: ofType / referencedBy / resolveReference for stack policies.
//  - policies/testing.ts (not exported here): runResourcePolicy / runStackPolicy, UNKNOWN, secret().
export * from "./policy";
export * from "./preview";
export * from "./requirements";
export * from "./resources";
export * from "./secrets";
export * from "./mysql";
