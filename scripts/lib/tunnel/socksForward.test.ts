import * as net from "net";
import { isLoopback, parseHostPort, parseRequest, REPLY, startForwarder } from "./socksForward";

/** A minimal SOCKS5 client: greeting, CONNECT by domain name, then raw bytes. */
function socksConnect(proxyPort: number, host: string, port: number): Promise<{ reply: number; socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(proxyPort, "127.0.0.1");
    let buf = Buffer.alloc(0);
    let stage = 0;
    socket.on("error", reject);
    socket.on("connect", () => socket.write(Buffer.from([5, 1, 0])));
    socket.on("data", function onData(chunk) {
      buf = Buffer.concat([buf, chunk]);
      if (stage === 0 && buf.length >= 2) {
        if (buf[1] !== 0) return reject(new Error("no acceptable method"));
        buf = buf.subarray(2);
        stage = 1;
        const name = Buffer.from(host, "latin1");
        const portBytes = Buffer.alloc(2);
        portBytes.writeUInt16BE(port);
        socket.write(Buffer.concat([Buffer.from([5, 1, 0, 3, name.length]), name, portBytes]));
      }
      if (stage === 1 && buf.length >= 10) {
        socket.off("data", onData);
        resolve({ reply: buf[1], socket });
      }
    });
  });
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as net.AddressInfo).port;
}

describe("socksForward", () => {
  const DB = "catalyst-prod-db.cabc.eu-west-1.rds.amazonaws.com";
  let echo: net.Server;
  let proxy: net.Server;
  let proxyPort: number;
  let tunnelPort: number;

  beforeAll(async () => {
    echo = net.createServer((s) => s.pipe(s));
    tunnelPort = await listen(echo);
    const free = net.createServer();
    proxyPort = await listen(free);
    await new Promise((r) => free.close(r));
    proxy = await startForwarder({
      listen: { host: "127.0.0.1", port: proxyPort },
      allow: { host: DB, port: 3306 },
      forward: { host: "127.0.0.1", port: tunnelPort },
    });
  });
  afterAll(async () => {
    await new Promise((r) => proxy.close(r));
    await new Promise((r) => echo.close(r));
  });

  it("carries bytes to the tunnel for the allowed database name (case and trailing dot ignored)", async () => {
    for (const host of [DB, `${DB.toUpperCase()}.`]) {
      const { reply, socket } = await socksConnect(proxyPort, host, 3306);
      expect(reply).toBe(REPLY.succeeded);
      const echoed = new Promise<string>((r) => socket.once("data", (d) => r(d.toString())));
      socket.write("ping");
      expect(await echoed).toBe("ping");
      socket.destroy();
    }
  });

  it("refuses any other host or port with 'not allowed by ruleset'", async () => {
    for (const [host, port] of [
      ["evil.example.com", 3306],
      [DB, 22],
    ] as const) {
      const { reply, socket } = await socksConnect(proxyPort, host, port);
      expect(reply).toBe(REPLY.notAllowed);
      socket.destroy();
    }
  });

  it("refuses clients that require authentication", async () => {
    const socket = net.connect(proxyPort, "127.0.0.1");
    const answer = new Promise<Buffer>((r) => socket.once("data", r));
    socket.write(Buffer.from([5, 1, 2]));
    expect([...(await answer)]).toEqual([5, 0xff]);
    socket.destroy();
  });

  it("reports 'connection refused' when the tunnel is down", async () => {
    const closed = net.createServer();
    const deadPort = await listen(closed);
    await new Promise((r) => closed.close(r));
    const p = await startForwarder({ listen: { host: "127.0.0.1", port: 0 }, allow: { host: DB, port: 3306 }, forward: { host: "127.0.0.1", port: deadPort } });
    const { reply, socket } = await socksConnect((p.address() as net.AddressInfo).port, DB, 3306);
    expect(reply).toBe(REPLY.connectionRefused);
    socket.destroy();
    await new Promise((r) => p.close(r));
  });

  it("listens on loopback only", async () => {
    await expect(
      startForwarder({ listen: { host: "0.0.0.0", port: 0 }, allow: { host: DB, port: 3306 }, forward: { host: "127.0.0.1", port: 1 } }),
    ).rejects.toThrow("loopback only");
    expect([isLoopback("127.0.0.1"), isLoopback("::1"), isLoopback("localhost"), isLoopback("10.0.0.1")]).toEqual([true, true, true, false]);
  });

  it("parses requests incrementally and host:port arguments strictly", () => {
    const req = Buffer.from([5, 1, 0, 3, 2, 0x61, 0x62, 0x0c, 0xea]);
    expect(parseRequest(req.subarray(0, 6))).toBeUndefined();
    expect(parseRequest(req)).toEqual({ cmd: 1, host: "ab", port: 3306, length: 9 });
    expect(parseRequest(Buffer.from([5, 1, 0, 1, 10, 0, 0, 1, 0x0c, 0xea]))).toEqual({ cmd: 1, host: "10.0.0.1", port: 3306, length: 10 });
    expect(parseHostPort("127.0.0.1:13306")).toEqual({ host: "127.0.0.1", port: 13306 });
    expect(() => parseHostPort("127.0.0.1")).toThrow("expected host:port");
    expect(() => parseHostPort("h:70000")).toThrow("expected host:port");
  });
});
