// Test PKI made with the openssl CLI: a CA, and leaves that are good, expired, near expiry or for the
// wrong host. EC P-256 keys keep generation fast; TLS 1.0/1.1 still have ECDHE-ECDSA ciphers.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Leaf {
  certPath: string;
  keyPath: string;
  cert: Buffer;
  key: Buffer;
}

export interface LeafOptions {
  /** DNS names and IP addresses for subjectAltName. */
  names: string[];
  /** Validity from now, in days. */
  days?: number;
  /** Fixed validity window (openssl ca format YYYYMMDDHHMMSSZ), for certificates that have already expired. */
  window?: { start: string; end: string };
}

export class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), "verify-pki-"));
  readonly caPath = join(this.dir, "ca.pem");
  private readonly caKeyPath = join(this.dir, "ca.key");
  private serial = 1;

  constructor(commonName = "Catalyst Verifier Test CA") {
    this.openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", this.caKeyPath]);
    this.openssl([
      "req",
      "-x509",
      "-new",
      "-key",
      this.caKeyPath,
      "-out",
      this.caPath,
      "-days",
      "30",
      "-subj",
      `/CN=${commonName}`,
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ]);
  }

  get ca(): Buffer {
    return readFileSync(this.caPath);
  }

  leaf(name: string, opts: LeafOptions): Leaf {
    const keyPath = join(this.dir, `${name}.key`);
    const csrPath = join(this.dir, `${name}.csr`);
    const certPath = join(this.dir, `${name}.pem`);
    this.openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", keyPath]);
    this.openssl(["req", "-new", "-key", keyPath, "-out", csrPath, "-subj", `/CN=${opts.names[0]}`]);
    const extPath = join(this.dir, `${name}.ext`);
    writeFileSync(extPath, this.extensions(opts.names));
    if (opts.window) this.signWithWindow(csrPath, certPath, extPath, opts.window);
    else this.sign(csrPath, certPath, extPath, opts.days ?? 10);
    return { certPath, keyPath, cert: readFileSync(certPath), key: readFileSync(keyPath) };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private extensions(names: string[]): string {
    const san = names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(",");
    return [
      "[ext]",
      `subjectAltName=${san}`,
      "basicConstraints=CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage=serverAuth",
      "",
    ].join("\n");
  }

  private sign(csrPath: string, certPath: string, extPath: string, days: number): void {
    this.openssl([
      "x509",
      "-req",
      "-in",
      csrPath,
      "-CA",
      this.caPath,
      "-CAkey",
      this.caKeyPath,
      "-set_serial",
      String(this.serial++),
      "-days",
      String(days),
      "-out",
      certPath,
      "-extfile",
      extPath,
      "-extensions",
      "ext",
    ]);
  }

  /** `openssl ca` is the 3.0 CLI's only way to set a validity window in the past. */
  private signWithWindow(csrPath: string, certPath: string, extPath: string, window: { start: string; end: string }): void {
    const caDir = mkdtempSync(join(this.dir, "ca-"));
    writeFileSync(join(caDir, "index.txt"), "");
    writeFileSync(join(caDir, "serial"), (this.serial++).toString(16).padStart(2, "0") + "\n");
    const config = join(caDir, "ca.cnf");
    writeFileSync(
      config,
      [
        "[ca]",
        "default_ca = test_ca",
        "[test_ca]",
        `database = ${join(caDir, "index.txt")}`,
        `new_certs_dir = ${caDir}`,
        `serial = ${join(caDir, "serial")}`,
        "default_md = sha256",
        "policy = any",
        "unique_subject = no",
        "[any]",
        "commonName = supplied",
        readFileSync(extPath, "utf8"),
      ].join("\n"),
    );
    this.openssl([
      "ca",
      "-batch",
      "-notext",
      "-config",
      config,
      "-cert",
      this.caPath,
      "-keyfile",
      this.caKeyPath,
      "-in",
      csrPath,
      "-out",
      certPath,
      "-startdate",
      window.start,
      "-enddate",
      window.end,
      "-extensions",
      "ext",
    ]);
  }

  private openssl(args: string[]): void {
    execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"], timeout: 20000 });
  }
}
