import type { Db } from "./database.js";
import { KeptRows } from "./kept-rows.js";

/** Where a quorum queue stands. */
export type QuorumQueueStatus = "collecting" | "quorum" | "failed" | "burned";

/** A quorum queue: one (event id, submit action) and the envelope its signers agree on. */
export interface QuorumQueueRow {
  id: number;
  service_id: string;
  workflow_id: string;
  event_id: string;
  chain: string;
  /** Handler address, lowercase 0x hex. */
  handler: string;
  /** The component's gas price (wei, decimal), or null. */
  gas_price: string | null;
  envelope_hash: string;
  ordering: string;
  payload_hex: string;
  status: QuorumQueueStatus;
  quorum_input_id: number | null;
  /** JSON array of the signers (sorted) whose signatures reached quorum. */
  quorum_signers: string | null;
  quorum_reached_at: number | null;
  /** The quorum check's reference block, where a search for the landing starts. */
  quorum_block: number | null;
  designated: string | null;
  tx_id: number | null;
  landed_by: "self" | "other" | null;
  landed_tx_hash: string | null;
  landed_block: number | null;
  burned_at: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

type RawRow = Omit<QuorumQueueRow, "payload_hex"> & { payload: Buffer };

function decode({ payload, ...row }: RawRow): QuorumQueueRow {
  return { ...row, payload_hex: `0x${payload.toString("hex")}` };
}

/**
 * Rows kept by {@link QuorumQueueStore}'s cache, landed ones never: more than the queues in
 * flight at once, and a bound on memory, since a row holds its payload.
 */
const CACHED_ROWS = 1024;

/**
 * Owner of the quorum_queues table. A queue is read by id several times per event (the quorum
 * check, the submission plan, the sender, the landing checks: 8 reads for 4 writes, ~30 us
 * each), so rows read outside a transaction are kept, and every write of this store (the
 * table's only writer) updates the kept row with what it wrote. A write inside a transaction
 * could be rolled back: it drops the kept row instead, and reads inside a transaction do not
 * keep what they read. A kept row is frozen: a write replaces it, so a row handed out stays
 * as it was read.
 */
export class QuorumQueueStore {
  private readonly stmts;
  private readonly kept: KeptRows<QuorumQueueRow>;

