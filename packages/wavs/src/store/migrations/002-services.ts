/**
 * Services, signing key assignments, components and dev services (owners:
 * store/service-store.ts, key-store.ts, component-store.ts, dev-service-store.ts).
 */
export const sql = `
  -- Registered services. json is the canonical service JSON (serviceToJson), which parses
  -- back to the same model; the manager columns repeat what it names so lookups need no parse.
  CREATE TABLE services (
    service_id TEXT PRIMARY KEY CHECK (length(service_id) = 64),
    manager_chain TEXT NOT NULL,
    manager_address TEXT NOT NULL,
    json TEXT NOT NULL,
    source_uri TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'paused')),
    registered_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;

  -- HD index per service (m/44'/60'/0'/0/i). No foreign key to services on purpose: the
  -- assignment outlives an opt-out so a re-added service signs with its old key, and an
  -- index is never handed to another service.
  CREATE TABLE signing_keys (
    service_id TEXT PRIMARY KEY CHECK (length(service_id) = 64),
    hd_index INTEGER NOT NULL UNIQUE CHECK (hd_index >= 1),
    assigned_at INTEGER NOT NULL
  ) WITHOUT ROWID;

  -- Components this node verified and registered with the engine; first_source is the
  -- JSON of the source it was first obtained from.
  CREATE TABLE components (
    digest TEXT PRIMARY KEY CHECK (length(digest) = 64),
    world TEXT NOT NULL CHECK (world IN ('operator', 'aggregator')),
    size INTEGER NOT NULL CHECK (size > 0),
    first_source TEXT NOT NULL,
    registered_at INTEGER NOT NULL
  ) WITHOUT ROWID;

  -- Service JSON stored through the dev routes, addressed by sha256 of the stored text.
  CREATE TABLE dev_services (
    hash TEXT PRIMARY KEY CHECK (length(hash) = 64),
    json TEXT NOT NULL,
    stored_at INTEGER NOT NULL
  ) WITHOUT ROWID;
`;
