import {
  type Anvil,
  deployLogSpam,
  deployServiceSet,
  setServiceURI,
  startAnvil,
} from "@wavs-ts/contracts";
import { WavsError } from "@wavs-ts/errors";
import { type Address, toEventSelector } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chainConfig,
  closedPort,
  collector,
  emitSpam,
  onCleanup,
  sleep,
  spamIds,
  startTcpProxy,
  tempDb,
  waitUntil,
} from "../../test/helpers/triggers-harness.js";
import type { WavsConfig } from "../config/index.js";
import { silentLogger } from "../internal/logger.js";
import { bytesToHex } from "../service/hex.js";
import type { Trigger } from "../service/trigger.js";
import { CursorStore } from "../store/cursor-store.js";
import type { Db } from "../store/database.js";
import type { TriggerEvent } from "./trigger-event.js";
import { createTriggerManager, type TriggerManagerOptions } from "./trigger-manager.js";

const CHAIN = "evm:31337";
const SPAM_TOPIC = toEventSelector("Spam(uint256)");
const SERVICE = "aa".repeat(32);

let anvil: Anvil;
let wsUrl: string;
beforeAll(async () => {
  anvil = await startAnvil();
  wsUrl = anvil.rpcUrl.replace("http://", "ws://");
});
afterAll(async () => {
  await anvil?.stop();
});

const spamTrigger = (address: Address): Trigger => ({
  type: "evm_contract_event",
  address,
  chain: CHAIN,
  event_hash: SPAM_TOPIC,
});

function startManager(
  db: Db,
  config: WavsConfig,
  onEvent: (e: TriggerEvent) => Promise<void>,
  extra: Partial<TriggerManagerOptions> = {},
) {
  const manager = createTriggerManager({ db, logger: silentLogger(), config, onEvent, ...extra });
  onCleanup(() => manager.stop());
  return manager;
}

const cursorOf = (manager: ReturnType<typeof createTriggerManager>) =>
  manager.chainStatus()[CHAIN]?.cursor;

async function started(manager: ReturnType<typeof createTriggerManager>) {
  await manager.start();
  await waitUntil(() => cursorOf(manager) !== undefined, 15_000, "the first cursor");
}

