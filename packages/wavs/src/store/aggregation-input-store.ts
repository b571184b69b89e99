import type { Db } from "./database.js";
import { KeptRows } from "./kept-rows.js";

/** Where an aggregation input stands. */
export type AggregationInputStatus = "received" | "processed" | "failed" | "ignored" | "dropped";

/** One accepted signed submission (this node's own or a peer's), as stored. */
export interface AggregationInputRow {
  id: number;
  service_id: string;
  workflow_id: string;
  event_id: string;
  envelope_hash: string;
  signer: string;
  signature: string;
  payload_hex: string;
  /** Decimal u64, or null when the component set no ordering. */
  ordering: string | null;
  event_id_salt: string | null;
  /** Trigger data JSON text (service/trigger-data.ts form). */
  trigger_data: string;
  origin: string;
  status: AggregationInputStatus;
  error: string | null;
  received_at: number;
  processed_at: number | null;
}

type RawRow = Omit<AggregationInputRow, "payload_hex"> & { payload: Buffer };

function decode({ payload, ...row }: RawRow): AggregationInputRow {
  return { ...row, payload_hex: `0x${payload.toString("hex")}` };
}

/** A valid submission for an event over another envelope than the one compared with. */
export interface OtherEnvelopeRow {
  signer: string;
  envelope_hash: string;
  origin: string;
  received_at: number;
}

/** Inputs kept by {@link AggregationInputStore}: more than the submissions in flight at once. */
const CACHED_ROWS = 1024;

/**
 * Owner of the aggregation_inputs table: every submission the aggregator accepted. An input is
 * read back by id right after it is stored (to run the aggregator component on it) and again
 * by the landing checks, so what this store wrote or read outside a transaction is kept, and
 * its own writes update the kept row (the table's only writer; inside a transaction, which may
 * roll back, a write drops the kept row instead and a read keeps nothing). Kept rows are
 * frozen: a write replaces them.
 */
export class AggregationInputStore {
  private readonly stmts;
  private readonly kept: KeptRows<AggregationInputRow>;

  constructor(db: Db) {
    this.kept = new KeptRows(db, CACHED_ROWS);
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO aggregation_inputs (service_id, workflow_id, event_id, envelope_hash, signer,
           signature, payload, ordering, event_id_salt, trigger_data, origin, status, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?) ON CONFLICT DO NOTHING`,
      ),
      exists: db.prepare<[string, string, string, string, string], { id: number }>(
        `SELECT id FROM aggregation_inputs WHERE service_id = ? AND workflow_id = ? AND event_id = ?
           AND signer = ? AND envelope_hash = ?`,
      ),
      otherEnvelopes: db.prepare<[string, string, string, string], OtherEnvelopeRow>(
        `SELECT signer, envelope_hash, origin, received_at FROM aggregation_inputs
           WHERE service_id = ? AND workflow_id = ? AND event_id = ? AND envelope_hash != ?
           ORDER BY id`,
      ),
      get: db.prepare<[number], RawRow>("SELECT * FROM aggregation_inputs WHERE id = ?"),
      received: db.prepare<[], RawRow>(
        "SELECT * FROM aggregation_inputs WHERE status = 'received' ORDER BY id",
      ),
      finish: db.prepare(
        "UPDATE aggregation_inputs SET status = ?, error = ?, processed_at = ? WHERE id = ?",
      ),
      recent: db.prepare<[string, number, number], RawRow>(
        `SELECT * FROM aggregation_inputs WHERE service_id = ? AND received_at >= ?
           ORDER BY id LIMIT ?`,
      ),
      sweep: db.prepare(
        `DELETE FROM aggregation_inputs WHERE received_at < ? AND status != 'received'
           AND id NOT IN (SELECT input_id FROM aggregation_timers WHERE status = 'pending')`,
      ),
    };
  }

  /** Store an accepted submission; returns its id, or undefined when it was stored before. */
  insert(
    row: Omit<AggregationInputRow, "id" | "status" | "error" | "processed_at">,
  ): number | undefined {
    const payload = Buffer.from(row.payload_hex.replace(/^0x/, ""), "hex");
    const info = this.stmts.insert.run(
      row.service_id,
      row.workflow_id,
      row.event_id,
      row.envelope_hash,
      row.signer,
      row.signature,
      payload,
      row.ordering,
      row.event_id_salt,
      row.trigger_data,
      row.origin,
      row.received_at,
    );
    if (info.changes !== 1) return undefined;
    const id = Number(info.lastInsertRowid);
    this.kept.keep(id, {
      ...row,
      id,
      // as `decode` reads it back
      payload_hex: `0x${payload.toString("hex")}`,
      status: "received",
      error: null,
      processed_at: null,
    });
    return id;
  }

  /** Whether this exact submission (same signer, same envelope) was accepted before. */
  has(key: {
    serviceId: string;
    workflowId: string;
    eventId: string;
    signer: string;
    envelopeHash: string;
  }): boolean {
    return (
      this.stmts.exists.get(
        key.serviceId,
        key.workflowId,
        key.eventId,
        key.signer,
        key.envelopeHash,
      ) !== undefined
    );
  }

  /** Accepted submissions for the event over another envelope than `envelopeHash` (operators that disagree), oldest first. */
  otherEnvelopes(key: {
    serviceId: string;
    workflowId: string;
    eventId: string;
    envelopeHash: string;
  }): OtherEnvelopeRow[] {
    const { serviceId, workflowId, eventId, envelopeHash } = key;
    return this.stmts.otherEnvelopes.all(serviceId, workflowId, eventId, envelopeHash);
  }

  /** One input. */
  get(id: number): AggregationInputRow | undefined {
    const kept = this.kept.get(id);
    if (kept) return kept;
    const row = this.stmts.get.get(id);
    if (!row) return undefined;
    const input = decode(row);
    return this.kept.keep(input.id, input);
  }

  /** Inputs accepted but not processed yet (a crash interrupted them), oldest first. */
  received(): AggregationInputRow[] {
    return this.stmts.received.all().map(decode);
  }

  /** Record how processing an input ended. */
  finish(id: number, status: Exclude<AggregationInputStatus, "received">, error?: string): void {
    const at = Date.now();
    const { changes } = this.stmts.finish.run(status, error ?? null, at, id);
    this.kept.wrote(id, changes, { status, error: error ?? null, processed_at: at });
  }

  /** Inputs of a service received since `sinceMs`, oldest first (catch-up for peers). */
  recent(serviceId: string, sinceMs: number, limit: number): AggregationInputRow[] {
    return this.stmts.recent.all(serviceId, sinceMs, limit).map(decode);
  }

  /** Forget finished inputs received before `beforeMs`; returns how many. */
  sweep(beforeMs: number): number {
    const { changes } = this.stmts.sweep.run(beforeMs);
    if (changes > 0) this.kept.clear();
    return changes;
  }
}
