/**
 * Executions and signed submissions (owners: store/execution-store.ts,
 * store/submission-store.ts). An execution row is written before the trigger source may
 * advance its cursor, so a trigger is never lost; the unique trigger key drops replays.
 */
export const sql = `
  CREATE TABLE executions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id TEXT NOT NULL,
    workflow_id TEXT NOT NULL,
    -- hex id of the trigger (the event id of its data); replays of one trigger share it
    trigger_key TEXT NOT NULL,
    trigger_type TEXT NOT NULL,
    trigger_data TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    error_code TEXT,
    error_message TEXT,
    duration_ms REAL,
    queued_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    logs TEXT,
    responses TEXT,
    UNIQUE (service_id, workflow_id, trigger_key)
  );
  CREATE INDEX executions_pending ON executions (id) WHERE status IN ('queued', 'running');
  CREATE INDEX executions_by_service ON executions (service_id, id);

  CREATE TABLE submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id TEXT NOT NULL,
    workflow_id TEXT NOT NULL,
    execution_id INTEGER NOT NULL REFERENCES executions (id),
    event_id TEXT NOT NULL,
    ordering TEXT NOT NULL,
    payload BLOB NOT NULL,
    envelope_hash TEXT NOT NULL,
    signer TEXT NOT NULL,
    signature TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (service_id, workflow_id, event_id)
  );
  CREATE INDEX submissions_by_service ON submissions (service_id, id);
`;
