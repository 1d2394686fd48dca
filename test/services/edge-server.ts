// In-process HTTPS + HTTP servers on 127.0.0.1 standing in for the public edge. By default they are
// compliant (TLS 1.2+, every security header, 301 from HTTP); each option breaks one thing.
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { SecureVersion } from "node:tls";

export const COMPLIANT_HEADERS: Record<string, string> = {
  "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
  "X-Frame-Options": "SAMEORIGIN",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
  "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; frame-ancestors 'none'",
  Server: "catalyst-edge",
};

export interface EdgeServerOptions {
  cert: Buffer;
  key: Buffer;
  tls?: { minVersion?: SecureVersion; maxVersion?: SecureVersion; ciphers?: string };
  /** Overrides of the compliant headers: a string or list replaces, null removes. */
  headers?: Record<string, string | string[] | null>;
  /** Per-path overrides, applied after `headers`. */
  pathHeaders?: Record<string, Record<string, string | string[] | null>>;
  /** Paths on which the server drops the connection without answering. */
  hangUp?: string[];
  /** Per-path status codes (default 200). */
  status?: Record<string, number>;
  /** What plain HTTP answers: default 301 to the same host and path on the HTTPS port. */
  redirect?: (req: { host: string; path: string; httpsPort: number }) => { status: number; location?: string };
}

export interface EdgeServer {
  httpsPort: number;
  httpPort: number;
  close(): Promise<void>;
}

function responseHeaders(o: EdgeServerOptions, path: string): Record<string, string | string[]> {
  const merged: Record<string, string | string[] | null> = { ...COMPLIANT_HEADERS, ...o.headers, ...o.pathHeaders?.[path] };
  return Object.fromEntries(Object.entries(merged).filter((e): e is [string, string | string[]] => e[1] !== null));
}

const listen = (server: http.Server) => new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));

const closeServer = (server: http.Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

export async function startEdgeServer(o: EdgeServerOptions): Promise<EdgeServer> {
  const secure = https.createServer({ cert: o.cert, key: o.key, ...o.tls }, (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (o.hangUp?.includes(path)) return void req.socket.destroy();
    res.writeHead(o.status?.[path] ?? 200, { ...responseHeaders(o, path), "Content-Type": "text/html" });
    res.end("<!doctype html><title>catalyst</title>");
  });
  // A failed handshake (e.g. a refused TLS version) is expected here, not a test error.
  secure.on("tlsClientError", () => undefined);
  const httpsPort = await listen(secure);
  const redirect = o.redirect ?? (({ host, path, httpsPort: p }) => ({ status: 301, location: `https://${host}:${p}${path}` }));
  const plain = http.createServer((req, res) => {
    const host = (req.headers.host ?? "").replace(/:\d+$/, "");
    const answer = redirect({ host, path: req.url ?? "/", httpsPort });
    res.writeHead(answer.status, answer.location ? { Location: answer.location } : {});
    res.end();
  });
  const httpPort = await listen(plain);
  return { httpsPort, httpPort, close: async () => void (await Promise.all([closeServer(secure), closeServer(plain)])) };
}
