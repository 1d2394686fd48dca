/**
 * One container's definition, described as plain data first and rendered to ECS's JSON second.
 *
 * ECS takes `containerDefinitions` as ONE JSON string, and the secret ARNs inside it are provider
 * outputs: while a secret is being created the whole string is unknown at preview. Everything that
 * decides the container's security posture (user, read-only root, privileges, environment, which
 * secrets are injected and from which key, logging) is therefore kept in a plain `ContainerSpec`; the
 * ARNs are the only values added at render time. The same spec also yields the task definition's
 * posture tags, so a preview can show (and a policy can read) what the JSON will contain, while the
 * JSON itself stays the authority that is checked once it is known.
 */

/** A secret injected as an environment variable from one JSON key of a Secrets Manager secret. */
export interface ContainerSecret {
  /** Environment variable name inside the container. */
  name: string;
  /** Which secret (a key of the ARN map given at render time), e.g. "runtime". */
  source: string;
  /** The key inside the secret's JSON document. */
  jsonKey: string;
}

export interface ContainerHealthCheck {
  /** Path probed on 127.0.0.1:<port>; redirects count as healthy (they are not followed). */
  path: string;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  retries?: number;
  startPeriodSeconds?: number;
}

export interface ContainerSpec {
  name: string;
  /** Digest-pinned image reference. */
  image: string;
  command?: string[];
  /** The port the app listens on (none for one-off tasks). */
  port?: number;
  /** uid:gid; never root. */
  user: string;
  readonlyRootFilesystem: boolean;
  /** Plain, non-secret settings only. */
  environment: Record<string, string>;
  secrets: ContainerSecret[];
  /** Writable task-storage mounts (the only writable paths when the root filesystem is read-only). */
  scratchPaths: string[];
  healthCheck?: ContainerHealthCheck;
}

export interface LogDestination {
  group: string;
  region: string;
  streamPrefix: string;
}

/** Names that identify credentials: such values belong in `secrets`, never in `environment`. */
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIALS?|DATABASE_URL)/i;
const ROOT_USER = /^(0|root)(:|$)/;
const USER = /^\d+:\d+$/;

/** Problems that make a spec unsafe to deploy; an empty list means it is acceptable. */
export function specProblems(spec: ContainerSpec): string[] {
  const problems: string[] = [];
  if (!USER.test(spec.user) || ROOT_USER.test(spec.user))
    problems.push(`user ${JSON.stringify(spec.user)} must be a numeric non-root uid:gid such as 1001:1001`);
  for (const name of Object.keys(spec.environment)) {
    if (SECRET_NAME.test(name))
      problems.push(`environment variable ${name} looks like a credential: inject it through secrets (Secrets Manager), never as plaintext environment`);
  }
  const secretNames = spec.secrets.map((s) => s.name);
  for (const name of new Set(secretNames.filter((n, i) => secretNames.indexOf(n) !== i))) problems.push(`secret ${name} is injected twice`);
  for (const path of spec.scratchPaths) if (!path.startsWith("/")) problems.push(`scratch path ${JSON.stringify(path)} must be absolute`);
  if (spec.healthCheck && spec.port === undefined) problems.push("a health check needs the container port");
  return problems;
}

export function assertSpec(spec: ContainerSpec): ContainerSpec {
  const problems = specProblems(spec);
  if (problems.length) throw new Error(`container ${spec.name}: ${problems.join("; ")}`);
  return spec;
}

/** Task-level volume name for a scratch path: `/app/.next/cache` → `scratch-app-next-cache`. */
export function scratchVolumeName(path: string): string {
  return `scratch${path.replace(/[^A-Za-z0-9]+/g, "-").replace(/-+$/, "")}`;
}

/** Task volumes backing the scratch paths: Fargate bind mounts on the task's ephemeral storage. */
export function scratchVolumes(spec: ContainerSpec): { name: string }[] {
  return spec.scratchPaths.map((p) => ({ name: scratchVolumeName(p) }));
}

/** `<secret ARN>:<json key>::` — the Secrets Manager JSON-key form (Fargate platform >= 1.4.0). */
export function secretValueFrom(secretArn: string, jsonKey: string): string {
  return `${secretArn}:${jsonKey}::`;
}

