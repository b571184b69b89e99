/** trigger cursors and processed-event markers (owner: store/cursor-store.ts). */
export const sql = `
  -- filled in by the owner of these tables
  SELECT 1;
`;
