/**
 * Watches one EVM chain. New heads come from a WebSocket subscription when ws endpoints are
 * configured, else (and whenever the socket is down) from HTTP polling. Each pass processes
 * the blocks from the persisted cursor + 1 up to head - confirmations in ranges of at most
 * `maxLogRange` blocks: fetch the logs the index asks for, hand every match (and every
 * block-interval firing) to the node in (block, log index) order, awaiting each, then persist
 * the cursor. Catch-up after a restart or reconnect is the same loop, starting further back.
 * A block whose parent hash does not match the stored hash means a reorg: the cursor rewinds
 * to the last stored block that is still canonical.
 *
 * The headers a subscription pushes are kept until processed and used instead of asking for
 * them again (`eth_getBlockByNumber` was two requests per block per node). A pushed header that
 * disagrees with the chain (its parent is not the cursor, or the logs name another block hash)
 * is never trusted further: every kept header is dropped and the pass asks the node. A range
 * whose every header is known and has a logs bloom without any watched address or event
 * (logs-bloom.ts) is not asked for logs at all.
 */
import type { EvmChainConfig } from "../config/index.js";
import type { Logger } from "../internal/index.js";
import { WavsError } from "../internal/index.js";
import type { BlockRef, CursorStore } from "../store/index.js";
import type { BlockIntervalAnchors, BlockIntervalFire } from "./block-interval.js";
import { ChainFollower, type HeadListener, Stopped } from "./chain-follower.js";
import type { BlockHeader, EvmRpc, RpcLog } from "./evm-rpc.js";
import { type BloomItems, bloomHoldsLog, bloomItems, bloomMayMatch } from "./logs-bloom.js";
import {
  decodeServiceUri,
  logTriggerData,
  type ServiceUriUpdatedHandler,
  type TriggerEventHandler,
} from "./trigger-event.js";
import type { LogFilterLists, TriggerIndex } from "./trigger-index.js";

/** Pushed headers kept at most (a socket far ahead of a slow pass). */
const MAX_PUSHED = 1024;

/** Default largest block range processed (and asked of eth_getLogs) at once. */
export const DEFAULT_MAX_LOG_RANGE = 1000;

/** Options of `EvmChainWatcher`. */
export interface EvmChainWatcherOptions {
  chain: string;
  config: Pick<EvmChainConfig, "confirmations" | "poll_interval_ms"> &
    Partial<Pick<EvmChainConfig, "logs_bloom">>;
  rpc: EvmRpc;
  store: CursorStore;
  index: TriggerIndex;
  anchors: BlockIntervalAnchors;
  logger: Logger;
  onEvent: TriggerEventHandler;
  onServiceUriUpdated?: ServiceUriUpdatedHandler | undefined;
  /** Largest block range per pass and per eth_getLogs call (default 1000). */
  maxLogRange?: number | undefined;
  /** With a live socket, still poll this often in case heads stop coming (default 30 s). */
  wsSafetyPollMs?: number | undefined;
  onHead?: HeadListener | undefined;
}

/** The watcher of one EVM chain. */
export class EvmChainWatcher extends ChainFollower<BlockHeader> {
  private readonly maxRange: bigint;
  private readonly confirmations: bigint;
  /** Headers pushed by the subscription and not processed yet, by number. */
  private readonly pushed = new Map<bigint, BlockHeader>();
  /** Bloom bits of the index's log filter, per filter (the index makes a new one on change). */
  private readonly blooms = new WeakMap<object, BloomItems>();
  /** Whether logs blooms decide that a range has no log for us (off once one missed a log). */
  private bloomTrusted: boolean;

  constructor(private readonly options: EvmChainWatcherOptions) {
    super({
      chain: options.chain,
      logger: options.logger,
      store: options.store,
      onEvent: options.onEvent,
      pollMs: options.config.poll_interval_ms,
      wsSafetyPollMs: options.wsSafetyPollMs,
      onHead: options.onHead,
      subscribeHeads: options.rpc.hasWebSocket
        ? (onHead, onDrop) => options.rpc.subscribeNewHeads(onHead, onDrop)
        : undefined,
    });
    this.maxRange = BigInt(Math.max(1, options.maxLogRange ?? DEFAULT_MAX_LOG_RANGE));
    this.confirmations = BigInt(options.config.confirmations);
    this.bloomTrusted = options.config.logs_bloom ?? true;
  }

