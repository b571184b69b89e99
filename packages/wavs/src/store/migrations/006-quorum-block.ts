/**
 * The chain's block when a queue reached quorum (the quorum check's reference block): where a
 * node that heard no landing announcement starts looking for the result on-chain.
 */
export const sql = `
  ALTER TABLE quorum_queues ADD COLUMN quorum_block INTEGER;
`;
