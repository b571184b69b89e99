/**
 * Block-interval triggers. With anchor `a` (start_block, else the first block processed after
 * the trigger was registered), a trigger fires at height `h` when `h >= a`,
 * `(h - a) % n == 0` and (no end block or `h <= end_block`). The anchor is persisted, so a
 * restart keeps the same rhythm; heights come from the blocks the chain watcher processes, so
 * they are caught up after downtime like logs.
 */
import { triggerToJson } from "../service/index.js";
import type { CursorStore } from "../store/index.js";
import type { TriggerEvent } from "./trigger-event.js";
import type { BlockIntervalSubscriber } from "./trigger-index.js";

/** Whether a trigger with this anchor, interval and end block fires at height `h`. */
export function blockIntervalFiresAt(
  h: bigint,
  anchor: bigint,
  nBlocks: bigint,
  endBlock: bigint | null | undefined,
): boolean {
  if (h < anchor) return false;
  if (endBlock !== null && endBlock !== undefined && h > endBlock) return false;
  return (h - anchor) % nBlocks === 0n;
}

/** The heights in [from, to] at which the trigger fires, ascending (computed, not scanned). */
export function blockIntervalHeights(
  anchor: bigint,
  nBlocks: bigint,
  endBlock: bigint | null | undefined,
  from: bigint,
  to: bigint,
): bigint[] {
  if (nBlocks <= 0n) return [];
  const last = endBlock !== null && endBlock !== undefined && endBlock < to ? endBlock : to;
  const start = from > anchor ? from : anchor;
  if (start > last) return [];
  // First h >= start with (h - anchor) % n == 0.
  const offset = (start - anchor) % nBlocks;
  const heights: bigint[] = [];
  for (let h = offset === 0n ? start : start + (nBlocks - offset); h <= last; h += nBlocks) {
    heights.push(h);
  }
  return heights;
}

/** One block-interval firing. */
export interface BlockIntervalFire {
  height: bigint;
  subscriber: BlockIntervalSubscriber;
}

/** The trigger event of a firing. */
export function blockIntervalEvent(chain: string, fire: BlockIntervalFire): TriggerEvent {
  const { serviceId, workflowId, trigger } = fire.subscriber;
  return {
    serviceId,
    workflowId,
    trigger,
    data: { type: "block_interval", chain, block_height: fire.height },
  };
}

/** Anchors of block-interval triggers, persisted through the cursor store and cached. */
export class BlockIntervalAnchors {
  private readonly cache = new Map<string, { json: string; anchor: bigint }>();

  constructor(private readonly store: CursorStore) {}

  /**
   * The firings of `subscribers` in [from, to], sorted by height. A trigger without
   * start_block and without a stored anchor is anchored at `from`, the first block it sees.
   */
  firesInRange(
    subscribers: readonly BlockIntervalSubscriber[],
    from: bigint,
    to: bigint,
  ): BlockIntervalFire[] {
    const fires: BlockIntervalFire[] = [];
    for (const subscriber of subscribers) {
      const { trigger } = subscriber;
      const anchor = this.anchorOf(subscriber, from);
      for (const height of blockIntervalHeights(
        anchor,
        BigInt(trigger.n_blocks),
        trigger.end_block,
        from,
        to,
      )) {
        fires.push({ height, subscriber });
      }
    }
    return fires.sort((a, b) => (a.height < b.height ? -1 : a.height > b.height ? 1 : 0));
  }

  /** Forget a workflow's anchor (workflow removed or no longer a block interval). */
  forget(serviceId: string, workflowId: string): void {
    this.cache.delete(`${serviceId}/${workflowId}`);
    this.store.deleteAnchor(serviceId, workflowId);
  }

  /** Forget the anchors of a whole service. */
  forgetService(serviceId: string): void {
    for (const key of [...this.cache.keys()]) {
      if (key.startsWith(`${serviceId}/`)) this.cache.delete(key);
    }
  }

  private anchorOf(subscriber: BlockIntervalSubscriber, firstSeen: bigint): bigint {
    const { serviceId, workflowId, trigger } = subscriber;
    if (trigger.start_block !== null && trigger.start_block !== undefined) {
      return trigger.start_block;
    }
    const key = `${serviceId}/${workflowId}`;
    const json = JSON.stringify(triggerToJson(trigger));
    const cached = this.cache.get(key);
    if (cached && cached.json === json) return cached.anchor;
    let anchor = this.store.anchor(serviceId, workflowId, json);
    if (anchor === undefined) {
      anchor = firstSeen;
      this.store.setAnchor(serviceId, workflowId, json, anchor);
    }
    this.cache.set(key, { json, anchor });
    return anchor;
  }
}
