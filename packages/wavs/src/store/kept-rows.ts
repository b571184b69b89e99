import type { Db } from "./database.js";

/**
 * What a table's owner store keeps of the rows it read or wrote, so that rows read several
 * times per event are not read again: bounded (the oldest kept is dropped first), frozen (a
 * row handed out stays as it was read; a write replaces it), and only what is committed: inside
 * a transaction, which may roll back, a read keeps nothing and a write drops the kept value.
 * Correct only for a store that is its table's one writer.
 */
export class KeptRows<V extends object> {
  private readonly rows = new Map<number, Readonly<V>>();

  constructor(
    private readonly db: Db,
    private readonly capacity: number,
  ) {}

  /** The kept value of `id`, if any. */
  get(id: number): Readonly<V> | undefined {
    return this.rows.get(id);
  }

  /** Keep `value` as `id`'s, unless inside a transaction (then drop what was kept); returns it. */
  keep(id: number, value: V): V {
    if (this.db.inTransaction) {
      this.rows.delete(id);
      return value;
    }
    if (this.rows.size >= this.capacity && !this.rows.has(id))
      this.rows.delete(this.rows.keys().next().value as number);
    this.rows.set(id, Object.freeze(value));
    return value;
  }

  /** After a write to `id` that changed `changes` rows: the kept value gets `columns`, if kept. */
  wrote(id: number, changes: number, columns: Partial<V>): void {
    const kept = this.rows.get(id);
    if (kept === undefined) return;
    if (changes === 0 || this.db.inTransaction) this.rows.delete(id);
    else this.rows.set(id, Object.freeze({ ...kept, ...columns }));
  }

  /** Forget `id` (its rows changed in a way the store does not follow). */
  drop(id: number): void {
    this.rows.delete(id);
  }

  /** Forget everything (rows were deleted). */
  clear(): void {
    this.rows.clear();
  }
}
