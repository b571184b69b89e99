import { type Anvil, deployLogSpam, startAnvil } from "@wavs-ts/contracts";
import { type Address, toEventSelector } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRpcProxy } from "../../test/helpers/rpc-proxy.js";
import {
  chainConfig,
  collector,
  emitSpam,
  onCleanup,
  sleep,
  spamIds,
  startRpcProxy as startInterceptingProxy,
  tempDb,
  waitUntil,
} from "../../test/helpers/triggers-harness.js";
import { silentLogger } from "../internal/logger.js";
import { bytesToHex } from "../service/hex.js";
import type { Trigger } from "../service/trigger.js";
import { CursorStore } from "../store/cursor-store.js";
import { createTriggerManager } from "./trigger-manager.js";

const CHAIN = "evm:31337";
const SERVICE = "bb".repeat(32);

let anvil: Anvil;
beforeAll(async () => {
  anvil = await startAnvil();
  // Deeper than any confirmation count used here, so every watcher gets a first cursor.
  await anvil.mine(5);
});
afterAll(async () => {
  await anvil?.stop();
});

const spamTrigger = (address: Address): Trigger => ({
  type: "evm_contract_event",
  address,
  chain: CHAIN,
  event_hash: toEventSelector("Spam(uint256)"),
});

/** How the watcher learns of new heads: HTTP polling, or a WebSocket subscription. */
type HeadSource = "http" | "ws";

async function watch(
  spam: Address,
  confirmations: number,
  heads: HeadSource,
  endpoint = anvil.rpcUrl,
  logsBloom = true,
) {
  const { db } = tempDb();
  const seen = collector();
  const config = chainConfig("31337", {
    ...(heads === "ws" ? { ws_endpoints: [endpoint.replace("http://", "ws://")] } : {}),
    http_endpoint: endpoint,
    poll_interval_ms: 30,
    confirmations,
    logs_bloom: logsBloom,
  });
  const manager = createTriggerManager({
    db,
    logger: silentLogger(),
    config,
    onEvent: seen.onEvent,
  });
  onCleanup(() => manager.stop());
  manager.setWorkflows(SERVICE, new Map([["default", spamTrigger(spam)]]), true);
  await manager.start();
  const cursor = () => manager.chainStatus()[CHAIN]?.cursor;
  await waitUntil(() => cursor() !== undefined, 15_000, "the first cursor");
  if (heads === "ws") {
    await waitUntil(() => manager.chainStatus()[CHAIN]?.mode === "ws", 15_000, "the subscription");
  }
  return { seen, cursor, store: new CursorStore(db), manager };
}

describe.each([
  ["HTTP polling", "http"],
  ["WebSocket new heads", "ws"],
] as const)("EvmChainWatcher on anvil, %s", (_, heads) => {
  it("delivers a log only once it has N confirmations", async () => {
    const spam = await deployLogSpam(anvil.clients());
    const { seen, cursor } = await watch(spam, 2, heads);
    const receipt = await emitSpam(anvil, spam, 1, 1);
    await anvil.mine(1);
    await waitUntil(() => (cursor() ?? 0n) >= receipt.blockNumber - 1n);
    await sleep(200);
    expect(seen.events).toHaveLength(0);
    await anvil.mine(1);
    await seen.waitFor((e) => e.length === 1, 5_000);
    expect(cursor()).toBe(receipt.blockNumber);
  });

  it("never delivers a log whose block was reorged away within the confirmations", async () => {
    const spam = await deployLogSpam(anvil.clients());
    const { seen, cursor } = await watch(spam, 3, heads);
    const doomed = await emitSpam(anvil, spam, 1, 1);
    await anvil.mine(1);
    await waitUntil(() => (cursor() ?? 0n) >= doomed.blockNumber - 2n);
    // Replace the log's block and the one after it; the transaction is dropped.
    await anvil.reorg(2);
    await anvil.mine(5);
    const kept = await emitSpam(anvil, spam, 2, 1);
    await anvil.mine(3);
    await seen.waitFor((e) => e.length >= 1, 5_000);
    await waitUntil(() => (cursor() ?? 0n) >= kept.blockNumber);
    await sleep(200);
    expect(spamIds(seen.events)).toEqual([2]);
  });

  it("rewinds to the common ancestor after a reorg of processed blocks (0 confirmations)", async () => {
    const spam = await deployLogSpam(anvil.clients());
    const { seen, cursor, store } = await watch(spam, 0, heads);
    const gone = await emitSpam(anvil, spam, 1, 1);
    await seen.waitFor((e) => e.length === 1, 5_000);
    await waitUntil(() => cursor() === gone.blockNumber);
    // The block that carried the delivered log is replaced (documented: with 0 confirmations
    // such a log has already fired); the watcher must notice and re-read from the ancestor.
    await anvil.reorg(1);
    const replacement = await emitSpam(anvil, spam, 2, 1);
    await seen.waitFor((e) => e.length === 2, 5_000);
    expect(spamIds(seen.events)).toEqual([1, 2]);
    const second = seen.events[1]?.data;
    if (second?.type !== "evm_contract_event") throw new Error("wrong trigger data");
    expect(bytesToHex(second.log.block_hash)).toBe(replacement.blockHash);
    await waitUntil(() => cursor() === replacement.blockNumber);
    // The stored hash of the replaced height is the canonical one now.
    const canonical = await anvil.publicClient().getBlock({ blockNumber: gone.blockNumber });
    const checkpoint = store.checkpoints(CHAIN).find((c) => c.number === gone.blockNumber);
    if (checkpoint) expect(checkpoint.hash).toBe(canonical.hash);
    expect(store.cursor(CHAIN)?.hash).toBe(replacement.blockHash);
  });

  it("follows the chain back after a snapshot revert", async () => {
    const spam = await deployLogSpam(anvil.clients());
    const { seen, cursor } = await watch(spam, 0, heads);
    const snapshot = await anvil.snapshot();
    await emitSpam(anvil, spam, 1, 1);
    await anvil.mine(2);
    await seen.waitFor((e) => e.length === 1, 5_000);
    const before = cursor() ?? 0n;
    await anvil.revert(snapshot);
    // The chain is now shorter than the cursor, and the new log lands below the cursor. Once
    // the chain grows past the cursor the parent hashes disagree, and the watcher rewinds
    // instead of skipping the new blocks.
    const again = await emitSpam(anvil, spam, 5, 1);
    expect(again.blockNumber).toBeLessThanOrEqual(before);
    await anvil.mine(4);
    await seen.waitFor((e) => e.length === 2, 5_000);
    expect(spamIds(seen.events)).toEqual([1, 5]);
  });
});

