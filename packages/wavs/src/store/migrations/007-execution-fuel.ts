/** The fuel an execution used (null when its component's code is not metered). */
export const sql = `
  ALTER TABLE executions ADD COLUMN fuel_used INTEGER;
`;
