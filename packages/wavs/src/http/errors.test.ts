import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { WavsError } from "@wavs-ts/errors";
import { describe, expect, it } from "vitest";
import { errorOf, startTestServer } from "../../test/helpers/test-server.js";
import { errorBody, joinPath, schemaValidationError, toHttpError } from "./errors.js";

/** POST raw bytes with node:http, which reports the answer even when the server stops reading. */
function postBytes(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ status: number; contentType: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: "POST", headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, contentType: res.headers["content-type"], text }),
      );
    });
    // The server may close the socket after answering early; the answer has been read by then.
    req.on("error", reject);
    req.end(body);
  });
}

describe("error handling", () => {
  it("413 with a JSON error when the body is over the limit", async () => {
    const t = await startTestServer({ maxBodySizeMb: 1 });
    const body = Buffer.from(JSON.stringify({ pad: "a".repeat(1024 * 1024) }));
    const res = await postBytes(
      `${t.url}/dev/services`,
      { "content-type": "application/json", "content-length": String(body.length) },
      body,
    );
    expect(res.status).toBe(413);
    expect(res.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(res.text)).toEqual({
      error: {
        code: "WAVS_ERR_HTTP_BODY_TOO_LARGE",
        message: "request body is larger than the limit of 1 MB",
        hint: "Raise max_body_size_mb in wavs.toml if this body is legitimate.",
      },
    });
  });

  it("lets component uploads past the JSON body limit, up to the component size cap", async () => {
    const t = await startTestServer({ maxBodySizeMb: 1 });
    // a TypeScript component is ~18 MB: the upload route has its own, larger limit
    const body = Buffer.alloc(2 * 1024 * 1024, 0x61);
    const res = await postBytes(
      `${t.url}/dev/components`,
      { "content-type": "application/wasm", "content-length": String(body.length) },
      body,
    );
    expect(res.status).not.toBe(413);
    const over = Buffer.alloc(64 * 1024 * 1024 + 1, 0x61);
    const refused = await postBytes(
      `${t.url}/dev/components`,
      { "content-type": "application/wasm", "content-length": String(over.length) },
      over,
    );
    expect(refused.status).toBe(413);
    expect(JSON.parse(refused.text).error.message).toBe(
      "request body is larger than the limit of 64 MB",
    );
    expect(t.node.components.size).toBe(0);
  });

  it("a body over the limit, written after the 413 arrived, is read and discarded: the connection serves the next request", async () => {
    const t = await startTestServer({ maxBodySizeMb: 1 });
    const { hostname, port } = new URL(t.url);
    const socket = connect(Number(port), hostname);
    let text = "";
    let failed: Error | undefined;
    socket.on("data", (d) => {
      text += d.toString("latin1");
    });
    socket.on("error", (err) => {
      failed = err;
    });
    const until = async (cond: () => boolean, what: string) => {
      for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
      if (!cond()) throw new Error(`no ${what}; received: ${text.slice(0, 300)}`);
    };
    const size = 1024 * 1024 + 4096;
    socket.write(
      `POST /dev/services HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`,
    );
    await until(() => text.includes("\r\n\r\n"), "answer to the oversized body");
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text.toLowerCase()).not.toContain("connection: close");
    // the client only now writes its body, as a slow uploader would
    await new Promise<void>((r) => socket.write(Buffer.alloc(size, 0x20), () => r()));
    text = "";
    socket.write(`GET /health HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`);
    await until(() => /\r\n\r\n[\s\S]*\}/.test(text), "answer on the same connection");
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    expect(failed).toBeUndefined();
    socket.destroy();
  });

  it("413 also for a chunked JSON body over the limit", async () => {
    const t = await startTestServer({ maxBodySizeMb: 1 });
    const json = JSON.stringify({ service_manager: { evm: { pad: "x".repeat(1024 * 1024) } } });
    const res = await postBytes(
      `${t.url}/services`,
      { "content-type": "application/json", "transfer-encoding": "chunked" },
      Buffer.from(json),
    );
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text).error.code).toBe("WAVS_ERR_HTTP_BODY_TOO_LARGE");
  });

  it("a body just under the limit is accepted", async () => {
    const t = await startTestServer({ maxBodySizeMb: 1 });
    const body = Buffer.alloc(1024 * 1024, 0);
    body.set([0x00, 0x61, 0x73, 0x6d]);
    const res = await t.request("/dev/components", {
      method: "POST",
      headers: { "content-type": "application/wasm" },
      body,
    });
    expect(res.status).toBe(200);
  });

  it("404 with a JSON error for an unknown route", async () => {
    const t = await startTestServer();
    const res = await t.request("/nope?x=1");
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toEqual({
      code: "WAVS_ERR_HTTP_NOT_FOUND",
      message: "no route GET /nope",
      hint: "See GET /openapi.json or docs/http-api.md for the routes.",
    });
  });

  it("415 for a Content-Type no route parses", async () => {
    const t = await startTestServer();
    const res = await t.request("/services", {
      method: "POST",
      headers: { "content-type": "application/xml" },
      body: "<service/>",
    });
    expect(res.status).toBe(415);
    expect((await errorOf(res)).code).toBe("WAVS_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE");
  });

  it("500 with a generic message for a bug; the real error stays in the log", async () => {
    const t = await startTestServer();
    t.node.failWith = new TypeError("cannot read properties of undefined (secret=hunter2)");
    const res = await t.request("/services");
    expect(res.status).toBe(500);
    const error = await errorOf(res);
    expect(error.code).toBe("WAVS_ERR_INTERNAL");
    expect(error.message).toMatch(/^internal error while handling the request \(request id .+\)$/);
    expect(JSON.stringify(error)).not.toContain("hunter2");
    expect(await t.metrics.text()).toContain('wavs_errors_total{code="WAVS_ERR_INTERNAL"} 1');
  });

  it("a deliberate WAVS_ERR_INTERNAL is answered generically too", async () => {
    const t = await startTestServer();
    t.node.failWith = new WavsError("WAVS_ERR_INTERNAL", "store invariant broken at /data/x.db");
    const error = await errorOf(await t.request("/health"));
    expect(error.code).toBe("WAVS_ERR_INTERNAL");
    expect(error.message).not.toContain("/data");
  });

  it("never echoes credentials embedded in URLs", () => {
    const err = new WavsError(
      "WAVS_ERR_CHAIN_RPC",
      "https://user:pw@rpc.example.com/v3/0123456789abcdef0123456789abcdef failed",
    );
    const body = errorBody(err);
    expect(body.error.message).not.toContain("pw@");
    expect(body.error.message).not.toContain("0123456789abcdef0123456789abcdef");
  });

  it("maps fastify's client errors to WAVS codes", () => {
    const ctx = { bodyLimitMb: 15, requestId: "r1" };
    const bad = Object.assign(new Error("Body is not valid JSON"), { statusCode: 400 });
    expect(toHttpError(bad, ctx).error.code).toBe("WAVS_ERR_INPUT_INVALID");
    expect(toHttpError(new Error("boom"), ctx)).toMatchObject({ logLevel: "error" });
    expect(toHttpError(new WavsError("WAVS_ERR_CHAIN_RPC", "x"), ctx).logLevel).toBe("warn");
  });

  it("names nested fields from JSON-schema problems", () => {
    const e = schemaValidationError(
      [
        {
          keyword: "required",
          instancePath: "/service_managers/0",
          params: { missingProperty: "evm" },
        },
      ],
      "body",
    );
    expect(e.message).toBe("service_managers[0].evm: missing (required)");
    expect(joinPath("data", "[0]")).toBe("data[0]");
    expect(joinPath("", "a.b")).toBe("a.b");
  });
});
