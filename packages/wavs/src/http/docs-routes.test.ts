import { describe, expect, it } from "vitest";
import { startTestServer } from "../../test/helpers/test-server.js";

/** Every route of docs/http-api.md, in OpenAPI path syntax. */
const ROUTES: [string, string][] = [
  ["get", "/services"],
  ["post", "/services"],
  ["delete", "/services"],
  ["get", "/services/{chain}/{address}"],
  ["post", "/services/signer"],
  ["get", "/services/{service_id}/executions"],
  ["get", "/services/{service_id}/submissions"],
  ["get", "/services/{service_id}/aggregations"],
  ["get", "/events/{event_id}"],
  ["get", "/stats/executions"],
  ["get", "/chains"],
  ["get", "/health"],
  ["get", "/info"],
  ["get", "/config"],
  ["get", "/p2p/status"],
  ["get", "/metrics"],
  ["post", "/dev/components"],
  ["post", "/dev/services"],
  ["get", "/dev/services/{hash}"],
  ["post", "/dev/services/{hash}"],
  ["post", "/dev/triggers"],
  ["get", "/dev/kv/{service_id}/{bucket}/{key}"],
  ["post", "/dev/chains"],
  ["post", "/services/{service_id}/status"],
  ["get", "/dev/trigger-streams"],
  ["get", "/dev/kv/{service_id}"],
  ["get", "/dev/fs/{service_id}"],
  ["get", "/dev/fs/{service_id}/{*}"],
  ["get", "/dev/logs"],
  ["get", "/dev/logs/stream"],
];

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { security?: unknown[] }>>;
  components: { securitySchemes: Record<string, unknown> };
}

describe("OpenAPI document and Swagger UI", () => {
  it("GET /openapi.json lists every route, with bearer security on mutating ones", async () => {
    const t = await startTestServer();
    const res = await t.request("/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as OpenApiDoc;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: "http", scheme: "bearer" });
    for (const [method, path] of ROUTES) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      if (method !== "get") expect(op?.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
    }
    // The documentation routes themselves are not listed.
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    expect(listed.sort()).toEqual(ROUTES.map(([m, p]) => `${m} ${p}`).sort());
  });

  it("without dev endpoints the document lists no /dev route", async () => {
    const t = await startTestServer({ devEndpointsEnabled: false });
    const doc = (await (await t.request("/openapi.json")).json()) as OpenApiDoc;
    expect(Object.keys(doc.paths).filter((p) => p.startsWith("/dev"))).toEqual([]);
    expect(doc.paths["/services"]).toBeDefined();
  });

  it("GET /docs serves the Swagger UI page", async () => {
    const t = await startTestServer();
    const res = await t.request("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    // Every script and stylesheet the page loads is served too.
    const assets = [...html.matchAll(/(?:src|href)="(\/docs\/static\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets).toContain("/docs/static/swagger-ui-bundle.js");
    for (const asset of assets) {
      const res = await t.request(asset!);
      expect(res.status, asset).toBe(200);
      // Read each body: an unread one keeps its connection busy until it is collected.
      expect((await res.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
    const json = await t.request("/docs/json");
    expect(json.status).toBe(200);
  });
});
