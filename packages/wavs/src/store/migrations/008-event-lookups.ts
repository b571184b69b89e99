/**
 * Lookups of the operator console (GET /events/{event_id}, GET /stats/executions): one event's
 * executions and submissions, and executions by the time they finished, without scanning.
 * An execution records its event id apart from its trigger key: a manual fire's key is unique
 * per fire (\`manual:<uuid>\`), its event id is derived from its data like any other. Rows from
 * before kept their event id in the key.
 */
export const sql = `
  ALTER TABLE executions ADD COLUMN event_id TEXT;
  UPDATE executions SET event_id = trigger_key WHERE trigger_key LIKE '0x%';
  CREATE INDEX executions_by_event ON executions (event_id);
  CREATE INDEX executions_by_finish ON executions (finished_at) WHERE finished_at IS NOT NULL;
  CREATE INDEX submissions_by_event ON submissions (event_id);
`;
