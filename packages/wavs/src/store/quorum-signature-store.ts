import type { Db } from "./database.js";

/** One signer's signature in a quorum queue. */
export interface QuorumSignatureRow {
  queue_id: number;
  signer: string;
  signature: string;
  input_id: number;
  origin: string;
  added_at: number;
}

/** Owner of the quorum_signatures table: one signature per signer per queue. */
export class QuorumSignatureStore {
  private readonly stmts;

  constructor(db: Db) {
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
  }

  /** Signatures of a queue, in the order they arrived. */
  list(queueId: number): QuorumSignatureRow[] {
    return this.stmts.list.all(queueId);
  }
}
