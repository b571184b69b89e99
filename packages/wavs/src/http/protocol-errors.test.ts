// Requests refused below the routes, sent as raw bytes over real TCP on 127.0.0.1: every
// answer has our JSON error shape and a documented code, and the node keeps serving.
import { connect } from "node:net";
import { ERROR_CODES } from "@wavs-ts/errors";
import { describe, expect, it } from "vitest";
import { startTestServer } from "../../test/helpers/test-server.js";

/** Send raw bytes; resolve with the status and JSON body of the answer. */
function raw(url: string, request: string): Promise<{ status: number; body: unknown }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(request));
    let text = "";
    socket.on("data", (d) => {
      text += d.toString("latin1");
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", body = ""] = text.split("\r\n\r\n");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
      try {
        resolve({ status, body: JSON.parse(body) });
      } catch {
        reject(new Error(`not JSON after the headers: ${text.slice(0, 300)}`));
      }
    });
  });
}

describe("errors below the routes", () => {
  const TOKEN = "t".repeat(32);

  it.each([
    [
      "a URL that is not percent-encoded",
      "GET /services/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      400,
      "WAVS_ERR_HTTP_MALFORMED_REQUEST",
    ],
    [
      "an over-long path parameter",
      `GET /services/${"a".repeat(200)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      414,
      "WAVS_ERR_HTTP_URI_TOO_LONG",
    ],
    [
      "over-large headers",
      `GET /info HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
      431,
      "WAVS_ERR_HTTP_HEADERS_TOO_LARGE",
    ],
    ["a malformed request line", "GARBAGE\r\n\r\n", 400, "WAVS_ERR_HTTP_MALFORMED_REQUEST"],
    [
      "both Content-Length and Transfer-Encoding",
      "POST /services HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      400,
      "WAVS_ERR_HTTP_MALFORMED_REQUEST",
    ],
    [
      "a header with a space in its name",
      "GET /info HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n",
      400,
      "WAVS_ERR_HTTP_MALFORMED_REQUEST",
    ],
  ])("%s: our shape, a documented code", async (_what, request, status, code) => {
    const t = await startTestServer();
    const answer = await raw(t.url, request);
    expect(answer.status).toBe(status);
    const body = answer.body as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(ERROR_CODES[code as keyof typeof ERROR_CODES].status).toBe(status);
    // nothing of the offending input is echoed
    expect(body.error.message).not.toMatch(/zz|aaaa|GARBAGE|Bad Header/);
    // and the node keeps serving
    expect((await t.request("/health")).status).toBe(200);
  });

  it.each([
    ["text/plain", "hi"],
    ["application/wasm", "\u0000asm"],
    ["application/octet-stream", "{}"],
  ])("a JSON route given %s answers 415; only the byte route takes bytes", async (type, body) => {
    const t = await startTestServer({ bearerToken: TOKEN });
    const res = await t.request("/services", {
      method: "POST",
      token: TOKEN,
      headers: { "content-type": type },
      body,
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      "WAVS_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE",
    );
    const dev = await t.request("/dev/services", {
      method: "POST",
      token: TOKEN,
      headers: { "content-type": type },
      body,
    });
    expect(dev.status).toBe(415);
  });
});
