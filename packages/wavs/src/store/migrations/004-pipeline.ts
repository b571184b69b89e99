/** executions and signed submissions (owner: store/execution-store.ts, store/submission-store.ts). */
export const sql = `
  -- filled in by the owner of these tables
  SELECT 1;
`;
