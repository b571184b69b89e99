/**
 * When each accepted submission was signed, by its signer's clock (ms; null for submissions
 * from nodes that do not say). A node that signed an event after the others had quorum reads
 * from it how late it is, whatever its own backlog did to when it heard of them
 * (aggregator/submission-timing.ts).
 */
export const sql = `
  ALTER TABLE aggregation_inputs ADD COLUMN signed_at INTEGER;
`;
