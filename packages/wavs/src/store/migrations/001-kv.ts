/** wasi:keyvalue values and counters, namespaced per service. */
export const sql = `
      -- wasi:keyvalue values, namespaced per service; counters (atomics.increment) live apart
      CREATE TABLE kv_values (
        service_id TEXT NOT NULL,
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        value BLOB NOT NULL,
        PRIMARY KEY (service_id, bucket, key)
      ) WITHOUT ROWID;
      CREATE TABLE kv_counters (
        service_id TEXT NOT NULL,
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        value INTEGER NOT NULL,
        PRIMARY KEY (service_id, bucket, key)
      ) WITHOUT ROWID;
    `;
