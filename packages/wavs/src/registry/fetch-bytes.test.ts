import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { WavsError } from "@wavs-ts/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../test/helpers/http-server.js";
import { type FetchBytesOptions, fetchBytes, resolveUri } from "./fetch-bytes.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const options = (over: Partial<FetchBytesOptions> = {}): FetchBytesOptions => ({
  ipfsGateway: `${server.url}/ipfs/`,
  timeoutMs: 2_000,
  maxBytes: 1024,
  what: "service JSON",
  unreachableCode: "WAVS_ERR_SERVICE_URI_UNREACHABLE",
  tooLargeCode: "WAVS_ERR_SERVICE_INVALID",
  ...over,
});

async function failure(promise: Promise<unknown>): Promise<WavsError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof WavsError)) throw new Error(`expected a WavsError, got ${String(err)}`);
  return err;
}

describe("resolveUri", () => {
  it("keeps http(s), maps ipfs:// onto the gateway, refuses other schemes", () => {
    expect(resolveUri("https://x.test/a.json", "https://gw/ipfs/")).toBe("https://x.test/a.json");
    expect(resolveUri("ipfs://bafyCID/dir/s.json", "https://gw/ipfs/")).toBe(
      "https://gw/ipfs/bafyCID/dir/s.json",
    );
    expect(resolveUri("ipfs://QmCID", "https://gw/ipfs")).toBe("https://gw/ipfs/QmCID");
    expect(resolveUri("ipfs://", "https://gw/ipfs/")).toBeUndefined();
    expect(resolveUri("ftp://x/y", "https://gw/ipfs/")).toBeUndefined();
    expect(resolveUri("", "https://gw/ipfs/")).toBeUndefined();
  });
});

describe("fetchBytes", () => {
  it("returns the body, through the gateway for ipfs://", async () => {
    server.serve("/plain", "hello");
    server.serve("/ipfs/QmTest/sub/file.json", "from ipfs");
    expect(Buffer.from(await fetchBytes(`${server.url}/plain`, options())).toString()).toBe(
      "hello",
    );
    const viaGateway = await fetchBytes("ipfs://QmTest/sub/file.json", options());
    expect(Buffer.from(viaGateway).toString()).toBe("from ipfs");
  });

  it("reports a non-2xx answer with the unreachable code", async () => {
    const err = await failure(fetchBytes(`${server.url}/missing`, options()));
    expect(err.code).toBe("WAVS_ERR_SERVICE_URI_UNREACHABLE");
    expect(err.httpStatus).toBe(502);
    expect(err.message).toBe(`service JSON at ${server.url}/missing: answered HTTP 404`);
  });

  it("reports a refused connection and a timeout", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await failure(fetchBytes(`http://127.0.0.1:${port}/x`, options()));
    expect(refused.message).toMatch(/request failed \(ECONNREFUSED\)/);
    server.serve("/slow", { body: "late", delayMs: 1_000 });
    const slow = await failure(fetchBytes(`${server.url}/slow`, options({ timeoutMs: 100 })));
    expect(slow.code).toBe("WAVS_ERR_SERVICE_URI_UNREACHABLE");
    expect(slow.message).toMatch(/timed out/);
  });

  it("stops at the size cap", async () => {
    server.serve("/big", new Uint8Array(1025));
    server.serve("/fits", new Uint8Array(1024));
    const err = await failure(fetchBytes(`${server.url}/big`, options()));
    expect(err.code).toBe("WAVS_ERR_SERVICE_INVALID");
    expect(err.message).toMatch(/larger than 1024 bytes/);
    expect((await fetchBytes(`${server.url}/fits`, options())).length).toBe(1024);
  });

  it("sends gateway credentials as basic auth and never shows them", async () => {
    const gateway = `${server.url.replace("//", "//user:s%40cret@")}/ipfs/`;
    server.serve("/ipfs/QmAuth/x.json", "ok");
    const body = await fetchBytes("ipfs://QmAuth/x.json", options({ ipfsGateway: gateway }));
    expect(Buffer.from(body).toString()).toBe("ok");
    expect(server.lastAuthorization()).toBe(
      `Basic ${Buffer.from("user:s@cret").toString("base64")}`,
    );
    const err = await failure(
      fetchBytes("ipfs://QmNothing/x.json", options({ ipfsGateway: gateway })),
    );
    expect(err.message).toMatch(/answered HTTP 404/);
    expect(JSON.stringify(err.toJSON())).not.toMatch(/s%40cret|s@cret/);
  });
});
