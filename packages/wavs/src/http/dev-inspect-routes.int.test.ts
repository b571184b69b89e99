// The dev routes that look inside a node, against a real node in process (real anvil, real
// engine, real components, real HTTP on 127.0.0.1): trigger streams, KV keys, files, logs
// (recent and live), pause/resume, adding a chain while running, WAVS's doc paths.
import { get as httpGet } from "node:http";
import {
  type Anvil,
  deployContract,
  simpleTriggerAbi,
  simpleTriggerBytecode,
  startAnvil,
} from "@wavs-ts/contracts";
import { buildFixture } from "@wavs-ts/sdk";
import { type Address, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  registerService,
  startTestNode,
  type TestNode,
  uploadComponents,
} from "../../test/helpers/aggregator-harness.js";
import { TEST_MNEMONIC } from "../../test/helpers/node-network.js";
import { NEW_TRIGGER_TOPIC } from "../../test/helpers/operator-network.js";
import { waitUntil } from "../../test/helpers/wait-until.js";
import { componentJson } from "../devnet/dev-services.js";
import { LogBuffer } from "../internal/log-buffer.js";

describe("dev inspection routes (real node, real anvil)", () => {
  let anvil: Anvil;
  let other: Anvil;
  let t: TestNode;
  const logs = new LogBuffer();
  let serviceId = "";
  let triggerAddress: Address;
  const digests: Record<string, string> = {};

  const get = (path: string) => fetch(`${t.url}${path}`);
  /** A GET whose path is sent exactly as written. */
  const rawGet = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const { hostname, port } = new URL(t.url);
      const req = httpGet({ host: hostname, port: Number(port), path }, (res) => {
        let body = "";
        res.on("data", (d: Buffer) => {
          body += d.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
    });
  const post = (path: string, body: unknown) =>
    fetch(`${t.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const executions = async (workflow: string) => {
    const res = await get(`/services/${serviceId}/executions?limit=1000`);
    const body = (await res.json()) as {
      executions: { workflow_id: string; status: string; event_id: string }[];
    };
    return body.executions.filter((e) => e.workflow_id === workflow);
  };
  const fire = (workflow: string, input: string) =>
    post("/dev/triggers", {
      service_id: serviceId,
      workflow_id: workflow,
      data: { Raw: [...Buffer.from(input)] },
      wait_for_completion: true,
    });
  const emit = async (chainAnvil: Anvil, address: Address, input: string) => {
    const wallet = chainAnvil.walletClient(0);
    const receipt = await chainAnvil.publicClient().waitForTransactionReceipt({
      hash: await wallet.writeContract({
        address,
        abi: simpleTriggerAbi,
        functionName: "addTrigger",
        args: [toHex(input)],
      }),
    });
    return receipt.blockNumber;
  };

  beforeAll(async () => {
    [anvil, other] = await Promise.all([startAnvil(), startAnvil({ chainId: 4242 })]);
    t = await startTestNode({ anvil, logs });
    const names = ["kv-counter", "fs-escape", "echo"] as const;
    const uploaded = await uploadComponents(
      t,
      await Promise.all(names.map((n) => buildFixture(n))),
    );
    for (const [i, n] of names.entries()) digests[n] = uploaded[i]!;
    triggerAddress = await deployContract(
      anvil.clients(0),
      simpleTriggerAbi,
      simpleTriggerBytecode,
      [],
    );
    const files = componentJson(digests["fs-escape"]!);
    ({ serviceId } = await registerService(t, "0x00000000000000000000000000000000000000d1", {
      "kv-wf": {
        trigger: "manual",
        component: componentJson(digests["kv-counter"]!),
        submit: "none",
      },
      "fs-wf": {
        trigger: "manual",
        component: { ...files, permissions: { file_system: true } },
        submit: "none",
      },
      "evm-wf": {
        trigger: {
          evm_contract_event: {
            address: triggerAddress,
            chain: "evm:31337",
            event_hash: NEW_TRIGGER_TOPIC,
          },
        },
        component: componentJson(digests.echo!),
        submit: "none",
      },
    }));
  }, 300_000);

  afterAll(async () => {
    await t?.close();
    await Promise.all([anvil?.stop(), other?.stop()]);
  });

  it("GET /dev/kv/{service_id} lists the keys a component stored, a page at a time", async () => {
    expect((await fire("kv-wf", "first")).status).toBe(200);
    const all = (await (await get(`/dev/kv/${serviceId}`)).json()) as {
      keys: { bucket: string; key: string }[];
      cursor: string | null;
    };
    expect(all).toEqual({ keys: [{ bucket: "counter", key: "last" }], cursor: null });
    // the stored value is there too, byte for byte
    expect(await (await get(`/dev/kv/${serviceId}/counter/last`)).text()).toBe("first");
    const bad = await get(`/dev/kv/${serviceId}?cursor=nonsense`);
    expect(bad.status).toBe(400);
    expect(await get(`/dev/kv/${"ab".repeat(32)}`).then((r) => r.status)).toBe(404);
  });

  it("GET /dev/fs/{service_id}[/{path}] serves the service's files read-only, nothing outside", async () => {
    expect((await fire("fs-wf", "x")).status).toBe(200);
    const root = (await (await get(`/dev/fs/${serviceId}`)).json()) as {
      entries: { name: string; type: string; size: number }[];
    };
    expect(root.entries).toContainEqual({ name: "ok.txt", type: "file", size: 18 });
    const file = await get(`/dev/fs/${serviceId}/ok.txt`);
    expect(file.status).toBe(200);
    expect(await file.text()).toBe("ok from fs-escape\n");
    // escapes, sent as they are (fetch would resolve the dots before sending)
    for (const path of ["../../wavs.db", "%2e%2e/%2e%2e/wavs.db", "sub/../../x"]) {
      const refused = await rawGet(`/dev/fs/${serviceId}/${path}`);
      expect(refused.status, path).toBe(400);
      expect((JSON.parse(refused.body) as { error: { code: string } }).error.code).toBe(
        "WAVS_ERR_INPUT_INVALID",
      );
    }
    expect((await get(`/dev/fs/${serviceId}/missing.txt`)).status).toBe(404);
  });

  it("GET /dev/logs and /dev/logs/stream: the node's lines, filtered, live, with no secret", async () => {
    const recent = (await (await get(`/dev/logs?level=debug&service_id=${serviceId}`)).json()) as {
      logs: { service_id?: string; msg: string }[];
    };
    expect(recent.logs.length).toBeGreaterThan(0);
    expect(recent.logs.every((l) => l.service_id === serviceId)).toBe(true);
    const controller = new AbortController();
    const stream = await fetch(`${t.url}/dev/logs/stream?level=debug&service_id=${serviceId}`, {
      signal: controller.signal,
    });
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = stream.body!.getReader();
    let text = "";
    const before = logs.recent({}, 5000).at(-1)?.seq ?? 0;
    await fire("kv-wf", "streamed");
    // a line logged after the stream opened arrives as an event
    await waitUntil(async () => {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
      const seqs = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
      return seqs.some((s) => s > before) ? true : undefined;
    }, "a live log event");
    controller.abort();
    const everything = JSON.stringify(await (await get("/dev/logs?level=trace&limit=1000")).json());
    expect(everything).not.toContain(TEST_MNEMONIC.split(" ").slice(0, 3).join(" "));
    expect(text).not.toContain(TEST_MNEMONIC.split(" ").slice(0, 3).join(" "));
  });

  it("POST /services/{service_id}/status pauses and resumes: a trigger while paused fires nothing", async () => {
    const paused = await post(`/services/${serviceId}/status`, { status: "paused" });
    expect(paused.status).toBe(200);
    expect(await paused.json()).toEqual({ service_id: serviceId, status: "paused" });
    const pausedBlock = await emit(anvil, triggerAddress, "while-paused");
    // the node has processed that block (while paused) before it resumes
    await waitUntil(async () => {
      const { streams } = (await (await get("/dev/trigger-streams")).json()) as {
        streams: { chain: string; cursor: number | null }[];
      };
      const cursor = streams.find((x) => x.chain === "evm:31337")?.cursor ?? -1;
      return cursor >= Number(pausedBlock) ? true : undefined;
    }, "the paused block processed");
    expect((await post(`/services/${serviceId}/status`, { status: "active" })).status).toBe(200);
    await emit(anvil, triggerAddress, "after-resume");
    // the later trigger ran: the earlier block was behind the node by then
    const runs = await waitUntil(async () => {
      const e = await executions("evm-wf");
      return e.some((x) => x.status === "succeeded") ? e : undefined;
    }, "the trigger after resume executed");
    expect(runs).toHaveLength(1);
    expect((await post(`/services/${serviceId}/status`, { status: "asleep" })).status).toBe(400);
    expect((await post(`/services/${"cd".repeat(32)}/status`, { status: "paused" })).status).toBe(
      404,
    );
  });

  it("GET /dev/trigger-streams shows the watched chains; POST /dev/chains really adds one", async () => {
    const before = (await (await get("/dev/trigger-streams")).json()) as {
      streams: {
        chain: string;
        healthy: boolean;
        head: number | null;
        cursor: number | null;
        lag: number | null;
      }[];
    };
    const main = before.streams.find((s) => s.chain === "evm:31337");
    expect(main).toMatchObject({ healthy: true });
    expect(main!.head).toBeGreaterThanOrEqual(main!.cursor ?? 0);

    const config = {
      type: "evm",
      chain_id: "4242",
      http_endpoint: other.rpcUrl,
      poll_interval_ms: 100,
    };
    const added = await post("/dev/chains", { chain: "evm:4242", config });
    expect(added.status).toBe(200);
    expect(await added.json()).toEqual({ added: true });
    // the same again changes nothing; other settings are refused
    expect(await (await post("/dev/chains", { chain: "evm:4242", config })).json()).toEqual({
      added: false,
    });
    const clash = await post("/dev/chains", {
      chain: "evm:4242",
      config: { ...config, poll_interval_ms: 5000 },
    });
    expect(clash.status).toBe(409);
    const wrongType = await post("/dev/chains", { chain: "evm:7", config: { type: "cosmos" } });
    expect(wrongType.status).toBe(400);

    // a service triggered on the new chain runs
    const remote = await deployContract(
      other.clients(0),
      simpleTriggerAbi,
      simpleTriggerBytecode,
      [],
    );
    const second = await registerService(t, "0x00000000000000000000000000000000000000d2", {
      "on-new-chain": {
        trigger: {
          evm_contract_event: { address: remote, chain: "evm:4242", event_hash: NEW_TRIGGER_TOPIC },
        },
        component: componentJson(digests.echo!),
        submit: "none",
      },
    });
    await emit(other, remote, "hello 4242");
    await waitUntil(async () => {
      const res = await get(`/services/${second.serviceId}/executions`);
      const body = (await res.json()) as { executions: { status: string }[] };
      return body.executions.some((e) => e.status === "succeeded") ? true : undefined;
    }, "an execution triggered on the added chain");
    const streams = (await (await get("/dev/trigger-streams")).json()) as {
      streams: { chain: string }[];
    };
    expect(streams.streams.map((s) => s.chain)).toContain("evm:4242");
  });

  it("serves WAVS's doc paths: /api-docs/openapi.json and /swagger-ui", async () => {
    const doc = await get("/api-docs/openapi.json");
    expect(doc.status).toBe(200);
    expect(((await doc.json()) as { openapi: string }).openapi).toBe("3.0.3");
    const ui = await fetch(`${t.url}/swagger-ui`, { redirect: "manual" });
    expect(ui.status).toBe(302);
    expect(ui.headers.get("location")).toBe("/docs");
  });
});
