import type { Db } from "./database.js";

/** Page size of `listKeys`. */
export const KV_LIST_PAGE = 1000;

/**
 * Owner of the kv_values and kv_counters tables: the persistent store behind wasi:keyvalue.
 * Keys are namespaced by service; all components of one service share one space.
 */
export class KvStore {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      get: db.prepare<[string, string, string], { value: Buffer }>(
        "SELECT value FROM kv_values WHERE service_id = ? AND bucket = ? AND key = ?",
      ),
      set: db.prepare(
        "INSERT INTO kv_values (service_id, bucket, key, value) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value",
      ),
      del: db.prepare("DELETE FROM kv_values WHERE service_id = ? AND bucket = ? AND key = ?"),
      list: db.prepare<[string, string, string, number], { key: string }>(
        "SELECT key FROM kv_values WHERE service_id = ? AND bucket = ? AND key >= ? ORDER BY key LIMIT ?",
      ),
      listAll: db.prepare<
        [string, string, string, string, number],
        { bucket: string; key: string }
      >(
        `SELECT bucket, key FROM kv_values WHERE service_id = ? AND (bucket > ? OR (bucket = ? AND key >= ?))
           ORDER BY bucket, key LIMIT ?`,
      ),
      counter: db.prepare<[string, string, string], { value: number | bigint }>(
        "SELECT value FROM kv_counters WHERE service_id = ? AND bucket = ? AND key = ?",
      ),
      setCounter: db.prepare(
        "INSERT INTO kv_counters (service_id, bucket, key, value) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value",
      ),
    };
    this.stmts.counter.safeIntegers(true);
  }

  /** Value of a key, or undefined. */
  get(service: string, bucket: string, key: string): Uint8Array | undefined {
    const row = this.stmts.get.get(service, bucket, key);
    return row ? new Uint8Array(row.value) : undefined;
  }

  /** Set a key. */
  set(service: string, bucket: string, key: string, value: Uint8Array): void {
    this.stmts.set.run(service, bucket, key, Buffer.from(value));
  }

  /** Delete a key (no error when absent). */
  delete(service: string, bucket: string, key: string): void {
    this.stmts.del.run(service, bucket, key);
  }

  /**
   * Keys from the first one `>=` `cursor`, in byte order (SQLite's BINARY collation compares
   * the UTF-8 bytes), one page at a time, as WAVS does; the cursor returned is the first key of
   * the next page, undefined after the last page.
   */
  listKeys(
    service: string,
    bucket: string,
    cursor: string | undefined,
  ): { keys: string[]; cursor: string | undefined } {
    const rows = this.stmts.list.all(service, bucket, cursor ?? "", KV_LIST_PAGE + 1);
    const keys = rows.slice(0, KV_LIST_PAGE).map((r) => r.key);
    return { keys, cursor: rows[KV_LIST_PAGE]?.key };
  }

  /**
   * Keys of every bucket of a service in (bucket, key) byte order, from the first at or after
   * `from`; `next` is where the following page starts (GET /dev/kv/{service_id}).
   */
  listAll(
    service: string,
    from: { bucket: string; key: string } | undefined,
    limit: number,
  ): {
    keys: { bucket: string; key: string }[];
    next: { bucket: string; key: string } | undefined;
  } {
    const start = from ?? { bucket: "", key: "" };
    const rows = this.stmts.listAll.all(service, start.bucket, start.bucket, start.key, limit + 1);
    return { keys: rows.slice(0, limit), next: rows[limit] };
  }

  /** Add `delta` to a counter (starting at 0) atomically and return the new value. */
  increment(service: string, bucket: string, key: string, delta: bigint): bigint {
    return this.db
      .transaction(() => {
        const row = this.stmts.counter.get(service, bucket, key);
        const next = BigInt.asIntN(64, BigInt(row?.value ?? 0n) + delta);
        this.stmts.setCounter.run(service, bucket, key, next);
        return next;
      })
      .immediate();
  }

  /**
   * Compare-and-swap: set `value` only if the key still holds `expected` (undefined = absent).
   * Returns the current value when the swap failed, or `{ swapped: true }`.
   */
  compareAndSwap(
    service: string,
    bucket: string,
    key: string,
    expected: Uint8Array | undefined,
    value: Uint8Array,
  ): { swapped: true } | { swapped: false; current: Uint8Array | undefined } {
    return this.db
      .transaction(() => {
        const current = this.get(service, bucket, key);
        if (!sameBytes(current, expected)) return { swapped: false as const, current };
        this.set(service, bucket, key, value);
        return { swapped: true as const };
      })
      .immediate();
  }
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b));
}