  /** One pass: process every block up to head - confirmations. */
  protected async pass(): Promise<void> {
    const { rpc, store } = this.options;
    const head = this.takeNotifiedHead() ?? (await rpc.getBlockNumber());
    this.sawHead(head);
    // the status shows the node's head as it is, lower after a reorg or a revert too
    this.head = head;
    const target = head - this.confirmations;
    if (target < 0n) return;
    let cursor = store.cursor(this.chain);
    if (cursor === undefined) {
      // A chain never watched starts at the current head: there is nothing to catch up on.
      const block = await this.header(target);
      if (block === undefined) return;
      store.advance(this.chain, { number: block.number, hash: block.hash });
      this.cursor = block.number;
      this.log.info({ block: block.number }, "first time on this chain; starting at the head");
      return;
    }
    while (cursor.number < target) {
      if (this.stopped) throw new Stopped();
      const from: bigint = cursor.number + 1n;
      const to: bigint = target < from + this.maxRange - 1n ? target : from + this.maxRange - 1n;
      const first = await this.header(from);
      if (first === undefined) return; // the node is behind the head it announced
      if (first.parentHash !== cursor.hash) {
        // a pushed header may be stale: ask the node before calling it a reorg
        if (this.pushed.get(from) === first) this.pushed.clear();
        else cursor = await this.rewind(cursor);
        continue;
      }
      const last: BlockHeader | undefined = to === from ? first : await this.header(to);
      if (last === undefined) return;
      const { index } = this.options;
      const version = index.version;
      const filter = index.logFilter(this.chain);
      const logs = this.noLogsFor(filter, from, to, [first, last])
        ? []
        : await rpc.getLogs({
            fromBlock: from,
            toBlock: to,
            addresses: filter.addresses,
            topic0s: filter.topic0s,
          });
      // Triggers registered meanwhile would miss this range: read it again with them.
      if (index.version !== version) continue;
      this.checkBlooms(filter, logs, [first, last]);
      if (!consistent(logs, first) || !consistent(logs, last)) {
        this.pushed.clear();
        throw new WavsError(
          "WAVS_ERR_CHAIN_RPC",
          `${this.chain}: blocks ${from}..${to} changed while being read (reorg in progress)`,
          { details: { chain: this.chain, from: String(from), to: String(to) } },
        );
      }
      const timestamps = new Map([
        [first.number, first.timestamp],
        [last.number, last.timestamp],
      ]);
      const fires = this.options.anchors.firesInRange(index.blockIntervals(this.chain), from, to);
      await this.emitInOrder(logs, fires, timestamps);
      cursor = { number: last.number, hash: last.hash };
      store.advance(this.chain, cursor);
      this.cursor = cursor.number;
      for (const n of this.pushed.keys()) if (n <= cursor.number) this.pushed.delete(n);
    }
  }

  /**
   * Whether the headers of `from`..`to` (pushed, or among `known`) all say by their logs bloom
   * that no log matches the filter; false when one is missing or lacks a bloom.
   */
  private noLogsFor(
    filter: LogFilterLists,
    from: bigint,
    to: bigint,
    known: readonly BlockHeader[],
  ): boolean {
    if (!this.bloomTrusted) return false;
    const items = this.bloomItemsOf(filter);
    for (let n = from; n <= to; n++) {
      const bloom = this.knownHeader(n, known)?.logsBloom;
      if (bloom === undefined || bloomMayMatch(bloom, items)) return false;
    }
    return true;
  }

  /** The bloom bits of the index's filter, computed once per filter. */
  private bloomItemsOf(filter: LogFilterLists): BloomItems {
    let items = this.blooms.get(filter);
    if (items === undefined) {
      items = bloomItems(filter);
      this.blooms.set(filter, items);
    }
    return items;
  }

  /** Block `n`'s header without a request: pushed, or among `known`. */
  private knownHeader(n: bigint, known: readonly BlockHeader[]): BlockHeader | undefined {
    return this.pushed.get(n) ?? known.find((h) => h.number === n);
  }

