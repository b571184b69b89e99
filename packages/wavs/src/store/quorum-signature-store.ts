import type { Db } from "./database.js";
import { KeptRows } from "./kept-rows.js";

/** One signer's signature in a quorum queue. */
export interface QuorumSignatureRow {
  queue_id: number;
  signer: string;
  signature: string;
  input_id: number;
  origin: string;
  added_at: number;
}

/** Queues whose signature lists are kept: more than the queues in flight at once. */
const CACHED_QUEUES = 1024;

/**
 * Owner of the quorum_signatures table: one signature per signer per queue. A queue's list is
 * read several times per event (the quorum check, each submission plan, the sender: ~9 reads
 * for 3 writes in a three-operator network), so a list read outside a transaction is kept
 * until this store writes to that queue again (the table's only writer; a write inside a
 * transaction may be rolled back, so it drops the kept list rather than updating it). Kept
 * lists are frozen. Rows deleted with their queue (a sweep of old queues) may stay kept for
 * ids no one asks about again: queue ids are never reused.
 */
export class QuorumSignatureStore {
  private readonly stmts;
  private readonly kept: KeptRows<readonly QuorumSignatureRow[]>;

  constructor(db: Db) {
    this.kept = new KeptRows(db, CACHED_QUEUES);
    this.stmts = {
      upsert: db.prepare(
        `INSERT INTO quorum_signatures (queue_id, signer, signature, input_id, origin, added_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (queue_id, signer) DO UPDATE SET signature = excluded.signature,
           input_id = excluded.input_id, origin = excluded.origin, added_at = excluded.added_at`,
      ),
      list: db.prepare<[number], QuorumSignatureRow>(
        "SELECT * FROM quorum_signatures WHERE queue_id = ? ORDER BY added_at, signer",
      ),
    };
  }

  /** Add a signature; a second one from the same signer replaces the first. */
  put(row: QuorumSignatureRow): void {
    this.stmts.upsert.run(
      row.queue_id,
      row.signer,
      row.signature,
      row.input_id,
      row.origin,
      row.added_at,
    );
    this.kept.drop(row.queue_id);
  }

  /** Signatures of a queue, in the order they arrived. */
  list(queueId: number): readonly QuorumSignatureRow[] {
    const hit = this.kept.get(queueId);
    if (hit) return hit;
    const rows = Object.freeze(this.stmts.list.all(queueId).map((r) => Object.freeze(r)));
    return this.kept.keep(queueId, rows);
  }
}
