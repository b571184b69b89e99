import type { Db } from "./database.js";

/** A block by number and hash (lowercase 0x hex). */
export interface BlockRef {
  number: bigint;
  hash: string;
}

/** Default number of reorg checkpoints kept per chain. */
export const DEFAULT_CHECKPOINTS_KEPT = 512;

/**
 * Old checkpoints are deleted once every this many advances, not at each one: the delete
 * was a quarter of the cost of a block (~65 us of ~250), paid twice per event on a chain that
 * mines a block per transaction. The table holds up to this many more than are kept.
 */
const PRUNE_EVERY = 64;

/**
 * Owner of the trigger tables (migration 003): per-chain cursors with their reorg checkpoints,
 * block-interval anchors and cron ticks. Everything the triggers need to resume after a restart.
 */
export class CursorStore {
  private readonly stmts;
  private readonly advanceTx;
  private readonly rewindTx;
  /**
   * Each chain's cursor as this store last wrote it (the watcher reads it at every block), frozen
   * so it can be handed out as is. Only what it wrote: another store over the same database may
   * be the one that writes.
   */
  private readonly cursors = new Map<string, BlockRef>();
  /** Advances per chain since old checkpoints were last deleted. */
  private readonly sincePrune = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly checkpointsKept = DEFAULT_CHECKPOINTS_KEPT,
  ) {
    this.stmts = {
      cursor: db.prepare<[string], { block_number: bigint; block_hash: string }>(
        "SELECT block_number, block_hash FROM trigger_cursors WHERE chain = ?",
      ),
      setCursor: db.prepare(
        "INSERT INTO trigger_cursors (chain, block_number, block_hash, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash, updated_at = excluded.updated_at",
      ),
      addCheckpoint: db.prepare(
        "INSERT INTO trigger_checkpoints (chain, block_number, block_hash) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET block_hash = excluded.block_hash",
      ),
      pruneCheckpoints: db.prepare(
        "DELETE FROM trigger_checkpoints WHERE chain = ? AND block_number < (SELECT block_number FROM trigger_checkpoints WHERE chain = ? ORDER BY block_number DESC LIMIT 1 OFFSET ?)",
      ),
      checkpoints: db.prepare<[string, number], { block_number: bigint; block_hash: string }>(
        "SELECT block_number, block_hash FROM trigger_checkpoints WHERE chain = ? ORDER BY block_number DESC LIMIT ?",
      ),
      dropCheckpointsAbove: db.prepare(
        "DELETE FROM trigger_checkpoints WHERE chain = ? AND block_number > ?",
      ),
      anchor: db.prepare<[string, string], { trigger_json: string; anchor_block: bigint }>(
        "SELECT trigger_json, anchor_block FROM block_interval_anchors WHERE service_id = ? AND workflow_id = ?",
      ),
      setAnchor: db.prepare(
        "INSERT INTO block_interval_anchors (service_id, workflow_id, trigger_json, anchor_block) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET trigger_json = excluded.trigger_json, anchor_block = excluded.anchor_block",
      ),
      deleteAnchor: db.prepare(
        "DELETE FROM block_interval_anchors WHERE service_id = ? AND workflow_id = ?",
      ),
      deleteAnchors: db.prepare("DELETE FROM block_interval_anchors WHERE service_id = ?"),
      cronTick: db.prepare<[string, string], { last_tick_ms: number }>(
        "SELECT last_tick_ms FROM cron_last_ticks WHERE service_id = ? AND workflow_id = ?",
      ),
      setCronTick: db.prepare(
        "INSERT INTO cron_last_ticks (service_id, workflow_id, last_tick_ms) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET last_tick_ms = excluded.last_tick_ms",
      ),
      deleteCronTick: db.prepare(
        "DELETE FROM cron_last_ticks WHERE service_id = ? AND workflow_id = ?",
      ),
      deleteCronTicks: db.prepare("DELETE FROM cron_last_ticks WHERE service_id = ?"),
    };
    this.stmts.cursor.safeIntegers(true);
    this.stmts.checkpoints.safeIntegers(true);
    this.stmts.anchor.safeIntegers(true);
    this.advanceTx = db.transaction((chain: string, block: BlockRef, prune: boolean) => {
      this.stmts.setCursor.run(chain, block.number, block.hash, Date.now());
      this.stmts.addCheckpoint.run(chain, block.number, block.hash);
      if (prune) this.stmts.pruneCheckpoints.run(chain, chain, this.checkpointsKept - 1);
    });
    this.rewindTx = db.transaction((chain: string, block: BlockRef) => {
      this.stmts.setCursor.run(chain, block.number, block.hash, Date.now());
      this.stmts.dropCheckpointsAbove.run(chain, block.number);
      this.stmts.addCheckpoint.run(chain, block.number, block.hash);
    });
  }

  /** The last fully processed block of a chain, or undefined for a chain never watched. */
  cursor(chain: string): BlockRef | undefined {
    const written = this.cursors.get(chain);
    if (written) return written;
    const row = this.stmts.cursor.get(chain);
    return row ? { number: BigInt(row.block_number), hash: row.block_hash } : undefined;
  }

  /** Move the cursor to `block` (fully processed) and remember it as a reorg checkpoint. */
  advance(chain: string, block: BlockRef): void {
    const advances = (this.sincePrune.get(chain) ?? PRUNE_EVERY - 1) + 1;
    const prune = advances >= PRUNE_EVERY;
    this.advanceTx.immediate(chain, block, prune);
    this.sincePrune.set(chain, prune ? 0 : advances);
    this.cursors.set(chain, Object.freeze({ ...block }));
  }

  /** Reorg checkpoints of a chain, newest first: the last `checkpointsKept` advances. */
  checkpoints(chain: string): BlockRef[] {
    return this.stmts.checkpoints
      .all(chain, this.checkpointsKept)
      .map((r) => ({ number: BigInt(r.block_number), hash: r.block_hash }));
  }

  /** Move the cursor back to a common ancestor, forgetting the checkpoints after it. */
  rewind(chain: string, block: BlockRef): void {
    this.rewindTx.immediate(chain, block);
    this.cursors.set(chain, Object.freeze({ ...block }));
  }

  /** The anchor of a block-interval trigger, if one was stored for this exact trigger. */
  anchor(serviceId: string, workflowId: string, triggerJson: string): bigint | undefined {
    const row = this.stmts.anchor.get(serviceId, workflowId);
    if (!row || row.trigger_json !== triggerJson) return undefined;
    return BigInt(row.anchor_block);
  }

  /** Store the anchor of a block-interval trigger (replacing one of an older trigger). */
  setAnchor(serviceId: string, workflowId: string, triggerJson: string, block: bigint): void {
    this.stmts.setAnchor.run(serviceId, workflowId, triggerJson, block);
  }

  /** Forget one workflow's anchor. */
  deleteAnchor(serviceId: string, workflowId: string): void {
    this.stmts.deleteAnchor.run(serviceId, workflowId);
  }

  /** The last cron tick (ms since the epoch) of a workflow, or undefined. */
  cronTick(serviceId: string, workflowId: string): number | undefined {
    return this.stmts.cronTick.get(serviceId, workflowId)?.last_tick_ms;
  }

  /** Store the last cron tick (ms since the epoch) of a workflow. */
  setCronTick(serviceId: string, workflowId: string, tickMs: number): void {
    this.stmts.setCronTick.run(serviceId, workflowId, tickMs);
  }

  /** Forget one workflow's cron tick. */
  deleteCronTick(serviceId: string, workflowId: string): void {
    this.stmts.deleteCronTick.run(serviceId, workflowId);
  }

  /** Forget the anchors and cron ticks of every workflow of a service. */
  forgetService(serviceId: string): void {
    this.db.transaction(() => {
      this.stmts.deleteAnchors.run(serviceId);
      this.stmts.deleteCronTicks.run(serviceId);
    })();
  }
}
