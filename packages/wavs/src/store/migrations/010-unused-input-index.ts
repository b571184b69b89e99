/**
 * No statement looks aggregation inputs up by event id alone: those that name an event also
 * name its service and workflow, which the UNIQUE index leads with. The index on event_id was
 * one more B-tree written by every accepted submission (~10 us of a ~100 us insert here) and
 * by every sweep.
 */
export const sql = `
  DROP INDEX IF EXISTS aggregation_inputs_by_event;
`;
