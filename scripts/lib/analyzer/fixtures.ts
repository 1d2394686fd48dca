// Hand-sized stack exports for the analyzer and audit tests (shape of `pulumi stack export`).
import { StateResource } from "./model";
import { SECRET_SIG, SIG_KEY, UNKNOWN_VALUE } from "./wire";

export const PREFIX = "urn:pulumi:prod::catalyst::";
export const STACK: StateResource = {
  urn: `${PREFIX}pulumi:pulumi:Stack::catalyst-prod`,
  type: "pulumi:pulumi:Stack",
  custom: false,
  inputs: {},
  outputs: { url: "https://app.example.com" },
};

export function resource(type: string, name: string, inputs: Record<string, unknown>, protect = true): StateResource {
  return { urn: `${PREFIX}${type}::${name}`, type, custom: true, id: `${name}-id`, protect, inputs, outputs: inputs };
}

export const grant = (privileges: unknown[], name = "app-grant"): StateResource =>
  resource("mysql:index/grant:Grant", name, { user: "catalyst_app", host: "%", database: "catalyst", privileges });
export const mysqlUser = (tlsOption: unknown): StateResource => resource("mysql:index/user:User", "app-user", { user: "catalyst_app", host: "%", tlsOption });

export const ENCRYPTED = { [SIG_KEY]: SECRET_SIG, ciphertext: "v1:AAAAAAAA:BBBBBBBBBBBB" };
export { UNKNOWN_VALUE };

export function exported(...resources: StateResource[]): { version: 3; deployment: { manifest: Record<string, unknown>; resources: StateResource[] } } {
  return { version: 3, deployment: { manifest: { time: "2025-01-01T00:00:00Z" }, resources: [STACK, ...resources] } };
}

/** Policy config that leaves only the data policies these fixtures exercise switched on. */
export const ONLY_DATA_POLICIES = {
  all: "disabled",
  "mysql-runtime-grant-dml-only": "mandatory",
  "mysql-user-require-ssl": "mandatory",
  "no-plaintext-secret-outputs": "mandatory",
};

/** A synthetic export of `count` resources of ordinary kinds, for throughput measurements. */
export function largeExport(count: number): ReturnType<typeof exported> {
  const resources: StateResource[] = [];
  for (let i = 0; resources.length < count - 1; i++) {
    const kind = i % 4;
    resources.push(
      kind === 0
        ? resource("aws:ec2/subnet:Subnet", `s${i}`, { cidrBlock: `10.${i % 250}.${i % 200}.0/24`, vpcId: "vpc-1" })
        : kind === 1
          ? resource("aws:cloudwatch/logGroup:LogGroup", `l${i}`, { name: `/catalyst/${i}`, retentionInDays: 90 })
          : kind === 2
            ? grant(["SELECT"], `g${i}`)
            : resource("aws:secretsmanager/secret:Secret", `x${i}`, { name: `catalyst/${i}`, recoveryWindowInDays: 30 }),
    );
  }
  return exported(...resources);
}
