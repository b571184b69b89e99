/**
 * Lookups of the operator console (GET /events/{event_id}, GET /stats/executions): one event's
 * executions and submissions, and executions by the time they finished, without scanning.
 */
export const sql = `
  CREATE INDEX executions_by_trigger ON executions (trigger_key);
  CREATE INDEX executions_by_finish ON executions (finished_at) WHERE finished_at IS NOT NULL;
  CREATE INDEX submissions_by_event ON submissions (event_id);
`;
