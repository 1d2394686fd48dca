/**
 * A loopback SOCKS5 proxy that reaches exactly one database host:port, by forwarding to the local end
 * of an SSM port-forwarding session. It exists so the mysql provider can dial the database by its real
 * DNS name (through `proxy`) and verify the server certificate against that name, while the bytes
 * travel through the tunnel. Any other destination, command or auth method is refused.
 *
 * Usage: node scripts/ts.js scripts/lib/tunnel/socksForward.ts --listen 127.0.0.1:13306 \
 *          --allow <db-host>:3306 --forward 127.0.0.1:13307
 */
import * as net from "net";

export interface HostPort {
  host: string;
  port: number;
}

export interface ForwarderOptions {
  listen: HostPort;
  /** The only destination a client may ask for. */
  allow: HostPort;
  /** Where allowed connections actually go (the SSM session's local port). */
  forward: HostPort;
  log?: (line: string) => void;
}

const VERSION = 5;
const NO_AUTH = 0;
const NO_ACCEPTABLE_METHOD = 0xff;
const CMD_CONNECT = 1;
export const REPLY = { succeeded: 0, generalFailure: 1, notAllowed: 2, connectionRefused: 5, commandNotSupported: 7, addressTypeNotSupported: 8 } as const;

export function parseHostPort(value: string): HostPort {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(value);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) throw new Error(`expected host:port, got "${value}"`);
  return { host: m[1], port };
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

const sameHost = (a: string, b: string) => a.toLowerCase().replace(/\.$/, "") === b.toLowerCase().replace(/\.$/, "");

/** What a CONNECT request asked for, once enough bytes have arrived; `undefined` means "need more". */
export function parseRequest(buf: Buffer): { cmd: number; host: string; port: number; length: number } | { error: number; length: number } | undefined {
  if (buf.length < 5) return undefined;
  if (buf[0] !== VERSION) return { error: REPLY.generalFailure, length: buf.length };
  const cmd = buf[1];
  const atyp = buf[3];
  let host: string;
  let offset: number;
  if (atyp === 1) {
    if (buf.length < 10) return undefined;
    host = [...buf.subarray(4, 8)].join(".");
    offset = 8;
  } else if (atyp === 3) {
    const len = buf[4];
    if (buf.length < 5 + len + 2) return undefined;
    host = buf.subarray(5, 5 + len).toString("latin1");
    offset = 5 + len;
  } else if (atyp === 4) {
    if (buf.length < 22) return undefined;
    const words = [];
    for (let i = 4; i < 20; i += 2) words.push(buf.readUInt16BE(i).toString(16));
    host = words.join(":");
    offset = 20;
  } else {
    return { error: REPLY.addressTypeNotSupported, length: buf.length };
  }
  return { cmd, host, port: buf.readUInt16BE(offset), length: offset + 2 };
}

function reply(code: number): Buffer {
  return Buffer.from([VERSION, code, 0, 1, 0, 0, 0, 0, 0, 0]);
}

function handle(client: net.Socket, opts: ForwarderOptions): void {
  const log = opts.log ?? (() => undefined);
  let buf = Buffer.alloc(0);
  let stage: "greeting" | "request" | "done" = "greeting";
  const fail = (code: number, why: string) => {
    log(`refused: ${why}`);
    client.end(reply(code));
    stage = "done";
  };
  const onData = (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    if (stage === "greeting") {
      if (buf.length < 2 || buf.length < 2 + buf[1]) return;
      const methods = [...buf.subarray(2, 2 + buf[1])];
      if (buf[0] !== VERSION || !methods.includes(NO_AUTH)) {
        log("refused: not SOCKS5 without authentication");
        client.end(Buffer.from([VERSION, NO_ACCEPTABLE_METHOD]));
        stage = "done";
        return;
      }
      client.write(Buffer.from([VERSION, NO_AUTH]));
      buf = buf.subarray(2 + buf[1]);
      stage = "request";
    }
    if (stage !== "request") return;
    const req = parseRequest(buf);
    if (!req) return;
    stage = "done";
    client.off("data", onData);
    if ("error" in req) return fail(req.error, "malformed request");
    if (req.cmd !== CMD_CONNECT) return fail(REPLY.commandNotSupported, `command ${req.cmd}`);
    if (!sameHost(req.host, opts.allow.host) || req.port !== opts.allow.port)
      return fail(REPLY.notAllowed, `destination ${req.host}:${req.port} is not the database`);
    const rest = buf.subarray(req.length);
    const upstream = net.connect(opts.forward.port, opts.forward.host);
    let connected = false;
    upstream.once("connect", () => {
      connected = true;
      log(`connected ${req.host}:${req.port} via ${opts.forward.host}:${opts.forward.port}`);
      client.write(reply(REPLY.succeeded));
      if (rest.length) upstream.write(rest);
      client.pipe(upstream).pipe(client);
    });
    upstream.once("error", (e) => {
      if (connected) client.destroy();
      else fail(REPLY.connectionRefused, `tunnel not reachable (${e.message})`);
    });
    client.once("close", () => upstream.destroy());
  };
  client.on("data", onData);
  client.on("error", () => client.destroy());
}

export function startForwarder(opts: ForwarderOptions): Promise<net.Server> {
  if (!isLoopback(opts.listen.host))
    return Promise.reject(new Error(`refusing to listen on ${opts.listen.host}: the proxy has no authentication, so it listens on loopback only`));
  const server = net.createServer((socket) => handle(socket, opts));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.listen.port, opts.listen.host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

function argValue(argv: string[], flag: string): string {
  const i = argv.indexOf(flag);
  if (i < 0 || !argv[i + 1]) throw new Error(`missing ${flag} host:port`);
  return argv[i + 1];
}

export async function main(argv: string[]): Promise<number> {
  let opts: ForwarderOptions;
  try {
    opts = {
      listen: parseHostPort(argValue(argv, "--listen")),
      allow: parseHostPort(argValue(argv, "--allow")),
      forward: parseHostPort(argValue(argv, "--forward")),
    };
  } catch (e) {
    process.stderr.write(
      `socksForward: ${(e as Error).message}\nusage: socksForward --listen 127.0.0.1:13306 --allow <db-host>:3306 --forward 127.0.0.1:13307\n`,
    );
    return 2;
  }
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  try {
    await startForwarder({ ...opts, log });
  } catch (e) {
    log((e as Error).message);
    return 1;
  }
  log(`listening on ${opts.listen.host}:${opts.listen.port}; only ${opts.allow.host}:${opts.allow.port} is allowed`);
  return new Promise<number>(() => undefined);
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
