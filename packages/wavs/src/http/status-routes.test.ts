import { describe, expect, it } from "vitest";
import { specExampleJson } from "../../test/helpers/service-fixtures.js";
import { startTestServer } from "../../test/helpers/test-server.js";
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
    });
    expect(body.services).toHaveLength(1);
    expect(body.services[0]?.signer).toMatch(/^0x[0-9a-f]{40}$/);
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