  constructor(db: Db) {
    this.kept = new KeptRows(db, CACHED_ROWS);
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO quorum_queues (service_id, workflow_id, event_id, chain, handler, gas_price,
           envelope_hash, ordering, payload, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'collecting', ?, ?) ON CONFLICT DO NOTHING`,
      ),
      get: db.prepare<[number], RawRow>("SELECT * FROM quorum_queues WHERE id = ?"),
      find: db.prepare<[string, string, string], RawRow>(
        "SELECT * FROM quorum_queues WHERE event_id = ? AND chain = ? AND handler = ?",
      ),
      burnedFor: db.prepare<[string, string], { id: number }>(
        "SELECT id FROM quorum_queues WHERE event_id = ? AND envelope_hash = ? AND status = 'burned' LIMIT 1",
      ),
      inQuorum: db.prepare<[], RawRow>("SELECT * FROM quorum_queues WHERE status = 'quorum'"),
      collectingSince: db.prepare<[number], { id: number }>(
        "SELECT id FROM quorum_queues WHERE status = 'collecting' AND updated_at >= ? ORDER BY id",
      ),
      markQuorum: db.prepare(
        `UPDATE quorum_queues SET status = 'quorum', quorum_input_id = ?, quorum_signers = ?,
           quorum_reached_at = ?, quorum_block = ?, designated = ?, last_error = NULL, updated_at = ?
         WHERE id = ? AND status IN ('collecting', 'failed')`,
      ),
      setTx: db.prepare("UPDATE quorum_queues SET tx_id = ?, updated_at = ? WHERE id = ?"),
      setDesignated: db.prepare(
        "UPDATE quorum_queues SET designated = ?, updated_at = ? WHERE id = ? AND status = 'quorum'",
      ),
      burn: db.prepare(
        `UPDATE quorum_queues SET status = 'burned', landed_by = ?, landed_tx_hash = ?,
           landed_block = ?, burned_at = ?, updated_at = ? WHERE id = ? AND status != 'burned'`,
      ),
      fail: db.prepare(
        `UPDATE quorum_queues SET status = 'failed', last_error = ?, tx_id = NULL, updated_at = ?
         WHERE id = ? AND status != 'burned'`,
      ),
      note: db.prepare("UPDATE quorum_queues SET last_error = ?, updated_at = ? WHERE id = ?"),
      list: db.prepare<[string, number, number], RawRow>(
        "SELECT * FROM quorum_queues WHERE service_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
      ),
      byEvent: db.prepare<[string], RawRow>(
        "SELECT * FROM quorum_queues WHERE event_id = ? ORDER BY id LIMIT 100",
      ),
      sweep: db.prepare("DELETE FROM quorum_queues WHERE status != 'quorum' AND updated_at < ?"),
    };
  }

  /** Open a queue with its first envelope; returns its id, or undefined when it exists. */
  insert(q: {
    serviceId: string;
    workflowId: string;
    eventId: string;
    chain: string;
    handler: string;
    gasPrice: bigint | undefined;
    envelopeHash: string;
    ordering: string;
    payloadHex: string;
  }): number | undefined {
    const now = Date.now();
    const info = this.stmts.insert.run(
      q.serviceId,
      q.workflowId,
      q.eventId,
      q.chain,
      q.handler,
      q.gasPrice === undefined ? null : q.gasPrice.toString(),
      q.envelopeHash,
      q.ordering,
      Buffer.from(q.payloadHex.replace(/^0x/, ""), "hex"),
      now,
      now,
    );
    return info.changes === 1 ? Number(info.lastInsertRowid) : undefined;
  }

  /** One queue. */
  get(id: number): QuorumQueueRow | undefined {
    const kept = this.kept.get(id);
    if (kept) return kept;
    const row = this.stmts.get.get(id);
    return row ? this.keep(decode(row)) : undefined;
  }

  /** The queue of (event id, chain, handler), if any. */
  find(eventId: string, chain: string, handler: string): QuorumQueueRow | undefined {
    const row = this.stmts.find.get(eventId, chain, handler);
    return row ? this.keep(decode(row)) : undefined;
  }

  /** Keep a row just read (see KeptRows); a landed one never: it is read rarely after. */
  private keep(row: QuorumQueueRow): QuorumQueueRow {
    return row.status === "burned" ? row : this.kept.keep(row.id, row);
  }

  /**
   * After a write of `changes` rows to queue `id`: the kept row gets the written columns, or is
   * dropped when the write may still be rolled back or the queue landed.
   */
  private wrote(id: number, changes: number, columns: Partial<QuorumQueueRow>): boolean {
    if (changes === 0) return false;
    if (columns.status === "burned") this.kept.drop(id);
    else this.kept.wrote(id, changes, columns);
    return true;
  }

  /** Whether a queue for this event and envelope has already landed. */
  hasBurned(eventId: string, envelopeHash: string): boolean {
    return this.stmts.burnedFor.get(eventId, envelopeHash) !== undefined;
  }

  /** Queues that reached quorum but have not landed yet (resumed after a restart). */
  inQuorum(): QuorumQueueRow[] {
    return this.stmts.inQuorum.all().map(decode);
  }

  /** Ids of queues still waiting for quorum that changed since `sinceMs`. */
  collectingSince(sinceMs: number): { id: number }[] {
    return this.stmts.collectingSince.all(sinceMs);
  }

  /** Record that quorum was reached; false when the queue was not waiting for it. */
  markQuorum(
    id: number,
    q: {
      inputId: number;
      signers: readonly string[];
      at: number;
      block: bigint;
      designated: string;
    },
  ): boolean {
    const columns = {
      status: "quorum" as const,
      quorum_input_id: q.inputId,
      quorum_signers: JSON.stringify(q.signers),
      quorum_reached_at: q.at,
      quorum_block: Number(q.block),
      designated: q.designated,
      last_error: null,
      updated_at: Date.now(),
    };
    const { changes } = this.stmts.markQuorum.run(
      columns.quorum_input_id,
      columns.quorum_signers,
      columns.quorum_reached_at,
      columns.quorum_block,
      columns.designated,
      columns.updated_at,
      id,
    );
    return this.wrote(id, changes, columns);
  }

  /** The designated submitter, planned again after a later signature joined. */
  setDesignated(id: number, designated: string): void {
    const now = Date.now();
    const { changes } = this.stmts.setDesignated.run(designated, now, id);
    this.wrote(id, changes, { designated, updated_at: now });
  }

  /** Link the transaction that submits this queue. */
  setTx(id: number, txId: number | null): void {
    const now = Date.now();
    this.wrote(id, this.stmts.setTx.run(txId, now, id).changes, { tx_id: txId, updated_at: now });
  }

  /** Mark the result landed (by us or by another operator); later submissions are ignored. */
  burn(
    id: number,
    landed: { by: "self" | "other"; txHash?: string | undefined; block?: number | undefined },
  ): boolean {
    const now = Date.now();
    const columns = {
      status: "burned" as const,
      landed_by: landed.by,
      landed_tx_hash: landed.txHash ?? null,
      landed_block: landed.block ?? null,
      burned_at: now,
      updated_at: now,
    };
    const { changes } = this.stmts.burn.run(
      columns.landed_by,
      columns.landed_tx_hash,
      columns.landed_block,
      now,
      now,
      id,
    );
    return this.wrote(id, changes, columns);
  }

  /** Mark a submission attempt failed; a new signature joining reopens the queue. */
  fail(id: number, error: string): void {
    const now = Date.now();
    const { changes } = this.stmts.fail.run(error, now, id);
    this.wrote(id, changes, { status: "failed", last_error: error, tx_id: null, updated_at: now });
  }

  /** Record the latest problem without changing the status. */
  note(id: number, error: string | null): void {
    const now = Date.now();
    this.wrote(id, this.stmts.note.run(error, now, id).changes, {
      last_error: error,
      updated_at: now,
    });
  }

  /** Queues of a service, newest first, before the id `before`. */
  list(serviceId: string, limit: number, before = Number.MAX_SAFE_INTEGER): QuorumQueueRow[] {
    return this.stmts.list.all(serviceId, before, limit).map(decode);
  }

  /** The queues of one event (one per handler it is submitted to), oldest first. */
  byEvent(eventId: string): QuorumQueueRow[] {
    return this.stmts.byEvent.all(eventId).map(decode);
  }

  /** Forget queues (and their signatures) untouched since `beforeMs`, except those submitting. */
  sweep(beforeMs: number): number {
    const { changes } = this.stmts.sweep.run(beforeMs);
    if (changes > 0) this.kept.clear();
    return changes;
  }
}
