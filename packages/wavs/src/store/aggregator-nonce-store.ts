import type { Db } from "./database.js";

/** Owner of the aggregator_nonces table: the next nonce of each sending account per chain. */
export class AggregatorNonceStore {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      get: db.prepare<[string, string], { next_nonce: number }>(
        "SELECT next_nonce FROM aggregator_nonces WHERE chain = ? AND address = ?",
      ),
      set: db.prepare(
        `INSERT INTO aggregator_nonces (chain, address, next_nonce, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (chain, address) DO UPDATE SET next_nonce = excluded.next_nonce,
           updated_at = excluded.updated_at`,
      ),
    };
  }

  /** The next nonce to use, or undefined when it was never read from the chain. */
  get(chain: string, address: string): number | undefined {
    return this.stmts.get.get(chain, address)?.next_nonce;
  }

  /** Record the next nonce to use. */
  set(chain: string, address: string, nextNonce: number): void {
    this.stmts.set.run(chain, address, nextNonce, Date.now());
  }
}
