/**
 * Watches one EVM chain. New heads come from a WebSocket subscription when ws endpoints are
 * configured, else (and whenever the socket is down) from HTTP polling. Each pass processes
 * the blocks from the persisted cursor + 1 up to head - confirmations in ranges of at most
 * `maxLogRange` blocks: fetch the logs the index asks for, hand every match (and every
 * block-interval firing) to the node in (block, log index) order, awaiting each, then persist
 * the cursor. Catch-up after a restart or reconnect is the same loop, starting further back.
 * A block whose parent hash does not match the stored hash means a reorg: the cursor rewinds
 * to the last stored block that is still canonical.
 */
import type { EvmChainConfig } from "../config/index.js";
import type { Logger } from "../internal/index.js";
import { errorMessage, WavsError } from "../internal/index.js";
import type { BlockRef, CursorStore } from "../store/index.js";
import type { BlockIntervalAnchors, BlockIntervalFire } from "./block-interval.js";
import type { BlockHeader, EvmRpc, RpcLog } from "./evm-rpc.js";
import {
  decodeServiceUri,
  logTriggerData,
  type ServiceUriUpdatedHandler,
  type TriggerEventHandler,
} from "./trigger-event.js";
import type { TriggerIndex } from "./trigger-index.js";

/** Default largest block range processed (and asked of eth_getLogs) at once. */
export const DEFAULT_MAX_LOG_RANGE = 1000;

/** How a watcher learns about new heads right now. */
export type HeadMode = "ws" | "polling" | "stopped";

/** What a watcher reports for /health and logs. */
export interface ChainWatcherStatus {
  chain: string;
  mode: HeadMode;
  healthy: boolean;
  /** The last error, while unhealthy. */
  error?: string | undefined;
  /** Latest head seen. */
  head?: bigint | undefined;
  /** Last fully processed block. */
  cursor?: bigint | undefined;
}

/** Options of `EvmChainWatcher`. */
export interface EvmChainWatcherOptions {
  chain: string;
  config: Pick<EvmChainConfig, "confirmations" | "poll_interval_ms">;
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
}

// Thrown inside a pass when stop() was called; the cursor is left where it was.
class Stopped extends Error {}

/** A wake-up signal with a timeout. */
class Signal {
  private waiter: (() => void) | undefined;
  private pending = false;

  notify(): void {
    if (this.waiter) this.waiter();
    else this.pending = true;
  }

  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiter = done;
    });
  }
}

