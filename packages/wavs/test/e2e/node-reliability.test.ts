import { simpleTriggerAbi } from "@wavs-ts/contracts";
import { buildFixture } from "@wavs-ts/sdk";
import { toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { componentJson } from "../../src/devnet/dev-services.js";
import { api, startChainAndHome, uploadComponent, waitUntil } from "../helpers/node-network.js";
import type { NodeProcess } from "../helpers/node-process.js";
import { watFixture } from "../helpers/wat-fixture.js";

const NEW_TRIGGER_TOPIC = "0x86eacd23610d81706516de1ed0476c87772fdf939c7c771fbbd7f0230d619e68";

/** GET /info without what changes with a restart: loading progress and the start time. */
function lasting(info: unknown): Record<string, unknown> {
  const {
    engine: _loading,
    started_at: _started,
    uptime_s: _uptime,
    ...rest
  } = info as Record<string, unknown>;
  return rest;
}

describe("wavs node: persistence, catch-up and exactly-once (real anvil, real node process)", () => {
  let net: Awaited<ReturnType<typeof startChainAndHome>>;
  let node: NodeProcess;
  let serviceId: string;
  let manager: { evm: { chain: string; address: string } };

  async function executions(): Promise<{ id: number; status: string; event_id: string }[]> {
    const all: { id: number; status: string; event_id: string }[] = [];
    let before: number | undefined;
    for (;;) {
      const q = `limit=500${before === undefined ? "" : `&before=${before}`}`;
      const res = (await api(`${node.url}/services/${serviceId}/executions?${q}`, "GET")).json as {
        executions: { id: number; status: string; event_id: string }[];
        next_before: number | null;
      };
      all.push(...res.executions);
      if (res.next_before === null || res.executions.length === 0) return all;
      before = res.next_before;
    }
  }

  beforeAll(async () => {
    net = await startChainAndHome();
    node = await net.startNode();
    const echo = await uploadComponent(node.url, await watFixture("echo"));
    const aggregator = await uploadComponent(node.url, await buildFixture("aggregator-simple"));
    const kvCounter = await uploadComponent(node.url, await buildFixture("kv-counter"));

    manager = { evm: { chain: "evm:31337", address: net.set.serviceManager } };
    const service = {
      name: "reliability",
      workflows: {
        default: {
          trigger: {
            evm_contract_event: {
              address: net.set.trigger,
              chain: "evm:31337",
              event_hash: NEW_TRIGGER_TOPIC,
            },
          },
          component: componentJson(echo),
          submit: {
            aggregator: {
              component: componentJson(aggregator, {
                chain: "evm:31337",
                service_handler: net.set.submit,
              }),
              signature_kind: { algorithm: "secp256k1", prefix: "eip191" },
            },
          },
        },
      },
      status: "active",
      manager,
    };
    (service.workflows as Record<string, unknown>)["kv-counter"] = {
      trigger: "manual",
      component: componentJson(kvCounter),
      submit: "none",
    };
    const stored = await api(`${node.url}/dev/services`, "POST", service);
    expect(stored.status).toBe(200);
    const hash = (stored.json as { hash: string }).hash;
    // the real opt-in path: the manager's URI points at the node's own dev service route
    const { setServiceURI } = await import("@wavs-ts/contracts");
    await setServiceURI(
      net.anvil.clients(0),
      net.set.serviceManager,
      `${node.url}/dev/services/${hash}`,
    );
    const added = await api(`${node.url}/services`, "POST", { service_manager: manager });
    expect(added.status, added.text).toBe(204);
    serviceId = ((await api(`${node.url}/services`, "GET")).json as { service_ids: string[] })
      .service_ids[0]!;
  }, 300_000);

  afterAll(async () => {
    await net?.close(node);
  });

  it("executes and signs each of 200 triggers exactly once across a kill -9", async () => {
    const signerBefore = (
      await api(`${node.url}/services/signer`, "POST", { service_manager: manager })
    ).json;
    const wallet = net.anvil.walletClient(0);
    const emit = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        await wallet.writeContract({
          address: net.set.trigger,
          abi: simpleTriggerAbi,
          functionName: "addTrigger",
          args: [toHex(`trigger ${i}`)],
        });
      }
    };
    await emit(0, 80);
    await node.kill9();
    // triggers keep coming while the node is down
    await emit(80, 140);
    node = await net.startNode();
    await emit(140, 200);
    const done = await waitUntil(async () => {
      const rows = await executions();
      return rows.filter((r) => r.status === "succeeded").length >= 200 ? rows : undefined;
    }, "200 executions");
    expect(done).toHaveLength(200);
    expect(new Set(done.map((r) => r.event_id)).size).toBe(200);
    const submissions = (
      (await api(`${node.url}/services/${serviceId}/submissions?limit=1000`, "GET")).json as {
        submissions: { event_id: string }[];
      }
    ).submissions;
    expect(submissions).toHaveLength(200);
    expect(new Set(submissions.map((s) => s.event_id)).size).toBe(200);
    // the restart kept the service and its key
    const signerAfter = (
      await api(`${node.url}/services/signer`, "POST", { service_manager: manager })
    ).json;
    expect(signerAfter).toEqual(signerBefore);
  }, 300_000);

  it("keeps services, keys, KV and cursors across a clean restart", async () => {
    const fired = await api(`${node.url}/dev/triggers`, "POST", {
      service_id: serviceId,
      workflow_id: "kv-counter",
      data: { raw: "0x6b657074" },
      wait_for_completion: true,
    });
    expect(fired.status, fired.text).toBe(200);
    const kvBefore = await fetch(`${node.url}/dev/kv/${serviceId}/counter/last`);
    expect(Buffer.from(await kvBefore.arrayBuffer()).toString()).toBe("kept");
    const before = (await api(`${node.url}/services`, "GET")).json;
    const infoBefore = (await api(`${node.url}/info`, "GET")).json as {
      started_at: number;
      crypto: unknown;
    };
    // the node (run from its bundle) found the native addons
    expect(infoBefore.crypto).toEqual({ secp256k1: "native", keccak: "native" });
    expect(await node.stop()).toBe(0);
    node = await net.startNode();
    expect((await api(`${node.url}/services`, "GET")).json).toEqual(before);
    // the same keys and services (`engine` says how far loading the components has got), and
    // a new start time
    const infoAfter = (await api(`${node.url}/info`, "GET")).json as { started_at: number };
    expect(lasting(infoAfter)).toEqual(lasting(infoBefore));
    expect(infoAfter.started_at).toBeGreaterThan(infoBefore.started_at);
    // a restarted node loads its services' components ahead of their first run, and says when
    const engine = await waitUntil(async () => {
      const info = (await api(`${node.url}/info`, "GET")).json as {
        engine: { workers: number; components_warming: number };
      };
      return info.engine.components_warming === 0 ? info.engine : undefined;
    }, "components loaded after the restart");
    expect(engine.workers).toBeGreaterThanOrEqual(1);
    const kvAfter = await fetch(`${node.url}/dev/kv/${serviceId}/counter/last`);
    expect(Buffer.from(await kvAfter.arrayBuffer()).toString()).toBe("kept");
    // no trigger is re-executed after the restart: the cursor was kept (200 logs + 1 manual)
    await new Promise((r) => setTimeout(r, 1500));
    expect(await executions()).toHaveLength(201);
  }, 120_000);

  it("answers bad input with the right status and a JSON error", async () => {
    const malformed = await api(`${node.url}/dev/services`, "POST", {
      name: "x",
      workflows: {},
      status: "sleeping",
      manager,
    });
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.json)).toMatch(/status/);
    const unknown = await api(
      `${node.url}/services/evm:31337/0x0000000000000000000000000000000000000001`,
      "GET",
    );
    expect(unknown.status).toBe(404);
    const duplicate = await api(`${node.url}/services`, "POST", { service_manager: manager });
    expect(duplicate.status).toBe(409);
    const noToken = await api(
      `${node.url}/services`,
      "POST",
      { service_manager: manager },
      { token: null },
    );
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get("www-authenticate")).toBe('Bearer realm="wavs"');
    const wrongToken = await api(
      `${node.url}/services`,
      "POST",
      { service_manager: manager },
      { token: "nope" },
    );
    expect(wrongToken.status).toBe(401);
    const huge = await api(`${node.url}/dev/services`, "POST", `{"pad":"${"a".repeat(16 << 20)}"}`);
    expect(huge.status).toBe(413);
    expect((huge.json as { error: { code: string } }).error.code).toBeTypeOf("string");
  }, 60_000);
});
