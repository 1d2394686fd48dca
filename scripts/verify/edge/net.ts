// Network primitives for verify:edge: a single TLS handshake at a pinned protocol version, and a
// single HTTP(S) GET that never follows redirects. Both can connect to an address other than the
// URL's host (--resolve) while keeping SNI, certificate name and Host header on the URL's host.
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import tls, { PeerCertificate, SecureVersion } from "node:tls";

export interface Endpoint {
  hostname: string;
  port: number;
  /** Address to connect to instead of resolving hostname. */
  connectTo?: string;
  ca?: Buffer;
  timeoutMs: number;
}

export type Handshake =
  | { outcome: "accepted"; protocol: string; cipher: string; cert: PeerCertificate; authorizationError?: string }
  | { outcome: "refused"; reason: string }
  | { outcome: "unsupported-locally"; reason: string }
  | { outcome: "unreachable"; reason: string };

/** Errors raised by our own TLS library before anything was sent: the protocol was never offered. */
const LOCAL = new Set(["ERR_SSL_NO_PROTOCOLS_AVAILABLE", "ERR_SSL_NO_CIPHERS_AVAILABLE", "ERR_SSL_NO_CIPHER_MATCH", "ERR_TLS_INVALID_PROTOCOL_VERSION"]);
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT"]);

function classify(err: NodeJS.ErrnoException): Handshake {
  const reason = [err.code, err.message.split("\n")[0]].filter(Boolean).join(": ");
  if (LOCAL.has(err.code ?? "") || /no cipher match|no protocols available/i.test(err.message)) return { outcome: "unsupported-locally", reason };
  if (UNREACHABLE.has(err.code ?? "")) return { outcome: "unreachable", reason };
  return { outcome: "refused", reason };
}

const servername = (hostname: string) => (isIP(hostname) ? undefined : hostname);

export interface HandshakeOptions {
  version?: SecureVersion;
  ciphers?: string;
}

export function handshake(ep: Endpoint, o: HandshakeOptions = {}): Promise<Handshake> {
  return new Promise((resolve) => {
    let socket: tls.TLSSocket;
    const finish = (result: Handshake) => {
      socket?.destroy();
      resolve(result);
    };
    try {
      socket = tls.connect({
        host: ep.connectTo ?? ep.hostname,
        port: ep.port,
        servername: servername(ep.hostname),
        ca: ep.ca,
        // The certificate is judged explicitly (chain, name, dates) rather than aborting the probe.
        rejectUnauthorized: false,
        minVersion: o.version,
        maxVersion: o.version,
        ciphers: o.ciphers,
      });
    } catch (err) {
      return finish(classify(err as NodeJS.ErrnoException));
    }
    socket.setTimeout(ep.timeoutMs, () => finish({ outcome: "unreachable", reason: `ETIMEDOUT: no answer within ${ep.timeoutMs} ms` }));
    socket.once("error", (err) => finish(classify(err)));
    socket.once("secureConnect", () =>
      finish({
        outcome: "accepted",
        protocol: socket.getProtocol() ?? "unknown",
        cipher: socket.getCipher()?.name ?? "unknown",
        cert: socket.getPeerCertificate(),
        authorizationError: socket.authorized ? undefined : String(socket.authorizationError),
      }),
    );
  });
}

export interface HttpResponse {
  status: number;
  headers: Map<string, string[]>;
}

function collectHeaders(raw: string[]): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), raw[i + 1]]);
  }
  return headers;
}

/** One GET, no redirect following, body discarded. Rejects on network errors and timeouts. */
export function get(url: URL, ep: Endpoint): Promise<HttpResponse> {
  const secure = url.protocol === "https:";
  const client = secure ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      {
        method: "GET",
        host: ep.connectTo ?? url.hostname,
        port: url.port || (secure ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        headers: { Host: url.host, "User-Agent": "catalyst-verify-edge", Accept: "text/html,*/*" },
        servername: secure ? servername(url.hostname) : undefined,
        ca: ep.ca,
        rejectUnauthorized: false,
        agent: false,
        timeout: ep.timeoutMs,
      },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, headers: collectHeaders(res.rawHeaders) });
      },
    );
    req.once("timeout", () => req.destroy(Object.assign(new Error(`no answer within ${ep.timeoutMs} ms`), { code: "ETIMEDOUT" })));
    req.once("error", reject);
    req.end();
  });
}
