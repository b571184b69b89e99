/**
 * Watches one Cosmos chain over CometBFT RPC. New blocks come from the `/websocket`
 * subscription, else (and whenever it is down) from polling `status`. Each pass processes the
 * heights from the persisted cursor + 1 up to the latest in ranges of at most `maxBlockRange`:
 * read each block's events (`block_results`, a few heights at a time), hand every match (and
 * every block-interval firing) to the node in (height, event index) order, awaiting each, then
 * persist the cursor. CometBFT blocks are final once committed, so there are no reorgs to
 * undo; catch-up after downtime or a lost connection is the same loop from the cursor.
 */
import type { Logger } from "../internal/index.js";
import type { CursorStore } from "../store/index.js";
import type { BlockIntervalAnchors, BlockIntervalFire } from "./block-interval.js";
import { ChainFollower, type HeadListener, Stopped } from "./chain-follower.js";
import {
  type CosmosEvent,
  type CosmosRpc,
  contractAddressOf,
  PrunedHeightError,
} from "./cosmos-rpc.js";
import type { ServiceUriUpdatedHandler, TriggerEventHandler } from "./trigger-event.js";
import { cosmosEventKey, type TriggerIndex } from "./trigger-index.js";

/** Default largest height range processed at once. */
export const DEFAULT_MAX_BLOCK_RANGE = 100;
/** `block_results` requests in flight at once while catching up. */
const FETCH_CONCURRENCY = 8;

/** Options of `CosmosChainWatcher`. */
export interface CosmosChainWatcherOptions {
  chain: string;
  rpc: CosmosRpc;
  store: CursorStore;
  index: TriggerIndex;
  anchors: BlockIntervalAnchors;
  logger: Logger;
  onEvent: TriggerEventHandler;
  onServiceUriUpdated?: ServiceUriUpdatedHandler | undefined;
  /** Polling period while no socket delivers blocks (default 1000 ms). */
  pollIntervalMs?: number | undefined;
  /** Largest height range per pass (default 100). */
  maxBlockRange?: number | undefined;
  /** With a live socket, still poll this often in case blocks stop coming (default 30 s). */
  wsSafetyPollMs?: number | undefined;
  onHead?: HeadListener | undefined;
}

/** The watcher of one Cosmos chain. */
export class CosmosChainWatcher extends ChainFollower {
  private readonly maxRange: bigint;

  constructor(private readonly options: CosmosChainWatcherOptions) {
    super({
      chain: options.chain,
      logger: options.logger,
      store: options.store,
      onEvent: options.onEvent,
      pollMs: options.pollIntervalMs ?? 1000,
      wsSafetyPollMs: options.wsSafetyPollMs,
      onHead: options.onHead,
      subscribeHeads: options.rpc.hasWebSocket
        ? (onHead, onDrop) => options.rpc.subscribeNewBlocks(onHead, onDrop)
        : undefined,
    });
    this.maxRange = BigInt(Math.max(1, options.maxBlockRange ?? DEFAULT_MAX_BLOCK_RANGE));
  }

  /** One pass: process every committed height up to the latest. */
  protected async pass(): Promise<void> {
    const { rpc, store, index, anchors } = this.options;
    const head = this.takeNotifiedHead() ?? (await rpc.getLatestHeight());
    this.sawHead(head);
    const stored = store.cursor(this.chain)?.number;
    if (stored === undefined) {
      // A chain never watched starts at the current height: there is nothing to catch up on.
      this.advance(head);
      this.log.info({ height: head }, "first time on this chain; starting at the latest block");
      return;
    }
    let cursor: bigint = stored;
    if (cursor > head + this.maxRange) {
      // Far ahead of the chain: not this chain's cursor (a new chain under the same id, such
      // as a reset local chain). Nothing of it can be caught up; follow the new chain.
      this.log.warn(
        { cursor: String(cursor), height: String(head) },
        "the stored cursor is ahead of the chain (a new chain under this id?); starting at its latest block",
      );
      this.advance(head);
      return;
    }
    while (cursor < head) {
      if (this.stopped) throw new Stopped();
      const from: bigint = cursor + 1n;
      const to: bigint = head < from + this.maxRange - 1n ? head : from + this.maxRange - 1n;
      const version = index.version;
      let blocks: CosmosEvent[][];
      try {
        blocks = await this.fetchRange(from, to);
      } catch (err) {
        if (!(err instanceof PrunedHeightError)) throw err;
        // Nothing can bring those blocks back from this endpoint: say so loudly, go on.
        this.log.error(
          { from: String(from), lowest: String(err.lowest), err },
          "blocks to catch up on are pruned by the chain's node; their events are skipped",
        );
        cursor = err.lowest - 1n;
        this.advance(cursor);
        continue;
      }
      // Triggers registered meanwhile would miss this range: read it again with them.
      if (index.version !== version) continue;
      const fires = anchors.firesInRange(index.blockIntervals(this.chain), from, to);
      let f = 0;
      for (let i = 0; i < blocks.length; i++) {
        const height = from + BigInt(i);
        await this.emitEvents(height, blocks[i] as CosmosEvent[]);
        while (f < fires.length && (fires[f] as BlockIntervalFire).height <= height) {
          await this.emitFire(fires[f++] as BlockIntervalFire);
        }
      }
      cursor = to;
      this.advance(cursor);
    }
  }

  private advance(height: bigint): void {
    // Committed CometBFT blocks are final: the cursor needs no hash to detect reorgs.
    this.options.store.advance(this.chain, { number: height, hash: "" });
    this.cursor = height;
  }

  /** The events of every height in [from, to], in order, a few requests at a time. */
  private async fetchRange(from: bigint, to: bigint): Promise<CosmosEvent[][]> {
    const { rpc, index } = this.options;
    const count = Number(to - from) + 1;
    // With nothing to match but block intervals, the blocks' events are not needed.
    if (index.logFilter(this.chain).addresses.length === 0)
      return Array.from({ length: count }, () => []);
    const out: CosmosEvent[][] = new Array(count);
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const i = next++;
        if (this.stopped) throw new Stopped();
        out[i] = await rpc.getBlockEvents(from + BigInt(i));
      }
    };
    await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, count) }, worker));
    return out;
  }

  private async emitEvents(height: bigint, events: readonly CosmosEvent[]): Promise<void> {
    for (let eventIndex = 0; eventIndex < events.length; eventIndex++) {
      const event = events[eventIndex] as CosmosEvent;
      const address = contractAddressOf(event);
      if (address === undefined) continue;
      const subscribers = this.options.index.lookupLog(
        this.chain,
        address,
        cosmosEventKey(event.type),
      );
      for (const subscriber of subscribers) {
        if (this.stopped) throw new Stopped();
        if (subscriber.kind === "workflow") {
          await this.onEvent({
            serviceId: subscriber.serviceId,
            workflowId: subscriber.workflowId,
            trigger: subscriber.trigger,
            data: {
              type: "cosmos_contract_event",
              // bech32's separator is the last "1"; what precedes it is the prefix
              contract_address: { bech32_addr: address, prefix_len: address.lastIndexOf("1") },
              chain: this.chain,
              event: {
                ty: event.type,
                attributes: event.attributes.map((a): [string, string] => [a.key, a.value]),
              },
              block_height: height,
              event_index: BigInt(eventIndex),
            },
          });
        } else {
          const uri = event.attributes.find((a) => a.key === "service-uri")?.value;
          await this.options.onServiceUriUpdated?.(subscriber.serviceId, uri);
        }
      }
    }
  }
}