/** The watcher of one EVM chain. */
export class EvmChainWatcher {
  private readonly chain: string;
  private readonly log: Logger;
  private readonly maxRange: bigint;
  private readonly confirmations: bigint;
  private readonly pollMs: number;
  private readonly wsSafetyPollMs: number;
  private readonly syncSignal = new Signal();
  private readonly headSignal = new Signal();
  private stopped = true;
  private loops: Promise<unknown> | undefined;
  private mode: HeadMode = "stopped";
  private notifiedHead: bigint | undefined;
  private head: bigint | undefined;
  private cursor: bigint | undefined;
  private error: string | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: EvmChainWatcherOptions) {
    this.chain = options.chain;
    this.log = options.logger.child({ chain: options.chain });
    this.maxRange = BigInt(Math.max(1, options.maxLogRange ?? DEFAULT_MAX_LOG_RANGE));
    this.confirmations = BigInt(options.config.confirmations);
    this.pollMs = options.config.poll_interval_ms;
    this.wsSafetyPollMs = options.wsSafetyPollMs ?? 30_000;
  }

  /** Start following the chain (catching up from the cursor first). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.mode = "polling";
    this.cursor = this.options.store.cursor(this.chain)?.number;
    const loops = [this.syncLoop()];
    if (this.options.rpc.hasWebSocket) loops.push(this.headLoop());
    this.loops = Promise.all(loops);
  }

  /** Stop; resolves once the event being handed over (if any) has been and the loops ended. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.syncSignal.notify();
    this.headSignal.notify();
    await this.loops;
    this.loops = undefined;
    this.mode = "stopped";
  }

  /** Ask for a pass now (e.g. after new triggers were registered). */
  poke(): void {
    this.syncSignal.notify();
  }

  /** Current state, for /health. */
  status(): ChainWatcherStatus {
    return {
      chain: this.chain,
      mode: this.mode,
      healthy: this.error === undefined,
      error: this.error,
      head: this.head,
      cursor: this.cursor,
    };
  }

  private async syncLoop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        await this.pass();
        if (this.error !== undefined) this.log.info("chain reachable again");
        this.error = undefined;
        failures = 0;
      } catch (err) {
        if (this.stopped || err instanceof Stopped) break;
        failures++;
        this.error = errorMessage(err);
        this.log.warn({ err, failures }, "chain pass failed; retrying");
        await this.syncSignal.wait(
          Math.min(10_000, Math.max(this.pollMs, 250) * 2 ** (failures - 1)),
        );
        continue;
      }
      await this.syncSignal.wait(this.mode === "ws" ? this.wsSafetyPollMs : this.pollMs);
    }
  }

  private async headLoop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let dropped: (error: Error) => void = () => {};
      const lost = new Promise<Error>((resolve) => {
        dropped = resolve;
      });
      try {
        const subscription = await this.options.rpc.subscribeNewHeads(
          (n) => {
            if (this.notifiedHead === undefined || n > this.notifiedHead) this.notifiedHead = n;
            this.syncSignal.notify();
          },
          (error) => dropped(error),
        );
        if (this.stopped) {
          subscription.unsubscribe();
          break;
        }
        this.unsubscribe = subscription.unsubscribe;
        this.mode = "ws";
        failures = 0;
        this.log.info({ endpoint: subscription.endpoint }, "following new heads over WebSocket");
        // Catch up from the cursor: blocks may have come while we were not subscribed.
        this.syncSignal.notify();
        const error = await Promise.race([
          lost,
          this.headSignal.wait(2 ** 31 - 1).then(() => undefined),
        ]);
        // Release the losing wait (and its timer) when the socket dropped.
        if (error !== undefined) this.headSignal.notify();
        this.unsubscribe = undefined;
        if (this.stopped) break;
        this.mode = "polling";
        this.log.warn({ err: error }, "WebSocket dropped; polling over HTTP until it is back");
      } catch (err) {
        if (this.stopped) break;
        this.mode = "polling";
        failures++;
        this.log.warn({ err, failures }, "cannot subscribe to new heads; polling meanwhile");
      }
      this.syncSignal.notify();
      await this.headSignal.wait(Math.min(30_000, Math.max(this.pollMs, 500) * 2 ** failures));
    }
  }

  /** One pass: process every block up to head - confirmations. */
  private async pass(): Promise<void> {
    const { rpc, store } = this.options;
    const notified = this.notifiedHead;
    this.notifiedHead = undefined;
    const head = notified ?? (await rpc.getBlockNumber());
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
        cursor = await this.rewind(cursor);
        continue;
      }
      const last: BlockHeader | undefined = to === from ? first : await this.header(to);
      if (last === undefined) return;
      const { index } = this.options;
      const version = index.version;
      const filter = index.logFilter(this.chain);
      const logs = await rpc.getLogs({
        fromBlock: from,
        toBlock: to,
        addresses: filter.addresses,
        topic0s: filter.topic0s,
      });
      // Triggers registered meanwhile would miss this range: read it again with them.
      if (index.version !== version) continue;
      if (!consistent(logs, first) || !consistent(logs, last)) {
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
    }
  }

  private async header(n: bigint): Promise<BlockHeader | undefined> {
    return this.options.rpc.getBlock(n);
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
        await this.options.onEvent({
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

  private async emitFire(fire: BlockIntervalFire): Promise<void> {
    if (this.stopped) throw new Stopped();
    const { serviceId, workflowId, trigger } = fire.subscriber;
    await this.options.onEvent({
      serviceId,
      workflowId,
      trigger,
      data: { type: "block_interval", chain: this.chain, block_height: fire.height },
    });
  }
}

/** Whether every log of the header's block carries the header's hash. */
function consistent(logs: readonly RpcLog[], header: BlockHeader): boolean {
  return logs.every((l) => l.blockNumber !== header.number || l.blockHash === header.hash);
}
