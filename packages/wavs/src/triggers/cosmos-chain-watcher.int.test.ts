import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startTestCosmos,
  type TestCosmos,
  WASMD_HOOK_TIMEOUT,
} from "../../test/helpers/cosmos-harness.js";
import {
  collector,
  onCleanup,
  startTcpProxy,
  tempDb,
  waitUntil,
} from "../../test/helpers/triggers-harness.js";
import { WavsConfigSchema } from "../config/index.js";
import { silentLogger } from "../internal/logger.js";
import type { Trigger } from "../service/trigger.js";
import type { Db } from "../store/database.js";
import type { TriggerEvent } from "./trigger-event.js";
import { createTriggerManager } from "./trigger-manager.js";

const SERVICE = "cc".repeat(32);

let cosmos: TestCosmos;
beforeAll(async () => {
  cosmos = await startTestCosmos("wasmd-watch");
}, WASMD_HOOK_TIMEOUT);
afterAll(async () => {
  await cosmos?.stop();
});

const eventTrigger = (eventType = "new-message"): Trigger => ({
  type: "cosmos_contract_event",
  address: cosmos.trigger,
  chain: cosmos.key,
  event_type: eventType,
});

function config(rpcUrl: string, extra: Record<string, unknown> = {}) {
  return WavsConfigSchema.parse({
    chains: {
      cosmos: {
        [cosmos.chain.chainId]: {
          bech32_prefix: "wasm",
          rpc_endpoint: rpcUrl,
          gas_price: 0,
          gas_denom: "ustake",
          poll_interval_ms: 100,
          ...extra,
        },
      },
    },
  });
}

function watch(db: Db, workflows: [string, Trigger][], rpcUrl = cosmos.chain.rpcUrl, extra = {}) {
  const seen = collector();
  const manager = createTriggerManager({
    db,
    logger: silentLogger(),
    config: config(rpcUrl, extra),
    onEvent: seen.onEvent,
    rpc: { initialBackoffMs: 20, maxBackoffMs: 200, requestTimeoutMs: 3000 },
  });
  onCleanup(() => manager.stop());
  manager.setWorkflows(SERVICE, new Map(workflows), true);
  const status = () => manager.chainStatus()[cosmos.key];
  return { seen, manager, status };
}

/** The `id` attributes (message numbers) of contract events, in delivery order. */
const ids = (events: readonly TriggerEvent[]) =>
  events.flatMap((e) =>
    e.data.type === "cosmos_contract_event"
      ? [Number(e.data.event.attributes.find(([k]) => k === "id")?.[1])]
      : [],
  );

/** The events of a block as CometBFT lists them (transactions', then the block's own). */
async function blockEvents(height: number): Promise<{ type: string }[]> {
  const res = await fetch(`${cosmos.chain.rpcUrl}/block_results?height=${height}`);
  const { result } = (await res.json()) as {
    result: {
      txs_results?: { events: { type: string }[] }[];
      finalize_block_events?: { type: string }[];
    };
  };
  return [
    ...(result.txs_results ?? []).flatMap((t) => t.events),
    ...(result.finalize_block_events ?? []),
  ];
}

