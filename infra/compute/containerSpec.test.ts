import { ContainerSpec, containerDefinition, postureTags, renderContainerDefinitions, scratchVolumeName, scratchVolumes, specProblems } from "./containerSpec";

const RUNTIME_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:runtime-AbCdEf";
const LOG = { group: "/ecs/catalyst-test/frontend", region: "eu-west-1", streamPrefix: "frontend" };
const spec: ContainerSpec = {
  name: "frontend",
  image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/frontend@sha256:${"b".repeat(64)}`,
  port: 3000,
  user: "1001:1001",
  readonlyRootFilesystem: true,
  environment: { NODE_ENV: "production", BETTER_AUTH_URL: "https://app.example.com" },
  secrets: [
    { name: "DATABASE_URL", source: "runtime", jsonKey: "DATABASE_URL" },
    { name: "BETTER_AUTH_SECRET", source: "runtime", jsonKey: "BETTER_AUTH_SECRET" },
  ],
  scratchPaths: ["/tmp", "/app/.next/cache"],
  healthCheck: { path: "/agent" },
};

describe("containerDefinition", () => {
  const def = containerDefinition(spec, LOG, { runtime: RUNTIME_ARN }) as Record<string, unknown> & {
    healthCheck: { command: string[]; interval: number; retries: number };
    linuxParameters: { capabilities: { add: string[]; drop: string[] } };
  };

  it("runs as the non-root user on a read-only root filesystem, unprivileged, with every capability dropped", () => {
    expect(def.user).toBe("1001:1001");
    expect(def.readonlyRootFilesystem).toBe(true);
    expect(def.privileged).toBe(false);
    expect(def.linuxParameters.capabilities).toEqual({ add: [], drop: ["ALL"] });
  });

  it("injects secrets by JSON key from the secret ARN, never as environment", () => {
    expect(def.secrets).toEqual([
      { name: "DATABASE_URL", valueFrom: `${RUNTIME_ARN}:DATABASE_URL::` },
      { name: "BETTER_AUTH_SECRET", valueFrom: `${RUNTIME_ARN}:BETTER_AUTH_SECRET::` },
    ]);
    expect(def.environment).toEqual([
      { name: "BETTER_AUTH_URL", value: "https://app.example.com" },
      { name: "NODE_ENV", value: "production" },
    ]);
  });

  it("mounts a writable task-storage volume at each scratch path", () => {
    expect(def.mountPoints).toEqual([
      { sourceVolume: "scratch-tmp", containerPath: "/tmp", readOnly: false },
      { sourceVolume: "scratch-app-next-cache", containerPath: "/app/.next/cache", readOnly: false },
    ]);
    expect(scratchVolumes(spec)).toEqual([{ name: "scratch-tmp" }, { name: "scratch-app-next-cache" }]);
  });

  it("probes the app path on localhost without following redirects", () => {
    expect(def.healthCheck.command.slice(0, 3)).toEqual(["CMD", "node", "-e"]);
    expect(def.healthCheck.command[3]).toContain('fetch("http://127.0.0.1:3000/agent",{redirect:"manual"})');
    expect(def.healthCheck.command[3]).toContain("r.status<500?0:1");
    expect([def.healthCheck.interval, def.healthCheck.retries]).toEqual([30, 3]);
  });

  it("logs to its log group through awslogs without blocking the app", () => {
    expect(def.logConfiguration).toEqual({
      logDriver: "awslogs",
      options: {
        "awslogs-group": LOG.group,
        "awslogs-region": "eu-west-1",
        "awslogs-stream-prefix": "frontend",
        mode: "non-blocking",
        "max-buffer-size": "25m",
      },
    });
  });

  it("exposes the app port over TCP only", () => {
    expect(def.portMappings).toEqual([{ containerPort: 3000, hostPort: 3000, protocol: "tcp" }]);
  });

  it("fails when a secret source has no ARN", () => {
    expect(() => containerDefinition(spec, LOG, {})).toThrow('no ARN for secret source "runtime"');
  });

  it("renders one JSON array holding the definition", () => {
    expect(JSON.parse(renderContainerDefinitions(spec, LOG, { runtime: RUNTIME_ARN }))).toEqual([JSON.parse(JSON.stringify(def))]);
  });
});

describe("specProblems", () => {
  it("accepts the hardened spec", () => {
    expect(specProblems(spec)).toEqual([]);
  });

  it.each(["0:0", "root", "0", "nextjs", "1001"])("refuses user %s", (user) => {
    expect(specProblems({ ...spec, user })).toEqual([expect.stringContaining("numeric non-root uid:gid")]);
  });

  it.each(["DATABASE_URL", "DATABASE_URL_MIGRATE", "BETTER_AUTH_SECRET", "MYSQL_PASSWORD", "GITHUB_TOKEN"])(
    "refuses credential-like environment variable %s",
    (name) => {
      expect(specProblems({ ...spec, environment: { ...spec.environment, [name]: "x" } })).toEqual([
        `environment variable ${name} looks like a credential: inject it through secrets (Secrets Manager), never as plaintext environment`,
      ]);
    },
  );

  it("refuses a secret injected twice and relative scratch paths", () => {
    expect(specProblems({ ...spec, secrets: [...spec.secrets, spec.secrets[0]], scratchPaths: ["tmp"] })).toEqual([
      "secret DATABASE_URL is injected twice",
      'scratch path "tmp" must be absolute',
    ]);
  });

  it("makes containerDefinition throw with every problem", () => {
    expect(() => containerDefinition({ ...spec, user: "0:0", environment: { DATABASE_URL: "mysql://" } }, LOG, { runtime: RUNTIME_ARN })).toThrow(
      /container frontend: user "0:0".*; environment variable DATABASE_URL/,
    );
  });
});

describe("postureTags", () => {
  it("declares the JSON's security fields as preview-known tags", () => {
    expect(postureTags(spec)).toEqual({
      "catalyst:container-user": "1001:1001",
      "catalyst:readonly-root-filesystem": "true",
      "catalyst:privileged": "false",
      "catalyst:secret-names": "BETTER_AUTH_SECRET DATABASE_URL",
      "catalyst:environment-names": "BETTER_AUTH_URL NODE_ENV",
      "catalyst:log-driver": "awslogs",
    });
  });

  it("uses only characters ECS allows in tag values", () => {
    for (const value of Object.values(postureTags(spec))) expect(value).toMatch(/^[\w .:/=+\-@]{1,256}$/);
  });

  it("says none when nothing is injected", () => {
    expect(postureTags({ ...spec, secrets: [], environment: {} })["catalyst:secret-names"]).toBe("none");
  });
});

describe("scratchVolumeName", () => {
  it("is a valid ECS volume name", () => {
    expect(scratchVolumeName("/app/.next/cache")).toMatch(/^[A-Za-z0-9_-]{1,255}$/);
  });
});
