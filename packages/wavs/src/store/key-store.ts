import type { Db } from "./database.js";

/** One row of the signing_keys table. */
export interface SigningKeyAssignment {
  serviceId: string;
  /** BIP-44 address index: the key is m/44'/60'/0'/0/<hdIndex>. */
  hdIndex: number;
  /** Milliseconds since the epoch. */
  assignedAt: number;
}

/** The first index given to a service; index 0 is the operator's own key. */
export const FIRST_SERVICE_HD_INDEX = 1;

interface Row {
  service_id: string;
  hd_index: number;
  assigned_at: number;
}

function fromRow(row: Row): SigningKeyAssignment {
  return { serviceId: row.service_id, hdIndex: row.hd_index, assignedAt: row.assigned_at };
}

/**
 * Owner of the signing_keys table. An index, once assigned, belongs to its service for good:
 * rows are never deleted, so an opted-out service gets its old key back when re-added and no
 * other service can ever sign with it.
 */
export class KeyStore {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      get: db.prepare<[string], Row>(
        "SELECT service_id, hd_index, assigned_at FROM signing_keys WHERE service_id = ?",
      ),
      list: db.prepare<[], Row>(
        "SELECT service_id, hd_index, assigned_at FROM signing_keys ORDER BY hd_index",
      ),
      max: db.prepare<[], { max: number | null }>("SELECT MAX(hd_index) AS max FROM signing_keys"),
      insert: db.prepare(
        "INSERT INTO signing_keys (service_id, hd_index, assigned_at) VALUES (?, ?, ?)",
      ),
    };
  }

  /** The assignment of a service, or undefined when it never had one. */
  get(serviceId: string): SigningKeyAssignment | undefined {
    const row = this.stmts.get.get(serviceId);
    return row ? fromRow(row) : undefined;
  }

  /** Every assignment, by index. */
  list(): SigningKeyAssignment[] {
    return this.stmts.list.all().map(fromRow);
  }

  /**
   * The service's assignment, creating it (highest index so far + 1, starting at 1) when it
   * has none. Runs in its own transaction, or joins the caller's.
   */
  assign(serviceId: string, now: number = Date.now()): SigningKeyAssignment {
    const assign = this.db.transaction(() => {
      const existing = this.get(serviceId);
      if (existing) return existing;
      const max = this.stmts.max.get()?.max ?? null;
      const hdIndex = max === null ? FIRST_SERVICE_HD_INDEX : max + 1;
      this.stmts.insert.run(serviceId, hdIndex, now);
      return { serviceId, hdIndex, assignedAt: now };
    });
    // IMMEDIATE: two writers must not both read the same max; nested calls become savepoints.
    return this.db.inTransaction ? assign() : assign.immediate();
  }
}
