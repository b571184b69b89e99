import { describe, expect, it } from "vitest";
import { EVM_ADDRESS, specExampleJson } from "../../test/helpers/service-fixtures.js";
import { errorOf, startTestServer } from "../../test/helpers/test-server.js";
import { bearerMatches } from "./auth.js";

const TOKEN = "s3cret-token-value";
const MANAGER = { evm: { chain: "evm:31337", address: EVM_ADDRESS } };

/** Every mutating route, with a body that would be accepted. */
const MUTATING: [string, string, RequestInit & { json?: unknown }][] = [
  ["POST", "/services", { json: { service_manager: MANAGER } }],
  ["DELETE", "/services", { json: { service_managers: [MANAGER] } }],
  ["POST", "/services/signer", { json: { service_manager: MANAGER } }],
  [
    "POST",
    "/dev/components",
    { body: new Uint8Array([0, 97, 115, 109]), headers: { "content-type": "application/wasm" } },
  ],
  ["POST", "/dev/services", { json: specExampleJson() }],
  ["POST", `/dev/services/${"0".repeat(64)}`, {}],
  [
    "POST",
    "/dev/triggers",
    { json: { service_id: "0".repeat(64), workflow_id: "wf1", data: { raw: "0x" } } },
  ],
  ["POST", "/dev/chains", { json: { chain: "evm:1", config: { type: "evm" } } }],
];

describe("bearer auth", () => {
  it.each(MUTATING)(
    "%s %s: 401 without a token and with a wrong one",
    async (method, path, init) => {
      const t = await startTestServer({ bearerToken: TOKEN });
      for (const token of [undefined, "wrong", `${TOKEN}x`, TOKEN.slice(0, -1)]) {
        const res = await t.request(path, { ...init, method, ...(token ? { token } : {}) });
        expect(res.status).toBe(401);
        expect(res.headers.get("www-authenticate")).toBe('Bearer realm="wavs"');
        const error = await errorOf(res);
        expect(error.code).toBe("WAVS_ERR_HTTP_UNAUTHORIZED");
        expect(JSON.stringify(error)).not.toContain(TOKEN);
      }
      // Nothing reached the node.
      expect(t.node.services.size + t.node.devServices.size + t.node.chains.size).toBe(0);
      expect(t.node.components.size).toBe(0);
    },
  );

  it.each(MUTATING)("%s %s: the right token gets through", async (method, path, init) => {
    const t = await startTestServer({ bearerToken: TOKEN });
    const res = await t.request(path, { ...init, method, token: TOKEN });
    // Past auth; the fake node may still refuse (unknown service) but never with a 401.
    expect(res.status).not.toBe(401);
    expect(res.status).toBeLessThan(500);
  });

  it("rejects other schemes and malformed headers", async () => {
    const t = await startTestServer({ bearerToken: TOKEN });
    for (const authorization of [TOKEN, `Basic ${TOKEN}`, `Bearer`, `Bearer ${TOKEN} extra`]) {
      const res = await t.request("/dev/chains", {
        method: "POST",
        headers: { authorization },
        json: { chain: "evm:1", config: {} },
      });
      expect(res.status, authorization).toBe(401);
    }
  });

  it("public reads need no token", async () => {
    const t = await startTestServer({ bearerToken: TOKEN });
    for (const path of [
      "/services",
      "/health",
      "/info",
      "/config",
      "/p2p/status",
      "/metrics",
      "/openapi.json",
      "/docs",
    ]) {
      const res = await t.request(path);
      expect(res.status, path).toBe(200);
    }
  });

  it("no token configured: mutating routes are open", async () => {
    const t = await startTestServer();
    const res = await t.request("/dev/chains", {
      method: "POST",
      json: { chain: "evm:1", config: { type: "evm" } },
    });
    expect(res.status).toBe(200);
  });

  it("bearerMatches compares the token exactly and ignores the scheme's case", () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(undefined, TOKEN)).toBe(false);
    expect(bearerMatches("Bearer ", TOKEN)).toBe(false);
    expect(bearerMatches(`Bearer ${TOKEN.toUpperCase()}`, TOKEN)).toBe(false);
  });
});