describe("trigger manager on anvil", () => {
  it("delivers live logs over HTTP polling, with the log as trigger data", async () => {
    const spam = await deployLogSpam(anvil.clients());
    const { db } = tempDb();
    const seen = collector();
    const config = chainConfig("31337", { http_endpoint: anvil.rpcUrl, poll_interval_ms: 50 });
    const manager = startManager(db, config, seen.onEvent);
    const trigger = spamTrigger(spam);
    manager.setWorkflows(SERVICE, new Map([["default", trigger]]), true);
    await started(manager);
    const receipt = await emitSpam(anvil, spam, 1, 3);
    await seen.waitFor((e) => e.length === 3);
    expect(spamIds(seen.events)).toEqual([1, 2, 3]);
    const first = seen.events[0] as TriggerEvent;
    expect(first).toMatchObject({ serviceId: SERVICE, workflowId: "default", trigger });
    if (first.data.type !== "evm_contract_event") throw new Error("wrong trigger data");
    expect(first.data.chain).toBe(CHAIN);
    expect(bytesToHex(first.data.log.address)).toBe(spam.toLowerCase());
    expect(bytesToHex(first.data.log.tx_hash)).toBe(receipt.transactionHash);
    expect(bytesToHex(first.data.log.block_hash)).toBe(receipt.blockHash);
    expect(first.data.log.block_number).toBe(receipt.blockNumber);
    expect(first.data.log.block_timestamp).toBeGreaterThan(0n);
    expect(
      seen.events.map((e) => e.data.type === "evm_contract_event" && e.data.log.log_index),
    ).toEqual([0n, 1n, 2n]);
    expect(manager.chainStatus()[CHAIN]).toMatchObject({ mode: "polling", healthy: true });
    expect(manager.chainHealth()).toEqual({ [CHAIN]: "healthy" });
  });

  it("delivers live logs over a WebSocket subscription, failing over from a dead endpoint", async () => {
    const spam = await deployLogSpam(anvil.clients());
    const { db } = tempDb();
    const seen = collector();
    const dead = `ws://127.0.0.1:${await closedPort()}`;
    // Polling once a minute: only the subscription can deliver within the test.
    const config = chainConfig("31337", { ws_endpoints: [dead, wsUrl], poll_interval_ms: 60_000 });
    const manager = startManager(db, config, seen.onEvent);
    manager.setWorkflows(SERVICE, new Map([["default", spamTrigger(spam)]]), true);
    await started(manager);
    await waitUntil(() => manager.chainStatus()[CHAIN]?.mode === "ws", 15_000, "ws mode");
    await emitSpam(anvil, spam, 7, 2);
    await seen.waitFor((e) => e.length === 2, 5_000);
    expect(spamIds(seen.events)).toEqual([7, 8]);
  });

  it("falls back to polling when the socket drops and resubscribes when it is back", async () => {
    const spam = await deployLogSpam(anvil.clients());
    const proxy = await startTcpProxy(anvil.port);
    const { db } = tempDb();
    const seen = collector();
    const config = chainConfig("31337", {
      ws_endpoints: [`ws://127.0.0.1:${proxy.port}`],
      http_endpoint: anvil.rpcUrl,
      poll_interval_ms: 100,
    });
    const manager = startManager(db, config, seen.onEvent);
    manager.setWorkflows(SERVICE, new Map([["default", spamTrigger(spam)]]), true);
    await started(manager);
    const mode = () => manager.chainStatus()[CHAIN]?.mode;
    await waitUntil(() => mode() === "ws", 15_000, "ws mode");
    await proxy.cut();
    await waitUntil(() => mode() === "polling", 5_000, "polling mode");
    await emitSpam(anvil, spam, 1, 2);
    await seen.waitFor((e) => e.length === 2);
    await proxy.restore();
    await waitUntil(() => mode() === "ws", 15_000, "ws mode again");
    await emitSpam(anvil, spam, 3, 1);
    await seen.waitFor((e) => e.length === 3);
    await sleep(300);
    expect(spamIds(seen.events)).toEqual([1, 2, 3]);
  });

  it("catches up, once each, the logs emitted while the only endpoint was down", async () => {
    const spam = await deployLogSpam(anvil.clients());
    const proxy = await startTcpProxy(anvil.port);
    const { db } = tempDb();
    const seen = collector();
    const config = chainConfig("31337", {
      http_endpoint: `http://127.0.0.1:${proxy.port}`,
      poll_interval_ms: 50,
    });
    const manager = startManager(db, config, seen.onEvent, {
      rpc: { maxAttempts: 2, initialBackoffMs: 10 },
    });
    manager.setWorkflows(SERVICE, new Map([["default", spamTrigger(spam)]]), true);
    await started(manager);
    await emitSpam(anvil, spam, 1, 1);
    await seen.waitFor((e) => e.length === 1);
    await proxy.cut();
    for (let i = 2; i <= 4; i++) await emitSpam(anvil, spam, i, 1);
    await waitUntil(() => manager.chainStatus()[CHAIN]?.healthy === false, 5_000, "unhealthy");
    expect(manager.chainHealth()[CHAIN]).toMatchObject({
      unhealthy: { error: expect.stringContaining("eth_") },
    });
    await proxy.restore();
    await seen.waitFor((e) => e.length === 4, 15_000);
    await waitUntil(() => manager.chainStatus()[CHAIN]?.healthy === true, 5_000, "healthy");
    await sleep(200);
    expect(spamIds(seen.events)).toEqual([1, 2, 3, 4]);
  });

  it("delivers what was emitted while stopped exactly once after a restart, in bounded ranges", async () => {
    const spam = await deployLogSpam(anvil.clients());
    const { db } = tempDb();
    const seen = collector();
    const config = chainConfig("31337", { http_endpoint: anvil.rpcUrl, poll_interval_ms: 50 });
    const workflows = new Map([["default", spamTrigger(spam)]]);
    const first = startManager(db, config, seen.onEvent, { maxLogRange: 3 });
    first.setWorkflows(SERVICE, workflows, true);
    await started(first);
    await emitSpam(anvil, spam, 0, 2);
    await seen.waitFor((e) => e.length === 2);
    await first.stop();

    const stoppedAt = await anvil.blockNumber();
    for (let i = 1; i <= 5; i++) {
      await emitSpam(anvil, spam, i * 10, 2);
      await anvil.mine(2);
    }
    const head = await anvil.blockNumber();
    const ranges: string[] = [];
    const second = startManager(db, config, seen.onEvent, {
      maxLogRange: 3,
      rpc: { onRequest: (method) => ranges.push(method) },
    });
    second.setWorkflows(SERVICE, workflows, true);
    await second.start();
    await seen.waitFor((e) => e.length === 12);
    await waitUntil(() => (cursorOf(second) ?? 0n) >= head, 5_000, "cursor at the head");
    await sleep(300);
    expect(spamIds(seen.events)).toEqual([0, 1, 10, 11, 20, 21, 30, 31, 40, 41, 50, 51]);
    // 15 blocks missed, at most 3 per eth_getLogs call.
    const getLogs = ranges.filter((m) => m === "eth_getLogs").length;
    expect(getLogs).toBeGreaterThanOrEqual(Math.ceil(Number(head - stoppedAt) / 3));
  });

  it("advances the cursor only after onEvent resolved (backpressure)", async () => {
    const spam = await deployLogSpam(anvil.clients());
    const { db } = tempDb();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handed: TriggerEvent[] = [];
    const config = chainConfig("31337", { http_endpoint: anvil.rpcUrl, poll_interval_ms: 50 });
    const manager = startManager(db, config, async (e) => {
      handed.push(e);
      await gate;
    });
    // Cleanups run last-first: open the gate before stopping, even when an assertion failed.
    onCleanup(() => release());
    manager.setWorkflows(SERVICE, new Map([["default", spamTrigger(spam)]]), true);
    await started(manager);
    const receipt = await emitSpam(anvil, spam, 1, 2);
    await anvil.mine(3);
    await waitUntil(() => handed.length === 1, 5_000, "the first event");
    await sleep(300);
    const store = new CursorStore(db);
    expect(handed).toHaveLength(1);
    expect(store.cursor(CHAIN)?.number).toBeLessThan(receipt.blockNumber);
    release();
    await waitUntil(() => (store.cursor(CHAIN)?.number ?? 0n) >= receipt.blockNumber + 3n);
    expect(spamIds(handed)).toEqual([1, 2]);
  });

  it("fires block-interval triggers by the anchor arithmetic, caught up like logs", async () => {
    const { db } = tempDb();
    const seen = collector();
    const config = chainConfig("31337", { http_endpoint: anvil.rpcUrl, poll_interval_ms: 50 });
    const base = await anvil.blockNumber();
    const manager = startManager(db, config, seen.onEvent);
    manager.setWorkflows(
      SERVICE,
      new Map<string, Trigger>([
        ["every3", { type: "block_interval", chain: CHAIN, n_blocks: 3 }],
        [
          "bounded",
          {
            type: "block_interval",
            chain: CHAIN,
            n_blocks: 2,
            start_block: base + 2n,
            end_block: base + 6n,
          },
        ],
      ]),
      true,
    );
    await started(manager);
    await anvil.mine(12);
    await waitUntil(() => (cursorOf(manager) ?? 0n) >= base + 12n);
    const heights = (w: string) =>
      seen.events.flatMap((e) =>
        e.workflowId === w && e.data.type === "block_interval" ? [e.data.block_height] : [],
      );
    expect(heights("bounded")).toEqual([base + 2n, base + 4n, base + 6n]);
    const every3 = heights("every3");
    expect(every3.length).toBeGreaterThanOrEqual(3);
    // Anchored at the first block processed after registration, persisted.
    const anchor = every3[0] as bigint;
    expect(every3.every((h) => (h - anchor) % 3n === 0n)).toBe(true);
    expect(every3.slice(1).every((h, i) => h - (every3[i] as bigint) === 3n)).toBe(true);
    expect(seen.events[0]?.data).toMatchObject({ type: "block_interval", chain: CHAIN });
  });

  it("reports ServiceURIUpdated of a watched manager", async () => {
    const clients = anvil.clients();
    const set = await deployServiceSet(clients);
    const { db } = tempDb();
    const updates: [string, string | undefined][] = [];
    const config = chainConfig("31337", { http_endpoint: anvil.rpcUrl, poll_interval_ms: 50 });
    const manager = startManager(db, config, async () => {}, {
      onServiceUriUpdated: (serviceId, uri) => {
        updates.push([serviceId, uri]);
      },
    });
    manager.watchServiceManager(SERVICE, {
      type: "evm",
      chain: CHAIN,
      address: set.serviceManager,
    });
    await started(manager);
    await setServiceURI(clients, set.serviceManager, "http://127.0.0.1:1/service.json");
    await waitUntil(() => updates.length === 1);
    expect(updates).toEqual([[SERVICE, "http://127.0.0.1:1/service.json"]]);
  });

  it("fires nothing for a paused service, and fires again once resumed", async () => {
    const spam = await deployLogSpam(anvil.clients());
    const { db } = tempDb();
    const seen = collector();
    const config = chainConfig("31337", { http_endpoint: anvil.rpcUrl, poll_interval_ms: 50 });
    const manager = startManager(db, config, seen.onEvent);
    const workflows = new Map([["default", spamTrigger(spam)]]);
    manager.setWorkflows(SERVICE, workflows, false);
    await started(manager);
    const paused = await emitSpam(anvil, spam, 1, 1);
    await waitUntil(() => (cursorOf(manager) ?? 0n) >= paused.blockNumber);
    manager.setWorkflows(SERVICE, workflows, true);
    await emitSpam(anvil, spam, 2, 1);
    await seen.waitFor((e) => e.length === 1);
    manager.removeService(SERVICE);
    const removed = await emitSpam(anvil, spam, 3, 1);
    await waitUntil(() => (cursorOf(manager) ?? 0n) >= removed.blockNumber);
    expect(spamIds(seen.events)).toEqual([2]);
  });

  it("hands cron ticks over as cron trigger data with the scheduled time in nanoseconds", async () => {
    const { db } = tempDb();
    const seen = collector();
    const config = chainConfig("31337", { http_endpoint: anvil.rpcUrl, poll_interval_ms: 50 });
    const manager = startManager(db, config, seen.onEvent);
    const trigger: Trigger = { type: "cron", schedule: "*/1 * * * * *" };
    manager.setWorkflows(SERVICE, new Map([["tick", trigger]]), true);
    await manager.start();
    await seen.waitFor((e) => e.length >= 1, 3_000);
    const first = seen.events[0] as TriggerEvent;
    expect(first).toMatchObject({ serviceId: SERVICE, workflowId: "tick", trigger });
    if (first.data.type !== "cron") throw new Error("wrong trigger data");
    expect(first.data.trigger_time % 1_000_000_000n).toBe(0n);
    expect(Number(first.data.trigger_time / 1_000_000n)).toBeLessThanOrEqual(Date.now());
    // Pausing forgets the schedule's position: nothing is caught up on resume.
    manager.setWorkflows(SERVICE, new Map([["tick", trigger]]), false);
    expect(new CursorStore(db).cronTick(SERVICE, "tick")).toBeUndefined();
  });

  it("refuses triggers on a chain that is not configured, changing nothing", () => {
    const { db } = tempDb();
    const config = chainConfig("31337", { http_endpoint: anvil.rpcUrl });
    const manager = startManager(db, config, async () => {});
    const err = (() => {
      try {
        manager.setWorkflows(
          SERVICE,
          new Map<string, Trigger>([
            ["ok", { type: "cron", schedule: "* * * * * *" }],
            [
              "w1",
              {
                ...spamTrigger("0x5FbDB2315678afecb367f032d93F642f64180aa3"),
                chain: "evm:5",
              } as Trigger,
            ],
          ]),
          true,
        );
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(WavsError);
    expect((err as WavsError).code).toBe("WAVS_ERR_CHAIN_UNKNOWN");
    expect((err as WavsError).message).toBe("workflow 'w1': chain 'evm:5' is not configured");
    expect(new CursorStore(db).cronTick(SERVICE, "ok")).toBeUndefined();
  });
});
