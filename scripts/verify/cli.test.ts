// Exit codes, rendering and redaction shared by both verifiers.
import { Io, runCli } from "./cli";
import { redact } from "./redact";
import { ConnectError, Report, UsageError, fail, notTested, pass, renderText, warn } from "./report";

function capture(): Io & { out: string; err: string } {
  const io = { out: "", err: "", stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

const report = (checks: Report["checks"]): Report => ({ tool: "verify-x", target: "t", checks });

describe("runCli", () => {
  it("exits 0 when nothing failed (warnings and not-tested do not fail)", async () => {
    const io = capture();
    expect(await runCli([], async () => report([pass("a", "ok"), warn("b", "soon"), notTested("c", "n/a")]), "usage", io)).toBe(0);
    expect(io.out).toMatch(/^1 passed, 0 failed, 1 warnings, 1 not tested$/m);
  });

  it("exits 1 on a finding and prints its fix", async () => {
    const io = capture();
    expect(await runCli([], async () => report([fail("a", "bad", "do this")]), "usage", io)).toBe(1);
    expect(io.out).toContain("FAIL       a: bad\n             fix: do this");
  });

  it("exits 2 on a usage error (with usage) and on a connect error, also in --json", async () => {
    const io = capture();
    expect(await runCli(["--json"], async () => Promise.reject(new UsageError("bad flag")), "USAGE TEXT", io)).toBe(2);
    expect(JSON.parse(io.out)).toEqual({ error: "error: bad flag", exitCode: 2 });
    expect(io.err).toContain("USAGE TEXT");
    const io2 = capture();
    expect(await runCli([], async () => Promise.reject(new ConnectError("ECONNREFUSED")), "usage", io2)).toBe(2);
    expect(io2.err).toBe("cannot connect: ECONNREFUSED\n");
  });

  it("redacts secrets registered during the run from reports and errors", async () => {
    const io = capture();
    await runCli(
      [],
      async (_argv, ctx) => {
        ctx.secrets.add("Pa$$w0rd/x");
        return report([fail("a", "leaked Pa$$w0rd/x and Pa%24%24w0rd%2Fx", "none")]);
      },
      "usage",
      io,
    );
    expect(io.out).toContain("leaked *** and ***");
    const io2 = capture();
    await runCli(
      [],
      async (_argv, ctx) => {
        ctx.secrets.add("Pa$$w0rd/x");
        throw new ConnectError("mysql://u:Pa$$w0rd/x@h failed");
      },
      "usage",
      io2,
    );
    expect(io2.err).not.toContain("Pa$$w0rd");
  });
});

describe("redact", () => {
  it("hides URL passwords even when not registered", () => {
    expect(redact("at mysql://app:s3cret@db:3306/catalyst and https://u:p@x.test/")).toBe("at mysql://app:***@db:3306/catalyst and https://u:***@x.test/");
  });
});

describe("renderText", () => {
  it("one line per check with its status label", () => {
    expect(renderText(report([pass("a", "fine"), notTested("b", "unknown")]))).toBe(
      "verify-x: t\n  PASS       a: fine\n  NOT TESTED b: unknown\n1 passed, 0 failed, 0 warnings, 1 not tested\n",
    );
  });
});
