import type { Db } from "./database.js";

/** A persisted aggregator timer: call `handle-timer-callback` on its input at `due_at`. */
export interface AggregationTimerRow {
  id: number;
  input_id: number;
  due_at: number;
  depth: number;
  status: "pending" | "fired" | "dropped";
  note: string | null;
  created_at: number;
  fired_at: number | null;
}

/** Owner of the aggregation_timers table; due times are absolute, so timers survive restarts. */
export class AggregationTimerStore {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO aggregation_timers (input_id, due_at, depth, status, created_at)
         VALUES (?, ?, ?, 'pending', ?)`,
      ),
      pending: db.prepare<[], AggregationTimerRow>(
        "SELECT * FROM aggregation_timers WHERE status = 'pending' ORDER BY due_at, id",
      ),
      get: db.prepare<[number], AggregationTimerRow>(
        "SELECT * FROM aggregation_timers WHERE id = ?",
      ),
      byInput: db.prepare<[number], AggregationTimerRow>(
        "SELECT * FROM aggregation_timers WHERE input_id = ? ORDER BY id",
      ),
      finish: db.prepare(
        "UPDATE aggregation_timers SET status = ?, note = ?, fired_at = ? WHERE id = ? AND status = 'pending'",
      ),
    };
  }

  /** Persist a timer; returns its id. */
  insert(inputId: number, dueAt: number, depth: number): number {
    return Number(this.stmts.insert.run(inputId, dueAt, depth, Date.now()).lastInsertRowid);
  }

  /** Timers not fired yet, soonest first. */
  pending(): AggregationTimerRow[] {
    return this.stmts.pending.all();
  }

  /** One timer. */
  get(id: number): AggregationTimerRow | undefined {
    return this.stmts.get.get(id);
  }

  /** Timers of one input. */
  byInput(inputId: number): AggregationTimerRow[] {
    return this.stmts.byInput.all(inputId);
  }

  /** Mark a pending timer fired or dropped; false when it was not pending any more. */
  finish(id: number, status: "fired" | "dropped", note?: string): boolean {
    return this.stmts.finish.run(status, note ?? null, Date.now(), id).changes === 1;
  }
}
