import { createHash } from "crypto";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const SCRIPT = path.join(__dirname, "install-session-manager-plugin.sh");
const PACKAGE = "fake session-manager-plugin.deb contents\n";
const SHA256 = createHash("sha256").update(PACKAGE).digest("hex");

/** Fakes of the tools the script drives; each appends its argv to $FAKE_LOG. */
const FAKES: Record<string, string> = {
  curl: `#!/usr/bin/env bash
echo "curl $*" >>"$FAKE_LOG"
out=""; prev=""
for a in "$@"; do [[ "$prev" == "-o" ]] && out="$a"; prev="$a"; done
printf '%s' "$FAKE_PACKAGE" >"$out"
`,
  uname: `#!/usr/bin/env bash
echo "\${FAKE_ARCH:-x86_64}"
`,
  id: `#!/usr/bin/env bash
echo 1001
`,
  sudo: `#!/usr/bin/env bash
echo "sudo $*" >>"$FAKE_LOG"
exec "$@"
`,
  // Installing the package puts a plugin that reports the package's version on PATH.
  dpkg: `#!/usr/bin/env bash
echo "dpkg $*" >>"$FAKE_LOG"
printf '#!/usr/bin/env bash\\necho %s\\n' "\${FAKE_PACKAGE_VERSION}" >"$FAKE_BIN/session-manager-plugin"
chmod +x "$FAKE_BIN/session-manager-plugin"
`,
};

describe("scripts/ci/install-session-manager-plugin.sh", () => {
  let dir: string;
  let bin: string;
  let log: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "smp-"));
    bin = path.join(dir, "bin");
    log = path.join(dir, "log");
    fs.mkdirSync(bin);
    for (const [name, body] of Object.entries(FAKES)) fs.writeFileSync(path.join(bin, name), body, { mode: 0o755 });
    fs.writeFileSync(log, "");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (env: Record<string, string>) => {
    const r = spawnSync("bash", [SCRIPT], {
      env: { PATH: `${bin}:/usr/bin:/bin`, FAKE_LOG: log, FAKE_BIN: bin, FAKE_PACKAGE: PACKAGE, FAKE_PACKAGE_VERSION: "1.2.896.0", ...env },
      encoding: "utf8",
      timeout: 30_000,
    });
    return { code: r.status, out: r.stdout + r.stderr, log: fs.readFileSync(log, "utf8").trim().split("\n").filter(Boolean) };
  };

  it("downloads the pinned version of AWS's Ubuntu package over HTTPS and installs it with dpkg", () => {
    const r = run({ SESSION_MANAGER_PLUGIN_VERSION: "1.2.896.0" });
    expect(r.code).toBe(0);
    expect(r.out).toContain("installed 1.2.896.0 (ubuntu_64bit)");
    expect(r.log[0]).toMatch(
      /^curl .*--proto =https .*https:\/\/s3\.amazonaws\.com\/session-manager-downloads\/plugin\/1\.2\.896\.0\/ubuntu_64bit\/session-manager-plugin\.deb$/,
    );
    expect(r.log[1]).toMatch(/^sudo dpkg -i .*session-manager-plugin\.deb$/);
  });

  it("picks the arm64 package on an arm64 runner", () => {
    const r = run({ SESSION_MANAGER_PLUGIN_VERSION: "1.2.896.0", FAKE_ARCH: "aarch64" });
    expect(r.code).toBe(0);
    expect(r.log[0]).toContain("/plugin/1.2.896.0/ubuntu_arm64/session-manager-plugin.deb");
  });

  it("does nothing when the pinned version is already installed", () => {
    fs.writeFileSync(path.join(bin, "session-manager-plugin"), "#!/usr/bin/env bash\necho 1.2.896.0\n", { mode: 0o755 });
    const r = run({ SESSION_MANAGER_PLUGIN_VERSION: "1.2.896.0" });
    expect(r.code).toBe(0);
    expect(r.out).toContain("1.2.896.0 already installed");
    expect(r.log).toEqual([]);
  });

  it("replaces another installed version (e.g. the runner image's)", () => {
    fs.writeFileSync(path.join(bin, "session-manager-plugin"), "#!/usr/bin/env bash\necho 1.2.707.0\n", { mode: 0o755 });
    const r = run({ SESSION_MANAGER_PLUGIN_VERSION: "1.2.896.0" });
    expect(r.code).toBe(0);
    expect(r.log.map((l) => l.split(" ")[0])).toEqual(["curl", "sudo", "dpkg"]);
  });

  it("checks the package against a recorded checksum, and refuses other content before installing", () => {
    expect(run({ SESSION_MANAGER_PLUGIN_VERSION: "1.2.896.0", SESSION_MANAGER_PLUGIN_SHA256: SHA256 }).code).toBe(0);
    fs.rmSync(path.join(bin, "session-manager-plugin"));
    fs.writeFileSync(log, "");
    const bad = run({ SESSION_MANAGER_PLUGIN_VERSION: "1.2.896.0", SESSION_MANAGER_PLUGIN_SHA256: "0".repeat(64) });
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`checksum mismatch`);
    expect(bad.log.filter((l) => l.startsWith("dpkg") || l.startsWith("sudo"))).toEqual([]);
  });

  it("fails when the installed plugin does not report the pinned version", () => {
    const r = run({ SESSION_MANAGER_PLUGIN_VERSION: "1.2.896.0", FAKE_PACKAGE_VERSION: "1.2.889.0" });
    expect(r.code).toBe(1);
    expect(r.out).toContain('installed plugin reports version "1.2.889.0", expected 1.2.896.0');
  });

  it.each([
    [{}, "SESSION_MANAGER_PLUGIN_VERSION must be a plugin version"],
    [{ SESSION_MANAGER_PLUGIN_VERSION: "latest" }, "SESSION_MANAGER_PLUGIN_VERSION must be a plugin version"],
    [{ SESSION_MANAGER_PLUGIN_VERSION: "1.2.896.0", SESSION_MANAGER_PLUGIN_SHA256: "abc" }, "SESSION_MANAGER_PLUGIN_SHA256 must be 64"],
  ])("refuses %j with exit 2 and downloads nothing", (env, message) => {
    const r = run(env as Record<string, string>);
    expect(r.code).toBe(2);
    expect(r.out).toContain(message);
    expect(r.log).toEqual([]);
  });

  it("refuses an architecture AWS publishes no Ubuntu package for", () => {
    const r = run({ SESSION_MANAGER_PLUGIN_VERSION: "1.2.896.0", FAKE_ARCH: "riscv64" });
    expect(r.code).toBe(1);
    expect(r.out).toContain("no Ubuntu package for architecture riscv64");
  });
});