describe("Cosmos chain watcher (real wasmd)", () => {
  it("delivers a contract event with the spec's trigger data, over the WebSocket subscription", async () => {
    const { db } = tempDb();
    const { seen, manager, status } = watch(db, [["default", eventTrigger()]]);
    await manager.start();
    await waitUntil(() => status()?.cursor !== undefined && status()?.mode === "ws", 20_000, "ws");
    const { height } = await cosmos.emit(1, "c0ffee");
    await seen.waitFor((events) => events.length === 1);
    const data = seen.events[0]?.data;
    if (data?.type !== "cosmos_contract_event") throw new Error(`unexpected ${data?.type}`);
    expect(data.chain).toBe(cosmos.key);
    expect(data.contract_address).toEqual({ bech32_addr: cosmos.trigger, prefix_len: 4 });
    expect(data.event.ty).toBe("wasm-new-message");
    expect(data.event.attributes).toEqual([
      ["_contract_address", cosmos.trigger],
      ["id", expect.any(String)],
      ["data", "c0ffee"],
      ["msg_index", "0"],
    ]);
    expect(data.block_height).toBe(BigInt(height));
    // event_index is the event's position among the block's events
    const events = await blockEvents(height);
    expect(events[Number(data.event_index)]?.type).toBe("wasm-new-message");
    expect(events.filter((e) => e.type === "wasm-new-message")).toHaveLength(1);
  });

  it("matches the event type with or without the wasm- prefix, and only that contract's", async () => {
    const { db } = tempDb();
    const { seen, manager, status } = watch(db, [
      ["prefixed", eventTrigger("wasm-new-message")],
      ["other-type", eventTrigger("other-message")],
      ["other-contract", { ...eventTrigger(), address: cosmos.wallet.address } as Trigger],
    ]);
    await manager.start();
    await waitUntil(() => status()?.cursor !== undefined, 20_000, "the first cursor");
    await cosmos.emit(2);
    await seen.waitFor((events) => events.length >= 2);
    // the two messages of one transaction: same height, ascending event_index
    expect(seen.events.map((e) => e.workflowId)).toEqual(["prefixed", "prefixed"]);
    const [a, b] = seen.events.map((e) => e.data);
    if (a?.type !== "cosmos_contract_event" || b?.type !== "cosmos_contract_event")
      throw new Error();
    expect(a.block_height).toBe(b.block_height);
    expect(a.event_index < b.event_index).toBe(true);
  });

  it("fires a block-interval trigger at the right heights", async () => {
    const { db } = tempDb();
    const head = Number(
      (
        (await (await fetch(`${cosmos.chain.rpcUrl}/status`)).json()) as {
          result: { sync_info: { latest_block_height: string } };
        }
      ).result.sync_info.latest_block_height,
    );
    const start = head + 3;
    const interval: Trigger = {
      type: "block_interval",
      chain: cosmos.key,
      n_blocks: 3,
      start_block: BigInt(start),
      end_block: BigInt(start + 9),
    };
    const { seen, manager } = watch(db, [["tick", interval]]);
    await manager.start();
    await seen.waitFor((events) => events.length >= 4, 30_000);
    const heights = seen.events.map((e) =>
      e.data.type === "block_interval" ? Number(e.data.block_height) : -1,
    );
    expect(heights).toEqual([start, start + 3, start + 6, start + 9]);
    expect(
      seen.events.every((e) => e.data.type === "block_interval" && e.data.chain === cosmos.key),
    ).toBe(true);
  });

  it("catches up on 50 events emitted while stopped, each once, in order", async () => {
    const store = tempDb();
    const first = watch(store.db, [["default", eventTrigger()]]);
    await first.manager.start();
    await waitUntil(() => first.status()?.cursor !== undefined, 20_000, "the first cursor");
    const { height: before } = await cosmos.emit(1);
    await first.seen.waitFor((events) => events.length === 1);
    await first.manager.stop();
    // 50 events over several blocks while nothing watches
    const emitted: number[] = [];
    for (let i = 0; i < 5; i++) emitted.push((await cosmos.emit(10)).height);
    const second = watch(store.reopen(), [["default", eventTrigger()]], cosmos.chain.rpcUrl, {
      max_block_range: 7,
    });
    await second.manager.start();
    await second.seen.waitFor((events) => events.length >= 50, 30_000);
    const got = ids(second.seen.events);
    const firstId = ids(first.seen.events)[0] as number;
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => firstId + 1 + i));
    expect(Math.min(...emitted)).toBeGreaterThan(before);
    // and nothing more arrives once caught up
    const { height } = await cosmos.emit(1);
    await waitUntil(() => (second.status()?.cursor ?? 0n) >= BigInt(height), 20_000, "the cursor");
    await second.seen.waitFor((events) => events.length === 51);
    expect(new Set(ids(second.seen.events)).size).toBe(51);
  });

  it("loses nothing and repeats nothing across an RPC outage, then follows over WebSocket again", async () => {
    const port = Number(new URL(cosmos.chain.rpcUrl).port);
    const primary = await startTcpProxy(port);
    const { db } = tempDb();
    const { seen, manager, status } = watch(
      db,
      [["default", eventTrigger()]],
      `http://127.0.0.1:${primary.port}`,
    );
    await manager.start();
    await waitUntil(() => status()?.cursor !== undefined && status()?.mode === "ws", 20_000, "ws");
    await cosmos.emit(3);
    await seen.waitFor((events) => events.length === 3);
    await primary.cut();
    await waitUntil(() => status()?.mode === "polling", 20_000, "polling after the cut");
    for (let i = 0; i < 3; i++) await cosmos.emit(4);
    await primary.restore();
    await seen.waitFor((events) => events.length >= 15, 40_000);
    const got = ids(seen.events);
    expect(new Set(got).size).toBe(15);
    expect(got).toEqual([...got].sort((a, b) => a - b));
    expect(got[14]! - got[0]!).toBe(14);
    await waitUntil(
      () => status()?.mode === "ws" && status()?.healthy === true,
      30_000,
      "ws again",
    );
  });

  it("fails over to rpc_fallback_endpoints while the first endpoint is down", async () => {
    const port = Number(new URL(cosmos.chain.rpcUrl).port);
    const primary = await startTcpProxy(port);
    await primary.cut();
    const { db } = tempDb();
    const { seen, manager, status } = watch(
      db,
      [["default", eventTrigger()]],
      `http://127.0.0.1:${primary.port}`,
      { rpc_fallback_endpoints: [cosmos.chain.rpcUrl] },
    );
    await manager.start();
    await waitUntil(() => status()?.cursor !== undefined, 20_000, "the first cursor");
    await cosmos.emit(2);
    await seen.waitFor((events) => events.length === 2);
    expect(new Set(ids(seen.events)).size).toBe(2);
  });
});
