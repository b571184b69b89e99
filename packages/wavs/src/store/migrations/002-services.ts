/** services, signing key assignments, dev services (owner: store/service-store.ts, store/key-store.ts). */
export const sql = `
  -- filled in by the owner of these tables
  SELECT 1;
`;