function healthCheckCommand(port: number, hc: ContainerHealthCheck): string[] {
  // Exec form (no shell needed in the image); Node's fetch is in every Next.js runtime image.
  // `redirect: "manual"`: an auth redirect means the server is up, and following it would leave the VPC.
  const probe = `fetch("http://127.0.0.1:${port}${hc.path}",{redirect:"manual"}).then(r=>process.exit(r.status<500?0:1),()=>process.exit(1))`;
  return ["CMD", "node", "-e", probe];
}

/** The ECS container definition object (what `containerDefinitions` holds, one per container). */
export function containerDefinition(spec: ContainerSpec, log: LogDestination, secretArns: Record<string, string>): Record<string, unknown> {
  assertSpec(spec);
  const secrets = spec.secrets.map((s) => {
    const arn = secretArns[s.source];
    if (arn === undefined) throw new Error(`container ${spec.name}: no ARN for secret source ${JSON.stringify(s.source)}`);
    return { name: s.name, valueFrom: secretValueFrom(arn, s.jsonKey) };
  });
  const hc = spec.healthCheck;
  return {
    name: spec.name,
    image: spec.image,
    essential: true,
    ...(spec.command ? { command: spec.command } : {}),
    user: spec.user,
    readonlyRootFilesystem: spec.readonlyRootFilesystem,
    privileged: false,
    linuxParameters: { capabilities: { add: [], drop: ["ALL"] }, initProcessEnabled: true },
    portMappings: spec.port === undefined ? [] : [{ containerPort: spec.port, hostPort: spec.port, protocol: "tcp" }],
    environment: Object.keys(spec.environment)
      .sort()
      .map((name) => ({ name, value: spec.environment[name] })),
    secrets,
    mountPoints: spec.scratchPaths.map((p) => ({ sourceVolume: scratchVolumeName(p), containerPath: p, readOnly: false })),
    volumesFrom: [],
    ...(hc && spec.port !== undefined
      ? {
          healthCheck: {
            command: healthCheckCommand(spec.port, hc),
            interval: hc.intervalSeconds ?? 30,
            timeout: hc.timeoutSeconds ?? 5,
            retries: hc.retries ?? 3,
            startPeriod: hc.startPeriodSeconds ?? 30,
          },
        }
      : {}),
    logConfiguration: {
      logDriver: "awslogs",
      options: {
        "awslogs-group": log.group,
        "awslogs-region": log.region,
        "awslogs-stream-prefix": log.streamPrefix,
        // A CloudWatch Logs slowdown must not stall request handling; the buffer absorbs bursts.
        mode: "non-blocking",
        "max-buffer-size": "25m",
      },
    },
    stopTimeout: 30,
  };
}

/** The JSON string for `aws.ecs.TaskDefinition.containerDefinitions`. */
export function renderContainerDefinitions(spec: ContainerSpec, log: LogDestination, secretArns: Record<string, string>): string {
  return JSON.stringify([containerDefinition(spec, log, secretArns)]);
}

/** Tag keys of the declared posture (ECS tag values allow letters, digits, spaces and `+ - = . _ : / @`). */
export const POSTURE_TAGS = {
  user: "catalyst:container-user",
  readonlyRoot: "catalyst:readonly-root-filesystem",
  privileged: "catalyst:privileged",
  secrets: "catalyst:secret-names",
  environment: "catalyst:environment-names",
  logDriver: "catalyst:log-driver",
} as const;

/**
 * The container's posture as task-definition tags: known at preview even when the JSON is not.
 * Derived from the same spec that renders the JSON, so they cannot disagree; they are a declaration
 * for preview, and the JSON remains what is enforced once known.
 */
export function postureTags(spec: ContainerSpec): Record<string, string> {
  const list = (names: string[]) => (names.length ? [...names].sort().join(" ") : "none");
  return {
    [POSTURE_TAGS.user]: spec.user,
    [POSTURE_TAGS.readonlyRoot]: String(spec.readonlyRootFilesystem),
    [POSTURE_TAGS.privileged]: "false",
    [POSTURE_TAGS.secrets]: list(spec.secrets.map((s) => s.name)),
    [POSTURE_TAGS.environment]: list(Object.keys(spec.environment)),
    [POSTURE_TAGS.logDriver]: "awslogs",
  };
}
