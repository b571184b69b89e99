import type { ExecLog } from "../service/index.js";
import type { Db } from "./database.js";

/** Status of an execution. */
export type ExecutionStatus = "queued" | "running" | "succeeded" | "failed";

/** One recorded execution, as the API lists it. */
export interface ExecutionRow {
  id: number;
  service_id: string;
  workflow_id: string;
  trigger_key: string;
  /** The event id (0x + 20 bytes); null only for rows of old manual fires. */
  event_id: string | null;
  trigger_type: string;
  trigger_data: unknown;
  status: ExecutionStatus;
  attempts: number;
  error_code: string | null;
  error_message: string | null;
  duration_ms: number | null;
  /** Fuel used; null when the component's code is not metered (or it never ran). */
  fuel_used: number | null;
  queued_at: number;
  started_at: number | null;
  finished_at: number | null;
  logs: ExecLog[];
  responses: { payload_hex: string; ordering: string | null; event_id_salt: string | null }[];
}

/** Finished executions of one service in one time bucket with one outcome. */
export interface BucketRow {
  /** Bucket number: finished_at divided by the bucket length. */
  bucket: number;
  service_id: string;
  status: "succeeded" | "failed";
  n: number;
  /** Sum of their durations. */
  ms: number | null;
}

interface RawRow extends Omit<ExecutionRow, "trigger_data" | "logs" | "responses"> {
  trigger_data: string;
  logs: string | null;
  responses: string | null;
}

function decode(row: RawRow): ExecutionRow {
  return {
    ...row,
    trigger_data: JSON.parse(row.trigger_data) as unknown,
    logs: row.logs ? (JSON.parse(row.logs) as ExecLog[]) : [],
    responses: row.responses ? (JSON.parse(row.responses) as ExecutionRow["responses"]) : [],
  };
}

/** Owner of the executions table: the durable queue and history of component runs. */
export class ExecutionStore {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO executions (service_id, workflow_id, trigger_key, event_id, trigger_type, trigger_data, status, queued_at)
         VALUES (?, ?, ?, ?, ?, ?, 'queued', ?) ON CONFLICT DO NOTHING`,
      ),
      insertRunning: db.prepare(
        `INSERT INTO executions (service_id, workflow_id, trigger_key, event_id, trigger_type, trigger_data, status,
           attempts, queued_at, started_at)
         VALUES (?, ?, ?, ?, ?, ?, 'running', 1, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      start: db.prepare(
        "UPDATE executions SET status = 'running', attempts = attempts + 1, started_at = ? WHERE id = ?",
      ),
      finish: db.prepare(
        `UPDATE executions SET status = ?, error_code = ?, error_message = ?, duration_ms = ?, finished_at = ?,
         logs = ?, responses = ?, fuel_used = ? WHERE id = ?`,
      ),
      pending: db.prepare<[], RawRow>(
        "SELECT * FROM executions WHERE status IN ('queued', 'running') ORDER BY id",
      ),
      get: db.prepare<[number], RawRow>("SELECT * FROM executions WHERE id = ?"),
      list: db.prepare<[string, number, number], RawRow>(
        "SELECT * FROM executions WHERE service_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
      ),
      byEvent: db.prepare<[string], RawRow>(
        "SELECT * FROM executions WHERE event_id = ? ORDER BY id LIMIT 100",
      ),
      buckets: db.prepare<[number, number], BucketRow>(
        `SELECT finished_at / CAST(? AS INTEGER) AS bucket, service_id, status, COUNT(*) AS n, SUM(duration_ms) AS ms
         FROM executions WHERE finished_at >= ? GROUP BY bucket, service_id, status`,
      ),
    };
  }

  /**
   * Record a new execution, queued, or already running (its first attempt counted) when it
   * starts at once: one write instead of an insert and `markRunning`. Returns its id, or
   * undefined when this trigger was seen before.
   */
  enqueue(
    e: {
      serviceId: string;
      workflowId: string;
      triggerKey: string;
      /** The event id of the trigger (equal to the key but for deliberate repeats). */
      eventId: string;
      triggerType: string;
      triggerData: unknown;
    },
    opts: { running?: boolean } = {},
  ): number | undefined {
    const now = Date.now();
    const fields = [
      e.serviceId,
      e.workflowId,
      e.triggerKey,
      e.eventId,
      e.triggerType,
      JSON.stringify(e.triggerData),
      now,
    ] as const;
    const info = opts.running
      ? this.stmts.insertRunning.run(...fields, now)
      : this.stmts.insert.run(...fields);
    return info.changes === 1 ? Number(info.lastInsertRowid) : undefined;
  }

  /** Mark an execution as running (counts attempts, so a crash loop is visible). */
  markRunning(id: number): void {
    this.stmts.start.run(Date.now(), id);
  }

  /** Record the outcome of an execution. */
  finish(
    id: number,
    outcome: {
      status: "succeeded" | "failed";
      errorCode?: string | undefined;
      errorMessage?: string | undefined;
      durationMs: number;
      fuelUsed?: number | undefined;
      logs: ExecLog[];
      responses?: ExecutionRow["responses"];
    },
  ): void {
    this.stmts.finish.run(
      outcome.status,
      outcome.errorCode ?? null,
      outcome.errorMessage ?? null,
      outcome.durationMs,
      Date.now(),
      JSON.stringify(outcome.logs),
      JSON.stringify(outcome.responses ?? []),
      outcome.fuelUsed ?? null,
      id,
    );
  }

  /** Executions not finished yet (queued, or interrupted while running), oldest first. */
  pending(): ExecutionRow[] {
    return this.stmts.pending.all().map(decode);
  }

  /** One execution. */
  get(id: number): ExecutionRow | undefined {
    const row = this.stmts.get.get(id);
    return row ? decode(row) : undefined;
  }

  /** The executions of one event (every workflow it triggered), oldest first. */
  byEvent(eventId: string): ExecutionRow[] {
    return this.stmts.byEvent.all(eventId).map(decode);
  }

  /** Executions finished since `sinceMs`, counted per `bucketMs` bucket, service and outcome. */
  finishedBuckets(sinceMs: number, bucketMs: number): BucketRow[] {
    return this.stmts.buckets.all(bucketMs, sinceMs);
  }

  /** Most recent executions of a service, newest first, before the id `before`. */
  list(serviceId: string, limit: number, before = Number.MAX_SAFE_INTEGER): ExecutionRow[] {
    return this.stmts.list.all(serviceId, before, limit).map(decode);
  }
}
