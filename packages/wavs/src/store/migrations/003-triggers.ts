/** Trigger cursors, reorg checkpoints, block-interval anchors, cron ticks (owner: store/cursor-store.ts). */
export const sql = `
  -- last fully processed block per chain: every trigger up to it has been handed to the node
  CREATE TABLE trigger_cursors (
    chain TEXT PRIMARY KEY,
    block_number INTEGER NOT NULL,
    block_hash TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  -- hashes of recently processed range ends, to find the common ancestor after a reorg
  CREATE TABLE trigger_checkpoints (
    chain TEXT NOT NULL,
    block_number INTEGER NOT NULL,
    block_hash TEXT NOT NULL,
    PRIMARY KEY (chain, block_number)
  ) WITHOUT ROWID;
  -- block-interval triggers without start_block are anchored at the first block seen;
  -- trigger_json says which trigger the anchor belongs to (a changed trigger gets a new one)
  CREATE TABLE block_interval_anchors (
    service_id TEXT NOT NULL,
    workflow_id TEXT NOT NULL,
    trigger_json TEXT NOT NULL,
    anchor_block INTEGER NOT NULL,
    PRIMARY KEY (service_id, workflow_id)
  ) WITHOUT ROWID;
  -- last cron tick handed to the node (or the time the trigger was armed), ms since the epoch
  CREATE TABLE cron_last_ticks (
    service_id TEXT NOT NULL,
    workflow_id TEXT NOT NULL,
    last_tick_ms INTEGER NOT NULL,
    PRIMARY KEY (service_id, workflow_id)
  ) WITHOUT ROWID;
`;