  /**
   * Every fetched log must be in its block's bloom when the header is known: a chain whose
   * blooms leave logs out (some system transactions' logs are left out on some chains) is
   * never trusted again by this watcher.
   */
  private checkBlooms(
    filter: LogFilterLists,
    logs: readonly RpcLog[],
    known: readonly BlockHeader[],
  ): void {
    if (!this.bloomTrusted) return;
    for (const log of logs) {
      const bloom = this.knownHeader(log.blockNumber, known)?.logsBloom;
      if (bloom === undefined) continue;
      const items = this.bloomItemsOf(filter);
      if (bloomHoldsLog(bloom, items, { address: log.address, topic0: log.topics[0] })) continue;
      this.bloomTrusted = false;
      this.log.warn(
        { block: log.blockNumber, address: log.address },
        "a block's logs bloom does not hold one of its logs: every range's logs are fetched from now on (set logs_bloom = false for this chain)",
      );
      return;
    }
  }

  protected override headPushed(header: BlockHeader): void {
    this.pushed.set(header.number, header);
    if (this.pushed.size > MAX_PUSHED) this.pushed.clear();
  }

  /** Block `n`'s header: the one pushed for it, else the node's. */
  private async header(n: bigint): Promise<BlockHeader | undefined> {
    return this.pushed.get(n) ?? this.options.rpc.getBlock(n);
  }

  /** Walk back through the stored checkpoints to the newest one still canonical. */
  private async rewind(cursor: BlockRef): Promise<BlockRef> {
    const { store, rpc } = this.options;
    const checkpoints = store.checkpoints(this.chain);
    for (const checkpoint of checkpoints) {
      if (this.stopped) throw new Stopped();
      const canonical = await rpc.getBlock(checkpoint.number);
      if (canonical?.hash === checkpoint.hash) {
        store.rewind(this.chain, checkpoint);
        this.cursor = checkpoint.number;
        this.log.warn(
          { from: cursor.number, to: checkpoint.number },
          "reorg: rewound to the last processed block that is still canonical",
        );
        return checkpoint;
      }
    }
    // Deeper than every checkpoint kept: resume from the oldest height we know, as it is now.
    const oldest = checkpoints[checkpoints.length - 1]?.number ?? cursor.number;
    const base = await rpc.getBlock(oldest > 0n ? oldest - 1n : 0n);
    if (base === undefined) {
      throw new WavsError("WAVS_ERR_CHAIN_RPC", `${this.chain}: block ${oldest - 1n} not found`);
    }
    const ref = { number: base.number, hash: base.hash };
    store.rewind(this.chain, ref);
    this.cursor = ref.number;
    this.log.error(
      { from: cursor.number, to: ref.number },
      "reorg deeper than the stored checkpoints; resuming from an older block",
    );
    return ref;
  }

  private async emitInOrder(
    logs: readonly RpcLog[],
    fires: readonly BlockIntervalFire[],
    timestamps: ReadonlyMap<bigint, bigint>,
  ): Promise<void> {
    let f = 0;
    for (const log of logs) {
      // Block-interval firings of earlier blocks first; within a block, logs come first.
      while (f < fires.length && (fires[f] as BlockIntervalFire).height < log.blockNumber) {
        await this.emitFire(fires[f++] as BlockIntervalFire);
      }
      await this.emitLog(log, timestamps.get(log.blockNumber));
    }
    while (f < fires.length) await this.emitFire(fires[f++] as BlockIntervalFire);
  }

  private async emitLog(log: RpcLog, timestamp: bigint | undefined): Promise<void> {
    const topic0 = log.topics[0];
    if (topic0 === undefined) return;
    const subscribers = this.options.index.lookupLog(this.chain, log.address, topic0);
    if (subscribers.length === 0) return;
    const data = logTriggerData(this.chain, log, timestamp);
    for (const subscriber of subscribers) {
      if (this.stopped) throw new Stopped();
      if (subscriber.kind === "workflow") {
        await this.onEvent({
          serviceId: subscriber.serviceId,
          workflowId: subscriber.workflowId,
          trigger: subscriber.trigger,
          data,
        });
      } else {
        await this.options.onServiceUriUpdated?.(subscriber.serviceId, decodeServiceUri(log));
      }
    }
  }
}

/** Whether every log of the header's block carries the header's hash. */
function consistent(logs: readonly RpcLog[], header: BlockHeader): boolean {
  return logs.every((l) => l.blockNumber !== header.number || l.blockHash === header.hash);
}
