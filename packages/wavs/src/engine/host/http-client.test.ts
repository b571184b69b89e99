// wasi:http as compiled Rust clients drive it, against real HTTP servers on loopback: a
// hand-written WAT component (test/fixtures/wat/http-client.wat) makes the calls directly, in
// the orders wstd and other clients use, and reports the response or the error-code case.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { type AddressInfo, createServer as createTcpServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine } from "../../../test/helpers/engine-harness.js";
import { watFixture } from "../../../test/helpers/wat-fixture.js";
import type { ExecOutcome } from "../engine.js";
import { rawRunRequest } from "../raw-run-request.js";

/** wasi:http error-code cases, by their index in the variant. */
const CASE = {
  "DNS-error": 1,
  "connection-refused": 6,
  "connection-terminated": 7,
  "TLS-certificate-error": 13,
  "HTTP-response-timeout": 33,
} as const;

function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );
}

function payload(out: ExecOutcome): Uint8Array {
  if (!out.ok) throw new Error(`execution failed: ${out.error.code} ${out.error.message}`);
  const responses = out.value as { payload: Uint8Array }[];
  return responses[0]!.payload;
}

describe("wasi:http driven like a Rust client (WAT component, real servers on loopback)", () => {
  let h: Awaited<ReturnType<typeof startEngine>>;
  let digest = "";
  const servers: { close(): void }[] = [];
  const sockets: Socket[] = [];
  const ports = { echo: 0, refused: 0, reset: 0, silent: 0, tls: 0 };
  let certDir = "";

  beforeAll(async () => {
    // the silent server's case waits this long; short, yet far above a loopback round trip
    // on a loaded machine (at 500 ms a busy CI machine timed out the echo server's answer)
    h = await startEngine({ httpTimeoutMs: 4000 });
    digest = (await h.register(await watFixture("http-client"))).digest;
    // answers "<method> <body>"
    const echo = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => res.end(`${req.method} ${Buffer.concat(chunks).toString()}`));
    });
    ports.echo = await listen(echo);
    // a port that was open a moment ago: connections are refused
    const gone = createServer();
    ports.refused = await listen(gone);
    await new Promise((r) => gone.close(r));
    // drops the connection as soon as the request arrives
    const reset = createTcpServer((socket) => socket.once("data", () => socket.resetAndDestroy()));
    ports.reset = await listen(reset);
    // accepts and never answers
    const silent = createTcpServer((socket) => sockets.push(socket));
    ports.silent = await listen(silent);
    // TLS with a self-signed certificate, which no client trusts
    certDir = mkdtempSync(join(tmpdir(), "wavs-tls-"));
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        join(certDir, "key.pem"),
        "-out",
        join(certDir, "cert.pem"),
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
      ],
      { stdio: "ignore" },
    );
    const tls = createHttpsServer(
      {
        key: readFileSync(join(certDir, "key.pem")),
        cert: readFileSync(join(certDir, "cert.pem")),
      },
      (_req, res) => res.end("secret"),
    );
    ports.tls = await listen(tls);
    servers.push(echo, reset, silent, tls);
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    for (const s of servers) s.close();
    await h?.close();
    if (certDir) rmSync(certDir, { recursive: true, force: true });
  });

  const run = (mode: string, authority: string) =>
    h.engine.execute(
      rawRunRequest(digest, `${mode}${authority}`, {
        permissions: {
          http: { kind: "all" },
          fileSystem: false,
          rawSockets: false,
          dnsResolution: false,
        },
      }),
    );
  const text = (out: ExecOutcome) => Buffer.from(payload(out)).toString();
  const errorCase = (out: ExecOutcome) => {
    const bytes = payload(out);
    expect(String.fromCharCode(bytes[0]!), `payload ${Buffer.from(bytes).toString()}`).toBe("E");
    return bytes[1];
  };

  it("a POST body written after handle, in two blocking-write-and-flush calls, finished without trailers (wstd's order) arrives whole", async () => {
    expect(text(await run("h", `127.0.0.1:${ports.echo}`))).toBe("200:POST hello world");
  });

  it("a POST body written with check-write and two writes, its stream dropped, finished with trailers before handle, arrives whole", async () => {
    expect(text(await run("w", `127.0.0.1:${ports.echo}`))).toBe("200:POST hello world");
  });

  it("a GET whose body is never taken goes out when the response is asked for", async () => {
    expect(text(await run("g", `127.0.0.1:${ports.echo}`))).toBe("200:GET ");
  });

  it.each([
    ["a refused connection", "connection-refused", "h", (): string => `127.0.0.1:${ports.refused}`],
    ["a reset connection", "connection-terminated", "g", (): string => `127.0.0.1:${ports.reset}`],
    ["a name that does not resolve", "DNS-error", "g", (): string => "wavs-test.invalid"],
    [
      "a server that never answers",
      "HTTP-response-timeout",
      "g",
      (): string => `127.0.0.1:${ports.silent}`,
    ],
    [
      "a certificate nobody trusts",
      "TLS-certificate-error",
      "s",
      (): string => `localhost:${ports.tls}`,
    ],
  ] as const)("%s reaches the component as error-code %s", async (_what, code, mode, authority) => {
    const out = await run(mode, authority());
    expect(errorCase(out)).toBe(CASE[code]);
    // the log names the code and Node's own reason, not "fetch failed"
    expect(out.logs.some((l) => l.message.includes(`(${code})`))).toBe(true);
    expect(out.logs.some((l) => l.message.endsWith("fetch failed"))).toBe(false);
  });
});
