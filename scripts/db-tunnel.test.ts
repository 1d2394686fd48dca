import { spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";

const SCRIPT = path.join(__dirname, "db-tunnel.sh");
const DB_HOST = "catalyst-prod-db.c0ffee12ab.eu-west-1.rds.amazonaws.com";
const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

/** Fakes of the CLIs the script drives; each appends its argv to $FAKE_LOG. */
const FAKES: Record<string, string> = {
  pulumi: `#!/usr/bin/env bash
echo "pulumi $*" >>"$FAKE_LOG"
[[ -n "\${FAKE_PULUMI_FAIL:-}" ]] && { echo "error: no stack" >&2; exit 255; }
cat "$FAKE_OUTPUTS"
`,
  // The SSM session: listens on localPortNumber and echoes, like a database that answers.
  aws: `#!/usr/bin/env bash
echo "aws $*" >>"$FAKE_LOG"
params=""; prev=""
for a in "$@"; do [[ "$prev" == "--parameters" ]] && params="$a"; prev="$a"; done
port="$(node -e 'console.log(JSON.parse(process.argv[1]).localPortNumber[0])' "$params")"
exec node -e 'require("net").createServer((s) => s.pipe(s)).listen(Number(process.argv[1]), "127.0.0.1")' "$port"
`,
  "session-manager-plugin": "#!/usr/bin/env bash\nexit 0\n",
  curl: `#!/usr/bin/env bash
echo "curl $*" >>"$FAKE_LOG"
out=""; prev=""
for a in "$@"; do [[ "$prev" == "-o" ]] && out="$a"; prev="$a"; done
printf '%s' "$FAKE_PEM" >"$out"
`,
};

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

function socksEcho(proxyPort: number, host: string, port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(proxyPort, "127.0.0.1");
    let stage = 0;
    let buf = Buffer.alloc(0);
    socket.on("error", reject);
    socket.on("connect", () => socket.write(Buffer.from([5, 1, 0])));
    socket.on("data", (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (stage === 0 && buf.length >= 2) {
        stage = 1;
        buf = buf.subarray(2);
        const name = Buffer.from(host);
        socket.write(Buffer.concat([Buffer.from([5, 1, 0, 3, name.length]), name, Buffer.from([port >> 8, port & 255])]));
      } else if (stage === 1 && buf.length >= 10) {
        if (buf[1] !== 0) return reject(new Error(`SOCKS reply ${buf[1]}`));
        stage = 2;
        buf = buf.subarray(10);
        socket.write(payload);
      }
      if (stage === 2 && buf.length >= payload.length) {
        resolve(buf.toString());
        socket.destroy();
      }
    });
  });
}

