/**
 * Aggregation: accepted signed submissions (local and from peers), aggregator timers, quorum
 * queues with their signatures, and the transaction manager's transactions and nonces.
 * Owners: store/aggregation-input-store.ts, aggregation-timer-store.ts, quorum-queue-store.ts,
 * quorum-signature-store.ts, aggregator-tx-store.ts, aggregator-nonce-store.ts.
 * Everything the aggregator needs to resume after a crash is here: inputs not yet processed,
 * timers with their due time, queues and where they stand, transactions sent or waiting.
 */
export const sql = `
  CREATE TABLE aggregation_inputs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id TEXT NOT NULL,
    workflow_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    envelope_hash TEXT NOT NULL,
    signer TEXT NOT NULL,
    signature TEXT NOT NULL,
    payload BLOB NOT NULL,
    -- the component's u64 ordering as decimal text, NULL when it set none
    ordering TEXT,
    event_id_salt TEXT,
    trigger_data TEXT NOT NULL,
    -- 'local' or 'peer:<peer id>'
    origin TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('received', 'processed', 'failed', 'ignored', 'dropped')),
    error TEXT,
    received_at INTEGER NOT NULL,
    processed_at INTEGER,
    -- a replayed submission (same signer, same envelope) is refused before any work
    UNIQUE (service_id, workflow_id, event_id, signer, envelope_hash)
  );
  CREATE INDEX aggregation_inputs_received ON aggregation_inputs (id) WHERE status = 'received';
  CREATE INDEX aggregation_inputs_by_event ON aggregation_inputs (event_id);
  CREATE INDEX aggregation_inputs_by_time ON aggregation_inputs (received_at);

  CREATE TABLE aggregation_timers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    input_id INTEGER NOT NULL REFERENCES aggregation_inputs (id) ON DELETE CASCADE,
    due_at INTEGER NOT NULL,
    -- how many timers led to this one (bounds timer chains)
    depth INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'fired', 'dropped')),
    note TEXT,
    created_at INTEGER NOT NULL,
    fired_at INTEGER
  );
  CREATE INDEX aggregation_timers_pending ON aggregation_timers (due_at) WHERE status = 'pending';

  CREATE TABLE quorum_queues (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id TEXT NOT NULL,
    workflow_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    chain TEXT NOT NULL,
    handler TEXT NOT NULL,
    gas_price TEXT,
    -- the first envelope: later submissions join only when byte-identical
    envelope_hash TEXT NOT NULL,
    ordering TEXT NOT NULL,
    payload BLOB NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('collecting', 'quorum', 'failed', 'burned')),
    quorum_input_id INTEGER,
    quorum_signers TEXT,
    quorum_reached_at INTEGER,
    designated TEXT,
    tx_id INTEGER,
    landed_by TEXT CHECK (landed_by IN ('self', 'other')),
    landed_tx_hash TEXT,
    landed_block INTEGER,
    burned_at INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (event_id, chain, handler)
  );
  CREATE INDEX quorum_queues_by_service ON quorum_queues (service_id, id);
  CREATE INDEX quorum_queues_open ON quorum_queues (id) WHERE status = 'quorum';

  CREATE TABLE quorum_signatures (
    queue_id INTEGER NOT NULL REFERENCES quorum_queues (id) ON DELETE CASCADE,
    signer TEXT NOT NULL,
    signature TEXT NOT NULL,
    input_id INTEGER NOT NULL,
    origin TEXT NOT NULL,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (queue_id, signer)
  );

  CREATE TABLE aggregator_txs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chain TEXT NOT NULL,
    from_address TEXT NOT NULL,
    to_address TEXT NOT NULL,
    data BLOB NOT NULL,
    -- the component's gas-price (wei, decimal), used as a legacy gas price
    gas_price_override TEXT,
    ref TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'mined', 'failed')),
    nonce INTEGER,
    gas_limit TEXT,
    gas_price TEXT,
    -- every hash broadcast for this nonce (fee bumps add one each), JSON array
    hashes TEXT NOT NULL DEFAULT '[]',
    tx_hash TEXT,
    receipt_status TEXT CHECK (receipt_status IN ('success', 'reverted')),
    gas_used TEXT,
    block_number INTEGER,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    mined_at INTEGER
  );
  CREATE INDEX aggregator_txs_open ON aggregator_txs (chain, id) WHERE status IN ('queued', 'sent');

  CREATE TABLE aggregator_nonces (
    chain TEXT NOT NULL,
    address TEXT NOT NULL,
    next_nonce INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (chain, address)
  );
`;
