import type { Db } from "./database.js";

/** A signed submission as stored and listed. */
export interface SubmissionRow {
  id: number;
  service_id: string;
  workflow_id: string;
  execution_id: number;
  event_id: string;
  ordering: string;
  payload_hex: string;
  envelope_hash: string;
  signer: string;
  signature: string;
  status: string;
  created_at: number;
}

/** Owner of the submissions table: every envelope this operator signed. */
export class SubmissionStore {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO submissions (service_id, workflow_id, execution_id, event_id, ordering, payload,
           envelope_hash, signer, signature, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      list: db.prepare<
        [string, number, number],
        Omit<SubmissionRow, "payload_hex"> & { payload: Buffer }
      >("SELECT * FROM submissions WHERE service_id = ? AND id < ? ORDER BY id DESC LIMIT ?"),
      byEvent: db.prepare<[string], Omit<SubmissionRow, "payload_hex"> & { payload: Buffer }>(
        "SELECT * FROM submissions WHERE event_id = ? ORDER BY id LIMIT 100",
      ),
      count: db.prepare<[string], { n: number }>(
        "SELECT COUNT(*) AS n FROM submissions WHERE service_id = ?",
      ),
    };
  }

  /** Store a signed submission; false when this event id was already signed for the workflow. */
  insert(s: Omit<SubmissionRow, "id" | "created_at">): boolean {
    const info = this.stmts.insert.run(
      s.service_id,
      s.workflow_id,
      s.execution_id,
      s.event_id,
      s.ordering,
      Buffer.from(s.payload_hex.replace(/^0x/, ""), "hex"),
      s.envelope_hash,
      s.signer,
      s.signature,
      s.status,
      Date.now(),
    );
    return info.changes === 1;
  }

  /** Most recent submissions of a service, newest first. */
  list(serviceId: string, limit: number, before = Number.MAX_SAFE_INTEGER): SubmissionRow[] {
    return this.stmts.list.all(serviceId, before, limit).map(withHexPayload);
  }

  /** The submissions this node signed for one event, oldest first. */
  byEvent(eventId: string): SubmissionRow[] {
    return this.stmts.byEvent.all(eventId).map(withHexPayload);
  }

  /** Number of submissions of a service. */
  count(serviceId: string): number {
    return this.stmts.count.get(serviceId)?.n ?? 0;
  }
}

function withHexPayload({
  payload,
  ...row
}: Omit<SubmissionRow, "payload_hex"> & { payload: Buffer }): SubmissionRow {
  return { ...row, payload_hex: `0x${payload.toString("hex")}` };
}