describe("scripts/db-tunnel.sh", () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let localPort: number;
  let forwardPort: number;

  const run = (...args: string[]) => {
    const r = spawnSync("bash", [SCRIPT, ...args], { env, encoding: "utf8", timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const log = () => (fs.existsSync(env.FAKE_LOG!) ? fs.readFileSync(env.FAKE_LOG!, "utf8") : "");
  const writeOutputs = (outputs: unknown) => fs.writeFileSync(env.FAKE_OUTPUTS!, JSON.stringify(outputs));

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "db-tunnel-"));
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    for (const [name, body] of Object.entries(FAKES)) fs.writeFileSync(path.join(bin, name), body, { mode: 0o755 });
    localPort = await freePort();
    forwardPort = await freePort();
    env = {
      PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
      HOME: dir,
      FAKE_LOG: path.join(dir, "calls.log"),
      FAKE_OUTPUTS: path.join(dir, "outputs.json"),
      FAKE_PEM: PEM,
      CATALYST_TUNNEL_DIR: path.join(dir, "state"),
      NODE: process.execPath,
    };
    writeOutputs({
      dbTunnel: { region: "eu-west-1", instanceId: "i-0123456789abcdef0", host: DB_HOST, port: 3306, localEndpoint: `127.0.0.1:${localPort}` },
      runtimeSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:catalyst/prod/runtime-abc",
    });
  });

  afterAll(() => {
    run("stop", "--stack", "prod");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("rejects a missing or unknown command, a missing or malformed --stack, and unknown options (exit 2)", () => {
    const cases: Array<[string[], string]> = [
      [[], "missing command"],
      [["open", "--stack", "prod"], 'unknown command "open"'],
      [["start"], "--stack is required"],
      [["start", "--stack"], "--stack needs a value"],
      [["start", "--stack", "prod; rm -rf /"], "is not a stack name"],
      [["status", "--stack", "prod", "--verbose"], 'unknown option "--verbose"'],
      [["start", "--stack", "prod", "--forward-port", "x"], "--forward-port must be a port number"],
      [["start", "--stack", "prod", "--db-host", "evil.example.com"], "--db-host must be an RDS endpoint name"],
    ];
    for (const [args, message] of cases) {
      const r = run(...args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain("usage: scripts/db-tunnel.sh");
    }
    expect(log()).toBe("");
  });

  it("prints help with exit 0", () => {
    const r = run("--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("start    open the tunnel");
  });

  it("reports down (exit 3) before start", () => {
    const r = run("status", "--stack", "prod");
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("ssm session: not running");
  });

  it("fails clearly when the stack outputs cannot be read or lack dbTunnel", () => {
    const failing = spawnSync("bash", [SCRIPT, "start", "--stack", "prod"], { env: { ...env, FAKE_PULUMI_FAIL: "1" }, encoding: "utf8" });
    expect(failing.status).toBe(1);
    expect(failing.stderr).toContain('cannot read the outputs of stack "prod"');
    const saved = fs.readFileSync(env.FAKE_OUTPUTS!, "utf8");
    writeOutputs({ vpcId: "vpc-1" });
    const r = run("start", "--stack", "prod");
    writeOutputs(JSON.parse(saved));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the stack has no dbTunnel output");
    expect(log()).not.toContain("aws ");
  });

  it("starts SSM port forwarding to the RDS endpoint and a SOCKS proxy that reaches it by name", async () => {
    const r = run("start", "--stack", "prod", "--forward-port", String(forwardPort));
    expect(r.stderr).toContain(`up for prod: socks5://127.0.0.1:${localPort} -> ${DB_HOST}:3306 via i-0123456789abcdef0`);
    expect(r.code).toBe(0);
    const caDir = path.join(env.CATALYST_TUNNEL_DIR!, "catalyst-db-tunnel-prod", "ca");
    expect(r.stdout.trim()).toBe(`export SSL_CERT_DIR=${caDir}:/etc/ssl/certs`);
    expect(fs.readFileSync(path.join(caDir, "rds-ca-bundle.pem"), "utf8")).toBe(PEM);

    const calls = log();
    expect(calls).toContain("pulumi stack output --json --stack prod");
    expect(calls).toContain("curl --fail --silent --show-error --proto =https --tlsv1.2 --max-time 60 -o");
    expect(calls).toContain("https://truststore.pki.rds.amazonaws.com/eu-west-1/eu-west-1-bundle.pem");
    expect(calls).toContain(
      `aws ssm start-session --region eu-west-1 --target i-0123456789abcdef0 --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters {"host":["${DB_HOST}"],"portNumber":["3306"],"localPortNumber":["${forwardPort}"]}`,
    );
    expect(calls).not.toContain("--show-secrets");

    expect(await socksEcho(localPort, DB_HOST, 3306, "through the tunnel")).toBe("through the tunnel");
    await expect(socksEcho(localPort, "example.com", 3306, "x")).rejects.toThrow("SOCKS reply 2");
  });

  it("is idempotent and reports up (exit 0) while running", () => {
    const again = run("start", "--stack", "prod", "--forward-port", String(forwardPort));
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("already up for prod");
    expect(log().match(/aws ssm start-session/g)).toHaveLength(1);
    const status = run("status", "--stack", "prod");
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/ssm session: running \(pid \d+\)/);
    expect(status.stdout).toMatch(/socks forwarder: running \(pid \d+\)/);
  });

  it("appends SSL_CERT_DIR to $GITHUB_ENV in GitHub Actions", () => {
    const githubEnv = path.join(dir, "github_env");
    const r = spawnSync("bash", [SCRIPT, "env", "--stack", "prod"], { env: { ...env, GITHUB_ENV: githubEnv }, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(fs.readFileSync(githubEnv, "utf8")).toMatch(/^SSL_CERT_DIR=.*catalyst-db-tunnel-prod\/ca:\/etc\/ssl\/certs\n$/);
  });

  it("stops both processes and frees the ports; stopping again is harmless", async () => {
    const r = run("stop", "--stack", "prod");
    expect(r.code).toBe(0);
    expect(run("status", "--stack", "prod").code).toBe(3);
    await expect(socksEcho(localPort, DB_HOST, 3306, "x")).rejects.toThrow();
    const probe = net.connect(forwardPort, "127.0.0.1");
    await expect(new Promise((resolve, reject) => probe.once("connect", resolve).once("error", reject))).rejects.toThrow("ECONNREFUSED");
    expect(run("stop", "--stack", "prod").code).toBe(0);
  });

  it("tunnels to another RDS endpoint with --db-host (validating a restored copy), and allows only that name", async () => {
    const restored = "awsbackup-restore-test-abc123.c0ffee12ab.eu-west-1.rds.amazonaws.com";
    fs.writeFileSync(env.FAKE_LOG!, "");
    const r = run("start", "--stack", "prod", "--forward-port", String(forwardPort), "--db-host", restored);
    expect(r.code).toBe(0);
    expect(log()).toContain(`--parameters {"host":["${restored}"],"portNumber":["3306"],"localPortNumber":["${forwardPort}"]}`);
    expect(await socksEcho(localPort, restored, 3306, "restored")).toBe("restored");
    await expect(socksEcho(localPort, DB_HOST, 3306, "x")).rejects.toThrow("SOCKS reply 2");
    expect(run("stop", "--stack", "prod").code).toBe(0);
  });

  it("refuses to reuse a running tunnel that leads to another database (never checks production by mistake)", () => {
    const restored = "awsbackup-restore-test-abc123.c0ffee12ab.eu-west-1.rds.amazonaws.com";
    expect(run("start", "--stack", "prod", "--forward-port", String(forwardPort)).code).toBe(0);
    const other = run("start", "--stack", "prod", "--forward-port", String(forwardPort), "--db-host", restored);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`already up for prod to ${DB_HOST}:3306, not ${restored}:3306`);
    expect(other.stderr).toContain("scripts/db-tunnel.sh stop --stack prod");
    expect(other.stdout).toBe("");
    expect(run("stop", "--stack", "prod").code).toBe(0);

    expect(run("start", "--stack", "prod", "--forward-port", String(forwardPort), "--db-host", restored).code).toBe(0);
    const back = run("start", "--stack", "prod", "--forward-port", String(forwardPort));
    expect(back.code).toBe(1);
    expect(back.stderr).toContain(`already up for prod to ${restored}:3306, not ${DB_HOST}:3306`);
    expect(run("stop", "--stack", "prod").code).toBe(0);
  });

  it("uses --ca-bundle instead of downloading, and refuses a file that is not PEM", () => {
    const bundle = path.join(dir, "bundle.pem");
    fs.writeFileSync(bundle, PEM);
    fs.rmSync(path.join(env.CATALYST_TUNNEL_DIR!, "catalyst-db-tunnel-prod", "ca"), { recursive: true, force: true });
    fs.writeFileSync(env.FAKE_LOG!, "");
    const ok = run("start", "--stack", "prod", "--forward-port", String(forwardPort), "--ca-bundle", bundle);
    expect(ok.code).toBe(0);
    expect(log()).not.toContain("curl");
    run("stop", "--stack", "prod");
    fs.writeFileSync(bundle, "not a certificate");
    const bad = run("start", "--stack", "prod", "--forward-port", String(forwardPort), "--ca-bundle", bundle);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("is not a PEM certificate bundle");
  });
});
