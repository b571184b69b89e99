import { describe, expect, it } from "vitest";
import { specExampleJson } from "../../test/helpers/service-fixtures.js";
import { errorOf, startTestServer } from "../../test/helpers/test-server.js";
import { REDACTED } from "../config/index.js";
import { healthJson } from "./status-routes.js";

describe("status routes", () => {
  it("GET /health reports every chain healthy with a timestamp", async () => {
    const t = await startTestServer();
    t.node.chainHealth = { "evm:31337": { ok: true }, "evm:1": { ok: true } };
    const before = Math.floor(Date.now() / 1000);
    const res = await t.request("/health");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { timestamp: number; chains: unknown };
    expect(body.chains).toEqual({ "evm:31337": "healthy", "evm:1": "healthy" });
    expect(body.timestamp).toBeGreaterThanOrEqual(before);
  });

  it("GET /health is 503 with the error when a chain is unhealthy", async () => {
    const t = await startTestServer();
    t.node.chainHealth = {
      "evm:31337": { ok: true },
      "evm:1": { ok: false, error: "connection refused" },
    };
    const res = await t.request("/health");
    expect(res.status).toBe(503);
    expect(((await res.json()) as { chains: unknown }).chains).toEqual({
      "evm:31337": "healthy",
      "evm:1": { unhealthy: { error: "connection refused" } },
    });
  });

  it("renders health with a __proto__ chain key as data", () => {
    const report = JSON.parse('{"__proto__": {"ok": true}}') as Record<string, { ok: true }>;
    const { body, healthy } = healthJson(report, new Date(5000));
    expect(healthy).toBe(true);
    expect(body.timestamp).toBe(5);
    expect(Object.keys(body.chains)).toEqual(["__proto__"]);
  });

  it("GET /info answers version, operator address and per-service signers", async () => {
    const t = await startTestServer();
    const manager = t.node.publish(specExampleJson());
    await t.node.addService(manager);
    const res = await t.request("/info");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { services: { service_id: string; signer: string }[] };
    expect(body).toMatchObject({
      version: "0.1.0-test",
      operator_address: "0x00000000000000000000000000000000000000aa",
      engine: { workers: 2, components_warming: 1 },
      crypto: { secp256k1: "native", keccak: "js" },
    });
    expect(body.services).toHaveLength(1);
    expect(body.services[0]?.signer).toMatch(/^0x[0-9a-f]{40}$/);
  });

  it("GET /info says since when the node runs and which other operators its dashboard shows", async () => {
    const t = await startTestServer();
    const uptime = () => Math.floor((Date.now() - 1_700_000_000_000) / 1000);
    // the request may cross a second boundary: the answer lies between the two readings
    const before = uptime();
    const body = (await (await t.request("/info")).json()) as Record<string, unknown>;
    const after = uptime();
    expect(body.started_at).toBe(1_700_000_000_000);
    expect(body.uptime_s).toBeGreaterThanOrEqual(before);
    expect(body.uptime_s).toBeLessThanOrEqual(after);
    expect(body.dashboard_peers).toEqual(["http://127.0.0.1:1"]);
  });

  it("GET /stats/executions counts finished executions per bucket and per service", async () => {
    const t = await startTestServer();
    const now = 1_800_000_030_000;
    t.node.now = () => now;
    const base = {
      workflow_id: "w",
      event_id: `0x${"00".repeat(20)}`,
      trigger_type: "manual",
      trigger_data: null,
      error_code: null,
      error_message: null,
      fuel_used: null,
      queued_at: 0,
      started_at: 0,
      attempts: 1,
      logs: [],
      responses: [],
    };
    const s = "a".repeat(64);
    t.node.executions.push(
      {
        ...base,
        id: 1,
        service_id: s,
        status: "succeeded",
        duration_ms: 4,
        finished_at: now - 5_000,
      },
      {
        ...base,
        id: 2,
        service_id: s,
        status: "failed",
        duration_ms: 8,
        finished_at: now - 15_000,
      },
      {
        ...base,
        id: 3,
        service_id: s,
        status: "failed",
        duration_ms: 8,
        finished_at: now - 3_600_000,
      },
    );
    const res = await t.request("/stats/executions?window_s=60&bucket_s=10");
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      buckets: { succeeded: number; failed: number }[];
      services: unknown[];
      bucket_s: number;
    };
    expect(body.bucket_s).toBe(10);
    expect(body.buckets).toHaveLength(6);
    expect(body.buckets.reduce((n, b) => n + b.succeeded, 0)).toBe(1);
    expect(body.buckets.reduce((n, b) => n + b.failed, 0)).toBe(1);
    expect(body.services).toEqual([{ service_id: s, succeeded: 1, failed: 1, avg_ms: 6 }]);
  });

  it("GET /stats/executions refuses a window of too many buckets, saying which parameter", async () => {
    const t = await startTestServer();
    const res = await t.request("/stats/executions?window_s=86400&bucket_s=1");
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe("WAVS_ERR_INPUT_INVALID");
    expect(error.message).toContain("bucket_s");
    expect((await t.request("/stats/executions?window_s=999999999")).status).toBe(400);
    expect((await t.request("/stats/executions?window_s=-1")).status).toBe(400);
  });

  it("GET /chains lists the watched chains", async () => {
    const t = await startTestServer();
    const res = await t.request("/chains");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ chains: [] });
  });

  it("GET /config answers the redacted config and never the secret", async () => {
    const secret = "test test test test test test test test test test test junk";
    const config = { port: 8000, signing_mnemonic: secret, bearer_token: "s3cret-token" };
    const t = await startTestServer(
      {},
      {
        redactedConfig: () => ({
          ...config,
          signing_mnemonic: REDACTED,
          bearer_token: REDACTED,
        }),
      },
    );
    const res = await t.request("/config");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      port: 8000,
      signing_mnemonic: "[redacted]",
      bearer_token: "[redacted]",
    });
    expect(text).not.toContain("junk");
    expect(text).not.toContain("s3cret");
  });

  it("GET /p2p/status answers the node's status", async () => {
    const t = await startTestServer();
    const res = await t.request("/p2p/status");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ enabled: false });
  });

  it("GET /metrics answers Prometheus text with the node's metrics", async () => {
    const t = await startTestServer();
    t.metrics.executionFinished({
      serviceId: "s1",
      workflowId: "w1",
      status: "succeeded",
      durationSeconds: 0.02,
    });
    t.metrics.triggerFired({ serviceId: "s1", workflowId: "w1", triggerType: "cron" });
    t.metrics.setQueueDepth("engine", 3);
    await t.request("/health");
    const res = await t.request("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    for (const name of [
      "wavs_executions_total",
      "wavs_execution_duration_seconds",
      "wavs_triggers_fired_total",
      "wavs_errors_total",
      "wavs_queue_depth",
      "wavs_submissions_total",
    ]) {
      expect(text).toContain(`# TYPE ${name}`);
    }
    expect(text).toContain(
      'wavs_executions_total{service_id="s1",workflow_id="w1",status="succeeded"} 1',
    );
    expect(text).toContain('wavs_queue_depth{queue="engine"} 3');
    expect(text).toContain('wavs_http_requests_total{method="GET",route="/health",status="200"} 1');
  });
});
