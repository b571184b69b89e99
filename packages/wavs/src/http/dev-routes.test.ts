import { describe, expect, it } from "vitest";
import {
  EVM_ADDRESS,
  serviceJsonWith,
  specExampleJson,
} from "../../test/helpers/service-fixtures.js";
import { errorOf, startTestServer } from "../../test/helpers/test-server.js";
import { serviceId } from "../ids/index.js";

const SERVICE_ID = serviceId({ type: "evm", chain: "evm:31337", address: EVM_ADDRESS });
const WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);

/** Register a one-workflow manual service through the dev routes; returns its service id. */
async function registerManualService(t: Awaited<ReturnType<typeof startTestServer>>) {
  const json = {
    ...serviceJsonWith({ id: "wf1" }),
    manager: { evm: { chain: "evm:31337", address: EVM_ADDRESS } },
  };
  const { hash } = (await (await t.request("/dev/services", { method: "POST", json })).json()) as {
    hash: string;
  };
  expect((await t.request(`/dev/services/${hash}`, { method: "POST" })).status).toBe(204);
  return SERVICE_ID;
}

describe("dev routes", () => {
  it("uploads raw component bytes and answers the digest", async () => {
    const t = await startTestServer();
    for (const type of ["application/wasm", "application/octet-stream"]) {
      const res = await t.request("/dev/components", {
        method: "POST",
        headers: { "content-type": type },
        body: WASM,
      });
      expect(res.status).toBe(200);
      const { digest } = (await res.json()) as { digest: string };
      expect(digest).toMatch(/^[0-9a-f]{64}$/);
      expect(t.node.components.get(digest)).toEqual(WASM);
    }
  });

  it("refuses component bytes sent as JSON (415), empty (400) or not wasm (400)", async () => {
    const t = await startTestServer();
    const asJson = await t.request("/dev/components", { method: "POST", json: [0, 97, 115, 109] });
    expect(asJson.status).toBe(415);
    expect((await errorOf(asJson)).code).toBe("WAVS_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE");

    const empty = await t.request("/dev/components", {
      method: "POST",
      headers: { "content-type": "application/wasm" },
      body: new Uint8Array(),
    });
    expect(empty.status).toBe(400);

    const notWasm = await t.request("/dev/components", {
      method: "POST",
      headers: { "content-type": "application/wasm" },
      body: new TextEncoder().encode("hello"),
    });
    expect(notWasm.status).toBe(400);
    expect((await errorOf(notWasm)).code).toBe("WAVS_ERR_COMPONENT_INVALID");
  });

  it("stores a service JSON, serves it back and registers it", async () => {
    const t = await startTestServer();
    const stored = await t.request("/dev/services", { method: "POST", json: specExampleJson() });
    expect(stored.status).toBe(200);
    const { hash } = (await stored.json()) as { hash: string };

    const served = await t.request(`/dev/services/${hash}`);
    expect(served.status).toBe(200);
    expect(await served.json()).toEqual(specExampleJson());

    const add = await t.request(`/dev/services/${hash}`, { method: "POST" });
    expect(add.status).toBe(204);
    expect(t.node.services.has(SERVICE_ID)).toBe(true);

    const again = await t.request(`/dev/services/${hash}`, { method: "POST" });
    expect(again.status).toBe(409);
  });

  it("refuses a malformed service JSON with a 400 naming the field", async () => {
    const t = await startTestServer();
    const json = specExampleJson();
    json.status = "sleeping";
    const res = await t.request("/dev/services", { method: "POST", json });
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe("WAVS_ERR_SERVICE_INVALID");
    expect(error.message).toMatch(/^status: 'sleeping' is not one of active, paused/);
    expect(t.node.devServices.size).toBe(0);
  });

  it("404 for an unknown stored service", async () => {
    const t = await startTestServer();
    expect((await t.request(`/dev/services/${"0".repeat(64)}`)).status).toBe(404);
    expect((await t.request(`/dev/services/${"0".repeat(64)}`, { method: "POST" })).status).toBe(
      404,
    );
  });

  describe("/dev/triggers", () => {
    it.each([
      ["snake_case", { raw: "0x6869" }],
      ["PascalCase", { Raw: [104, 105] }],
    ])("accepts %s trigger data", async (_form, data) => {
      const t = await startTestServer();
      const id = await registerManualService(t);
      const res = await t.request("/dev/triggers", {
        method: "POST",
        json: { service_id: id, workflow_id: "wf1", trigger: "manual", data },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({});
      expect(t.node.fired).toHaveLength(1);
      const fired = t.node.fired[0]!;
      expect(fired).toMatchObject({ serviceId: id, workflowId: "wf1", count: 1 });
      expect(fired.waitForCompletion).toBe(false);
      expect(fired.trigger).toEqual({ type: "manual" });
      expect(fired.data).toEqual({ type: "raw", data: new Uint8Array([104, 105]) });
    });

    it("accepts an EvmContractEvent as WAVS writes it", async () => {
      const t = await startTestServer();
      const id = await registerManualService(t);
      const data = {
        EvmContractEvent: {
          chain: "evm:31337",
          contract_address: `0x${"ab".repeat(20)}`,
          log_data: { topics: [`0x${"11".repeat(32)}`], data: "0x6869" },
          tx_hash: `0x${"22".repeat(32)}`,
          block_number: 7,
          log_index: 1,
          block_hash: `0x${"33".repeat(32)}`,
          block_timestamp: null,
          tx_index: 0,
        },
      };
      const res = await t.request("/dev/triggers", {
        method: "POST",
        json: { service_id: id, workflow_id: "wf1", trigger: "manual", data },
      });
      expect(res.status).toBe(200);
      expect(t.node.fired[0]?.data).toMatchObject({
        type: "evm_contract_event",
        chain: "evm:31337",
        log: { block_number: 7n, log_index: 1n, data: { data: Uint8Array.of(104, 105) } },
      });
    });

    it("accepts PascalCase cron data and passes count and wait_for_completion", async () => {
      const t = await startTestServer();
      const id = await registerManualService(t);
      const res = await t.request("/dev/triggers", {
        method: "POST",
        json: {
          service_id: id,
          workflow_id: "wf1",
          trigger: "manual",
          data: { Cron: { trigger_time: 123 } },
          count: 3,
          wait_for_completion: true,
        },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ executions: 3 });
      expect(t.node.fired[0]).toMatchObject({ count: 3, waitForCompletion: true });
      expect(t.node.fired[0]?.data.type).toBe("cron");
    });

    it.each([
      [{ data: { Rawr: [1] } }, /^data: /],
      [{ data: { cron: { trigger_time: "soon" } } }, /^data\.cron\.trigger_time: /],
      [{ data: undefined }, /^data: missing \(required\)$/],
      [{ trigger: { cronn: {} } }, /^trigger: /],
      [{ count: 0 }, /^count: 0 must be >= 1$/],
      [{ count: "2" }, /^count: expected an integer, found '2'$/],
      [{ wait_for_completion: "yes" }, /^wait_for_completion: expected true or false/],
      [{ service_id: "abc" }, /^service_id: 'abc' is not a service id \(64 lowercase hex/],
      [{ workflow_id: "A!" }, /^workflow_id: 'A!' is not a workflow id/],
      [{ extra: 1 }, /^extra: unknown field$/],
    ])("400 for %j", async (change, message) => {
      const t = await startTestServer();
      const body: Record<string, unknown> = {
        service_id: SERVICE_ID,
        workflow_id: "wf1",
        trigger: "manual",
        data: { raw: "0x00" },
        ...change,
      };
      const res = await t.request("/dev/triggers", { method: "POST", json: body });
      expect(res.status).toBe(400);
      expect((await errorOf(res)).message).toMatch(message);
      expect(t.node.fired).toHaveLength(0);
    });

    it("404 for an unknown service or workflow", async () => {
      const t = await startTestServer();
      const body = { service_id: SERVICE_ID, workflow_id: "wf1", data: { raw: "0x00" } };
      const unknownService = await t.request("/dev/triggers", { method: "POST", json: body });
      expect(unknownService.status).toBe(404);
      await registerManualService(t);
      const unknownWorkflow = await t.request("/dev/triggers", {
        method: "POST",
        json: { ...body, workflow_id: "nope" },
      });
      expect(unknownWorkflow.status).toBe(404);
    });
  });

  it("serves raw KV bytes, 404 for a missing key", async () => {
    const t = await startTestServer();
    const bytes = new Uint8Array([0, 1, 2, 255, 254]);
    t.node.kv.set(`${SERVICE_ID}/default/counter`, bytes);
    const res = await t.request(`/dev/kv/${SERVICE_ID}/default/counter`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);

    const missing = await t.request(`/dev/kv/${SERVICE_ID}/default/other`);
    expect(missing.status).toBe(404);
    expect(await errorOf(missing)).toMatchObject({
      code: "WAVS_ERR_HTTP_NOT_FOUND",
      message: `no value at key 'other' in bucket 'default' of service ${SERVICE_ID}`,
    });
  });

  it("adds a chain; a bad chain key is a 400", async () => {
    const t = await startTestServer();
    const config = { type: "evm", chain_id: "1337", ws_endpoints: [], http_endpoint: "http://x" };
    const res = await t.request("/dev/chains", {
      method: "POST",
      json: { chain: "evm:1337", config },
    });
    expect(res.status).toBe(200);
    expect(t.node.chains.get("evm:1337")).toEqual(config);

    const bad = await t.request("/dev/chains", { method: "POST", json: { chain: "1337", config } });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toMatch(/^chain: '1337' is not a chain key/);
  });

  it("does not exist when dev endpoints are disabled", async () => {
    const t = await startTestServer({ devEndpointsEnabled: false });
    const requests: [string, RequestInit][] = [
      [
        "/dev/components",
        { method: "POST", body: WASM, headers: { "content-type": "application/wasm" } },
      ],
      ["/dev/services", { method: "POST" }],
      [`/dev/services/${"0".repeat(64)}`, {}],
      [`/dev/services/${"0".repeat(64)}`, { method: "POST" }],
      ["/dev/triggers", { method: "POST" }],
      [`/dev/kv/${SERVICE_ID}/default/k`, {}],
      ["/dev/chains", { method: "POST" }],
    ];
    for (const [path, init] of requests) {
      const res = await t.request(path, init);
      expect(res.status, `${init.method ?? "GET"} ${path}`).toBe(404);
      const error = await errorOf(res);
      expect(error.code).toBe("WAVS_ERR_HTTP_NOT_FOUND");
      expect(error.hint).toMatch(/dev_endpoints_enabled/);
    }
    expect(t.node.components.size).toBe(0);
  });
});