describe("EvmChainWatcher with a WebSocket subscription", () => {
  it("uses the headers the node pushed: no block is asked for again", async () => {
    const proxy = await startRpcProxy(anvil.rpcUrl);
    onCleanup(() => proxy.close());
    const spam = await deployLogSpam(anvil.clients());
    const { seen, cursor } = await watch(spam, 0, "ws", proxy.url);
    const head = await anvil.blockNumber();
    await waitUntil(() => cursor() === head, 5_000, "caught up");
    const mark = proxy.calls.length;
    let last = head;
    for (const id of [1, 2, 3]) last = (await emitSpam(anvil, spam, id, 1)).blockNumber;
    await seen.waitFor((e) => e.length === 3, 5_000);
    await waitUntil(() => (cursor() ?? 0n) >= last, 5_000, "the cursor");
    const since = proxy.calls.slice(mark);
    expect(since.filter((c) => c.method === "eth_getLogs").length).toBeGreaterThan(0);
    expect(since.filter((c) => c.method === "eth_getBlockByNumber")).toEqual([]);
    expect(spamIds(seen.events)).toEqual([1, 2, 3]);
  });

  it("does not ask for the logs of blocks whose bloom holds no watched address", async () => {
    const proxy = await startRpcProxy(anvil.rpcUrl);
    onCleanup(() => proxy.close());
    const spam = await deployLogSpam(anvil.clients());
    const unwatched = await deployLogSpam(anvil.clients());
    const { seen, cursor } = await watch(spam, 0, "ws", proxy.url);
    const head = await anvil.blockNumber();
    await waitUntil(() => cursor() === head, 5_000, "caught up");
    const mark = proxy.calls.length;
    // logs of another contract, and empty blocks: nothing to fetch
    const other = await emitSpam(anvil, unwatched, 1, 1);
    await anvil.mine(2);
    await waitUntil(() => (cursor() ?? 0n) >= other.blockNumber + 2n, 5_000, "the cursor");
    expect(proxy.calls.slice(mark).filter((c) => c.method === "eth_getLogs")).toEqual([]);
    // a watched log still is
    const watched = await emitSpam(anvil, spam, 7, 1);
    await seen.waitFor((e) => e.length === 1, 5_000);
    await waitUntil(() => (cursor() ?? 0n) >= watched.blockNumber, 5_000, "the cursor");
    expect(spamIds(seen.events)).toEqual([7]);
    expect(proxy.calls.slice(mark).filter((c) => c.method === "eth_getLogs").length).toBe(1);
  });

  it("asks for every block's logs with logs_bloom = false", async () => {
    const proxy = await startRpcProxy(anvil.rpcUrl);
    onCleanup(() => proxy.close());
    const spam = await deployLogSpam(anvil.clients());
    const { cursor } = await watch(spam, 0, "ws", proxy.url, false);
    const head = await anvil.blockNumber();
    await waitUntil(() => cursor() === head, 5_000, "caught up");
    const mark = proxy.calls.length;
    // two empty blocks: a trusted bloom would have skipped them
    await anvil.mine(2);
    await waitUntil(() => (cursor() ?? 0n) >= head + 2n, 5_000, "the cursor");
    expect(
      proxy.calls.slice(mark).filter((c) => c.method === "eth_getLogs").length,
    ).toBeGreaterThan(0);
  });
});

describe("EvmChainWatcher on a chain whose logs blooms leave logs out", () => {
  it("stops trusting blooms once a fetched log is missing from its block's bloom", async () => {
    // every header comes with an empty bloom, as from a chain that does not fill them
    const blank = `0x${"0".repeat(512)}`;
    const proxy = await startInterceptingProxy(anvil.rpcUrl, async (req) => {
      if (req.method !== "eth_getBlockByNumber") return undefined;
      const res = await fetch(anvil.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: req.method, params: req.params }),
      });
      const { result } = (await res.json()) as { result: Record<string, unknown> | null };
      return { result: result && { ...result, logsBloom: blank } };
    });
    const spam = await deployLogSpam(anvil.clients());
    const { seen, cursor, manager } = await watch(spam, 0, "http", proxy.url);
    // three blocks at once: a range whose middle header is unknown, so its logs are fetched
    await manager.stop();
    const first = await emitSpam(anvil, spam, 1, 1);
    await anvil.mine(2);
    await manager.start();
    await seen.waitFor((e) => e.length === 1, 5_000);
    await waitUntil(() => (cursor() ?? 0n) >= first.blockNumber + 2n, 5_000, "the cursor");
    // a block alone whose (blank) bloom would say "nothing here": its log is still delivered
    await emitSpam(anvil, spam, 2, 1);
    await seen.waitFor((e) => e.length === 2, 5_000);
    expect(spamIds(seen.events)).toEqual([1, 2]);
  });
});
