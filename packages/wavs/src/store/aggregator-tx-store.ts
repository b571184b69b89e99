import type { Db } from "./database.js";

/** Where a transaction of the transaction manager stands. */
export type AggregatorTxStatus = "queued" | "sent" | "mined" | "failed";

/** A transaction the aggregator asked for, from queued to its receipt. */
export interface AggregatorTxRow {
  id: number;
  chain: string;
  from_address: string;
  to_address: string;
  data_hex: string;
  gas_price_override: string | null;
  /** Who asked for it (e.g. `queue:12`), to route the outcome back after a restart. */
  ref: string;
  status: AggregatorTxStatus;
  nonce: number | null;
  gas_limit: string | null;
  gas_price: string | null;
  /** Every hash broadcast for this nonce, oldest first. */
  hashes: string[];
  tx_hash: string | null;
  receipt_status: "success" | "reverted" | null;
  gas_used: string | null;
  block_number: number | null;
  error: string | null;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  sent_at: number | null;
  mined_at: number | null;
}

type RawRow = Omit<AggregatorTxRow, "data_hex" | "hashes"> & { data: Buffer; hashes: string };

function decode({ data, hashes, ...row }: RawRow): AggregatorTxRow {
  return { ...row, data_hex: `0x${data.toString("hex")}`, hashes: JSON.parse(hashes) as string[] };
}

/** Owner of the aggregator_txs table. */
export class AggregatorTxStore {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO aggregator_txs (chain, from_address, to_address, data, gas_price_override, ref,
           status, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
      ),
      get: db.prepare<[number], RawRow>("SELECT * FROM aggregator_txs WHERE id = ?"),
      // the IN terms repeat the partial index's condition: SQLite uses the index only then (a
      // scan of every transaction ever sent, at every send, was 4 % of bench:node's main thread)
      sentRows: db.prepare<[string, string], RawRow>(
        `SELECT * FROM aggregator_txs WHERE chain = ? AND from_address = ?
           AND status IN ('queued', 'sent') AND status = 'sent' ORDER BY id`,
      ),
      queuedHead: db.prepare<[string, string, number], RawRow>(
        `SELECT * FROM aggregator_txs WHERE chain = ? AND from_address = ?
           AND status IN ('queued', 'sent') AND status = 'queued' ORDER BY id LIMIT ?`,
      ),
      // the partial index's conditions repeated, so that SQLite uses it
      nonceHeld: db.prepare<[string, string, number], { one: number }>(
        `SELECT 1 AS one FROM aggregator_txs WHERE chain = ? AND from_address = ? AND nonce = ?
           AND status = 'sent' AND nonce IS NOT NULL LIMIT 1`,
      ),
      sent: db.prepare(
        `UPDATE aggregator_txs SET status = 'sent', nonce = ?, gas_limit = ?, gas_price = ?,
           hashes = ?, sent_at = ?, attempts = attempts + 1, error = NULL WHERE id = ?`,
      ),
      requeue: db.prepare(
        `UPDATE aggregator_txs SET status = 'queued', nonce = NULL, error = ?, next_attempt_at = ?,
           attempts = attempts + 1 WHERE id = ?`,
      ),
      setHashes: db.prepare("UPDATE aggregator_txs SET hashes = ? WHERE id = ?"),
      note: db.prepare("UPDATE aggregator_txs SET error = ? WHERE id = ?"),
      mined: db.prepare(
        `UPDATE aggregator_txs SET status = 'mined', tx_hash = ?, receipt_status = ?, gas_used = ?,
           block_number = ?, mined_at = ? WHERE id = ?`,
      ),
      failed: db.prepare("UPDATE aggregator_txs SET status = 'failed', error = ? WHERE id = ?"),
      byChain: db.prepare<[string], RawRow>(
        "SELECT * FROM aggregator_txs WHERE chain = ? ORDER BY id",
      ),
    };
  }

  /** Queue a transaction; returns its id. */
  insert(tx: {
    chain: string;
    from: string;
    to: string;
    dataHex: string;
    gasPrice: bigint | undefined;
    ref: string;
  }): number {
    const now = Date.now();
    return Number(
      this.stmts.insert.run(
        tx.chain,
        tx.from,
        tx.to,
        Buffer.from(tx.dataHex.replace(/^0x/, ""), "hex"),
        tx.gasPrice === undefined ? null : tx.gasPrice.toString(),
        tx.ref,
        now,
        now,
      ).lastInsertRowid,
    );
  }

  /** One transaction. */
  get(id: number): AggregatorTxRow | undefined {
    const row = this.stmts.get.get(id);
    return row ? decode(row) : undefined;
  }

  /** The account's transactions marked sent (at most its in-flight limit), oldest first. */
  sent(chain: string, from: string): AggregatorTxRow[] {
    return this.stmts.sentRows.all(chain, from).map(decode);
  }

  /**
   * The account's oldest `limit` queued transactions: what a send loop's step can send. A
   * backlog of thousands stays in the table; reading and decoding all of it at every step
   * made a burst quadratic.
   */
  queued(chain: string, from: string, limit: number): AggregatorTxRow[] {
    return this.stmts.queuedHead.all(chain, from, Math.max(0, limit)).map(decode);
  }

  /** Whether a transaction of the account marked sent and not yet settled holds `nonce`. */
  nonceHeld(chain: string, from: string, nonce: number): boolean {
    return this.stmts.nonceHeld.get(chain, from, nonce) !== undefined;
  }

  /** Every transaction on a chain (tests, records). */
  byChain(chain: string): AggregatorTxRow[] {
    return this.stmts.byChain.all(chain).map(decode);
  }

  /** Record a (re)broadcast with its nonce, fees and all hashes so far. */
  markSent(
    id: number,
    s: { nonce: number; gasLimit: bigint; gasPrice: bigint | string; hashes: readonly string[] },
  ): void {
    this.stmts.sent.run(
      s.nonce,
      s.gasLimit.toString(),
      s.gasPrice.toString(),
      JSON.stringify(s.hashes),
      Date.now(),
      id,
    );
  }

  /**
   * Put a transaction back in the queue until `at`. `hashes`, when given, replaces the list of
   * broadcast hashes (a broadcast the node refused outright is dropped from it).
   */
  requeue(id: number, error: string, at: number, hashes?: readonly string[]): void {
    this.stmts.requeue.run(error, at, id);
    if (hashes !== undefined) this.stmts.setHashes.run(JSON.stringify(hashes), id);
  }

  /** Record the latest problem of a sent transaction. */
  note(id: number, error: string | null): void {
    this.stmts.note.run(error, id);
  }

  /** Record the receipt. */
  markMined(
    id: number,
    r: { txHash: string; status: "success" | "reverted"; gasUsed: bigint; block: bigint },
  ): void {
    this.stmts.mined.run(r.txHash, r.status, r.gasUsed.toString(), Number(r.block), Date.now(), id);
  }

  /** Give up on a transaction. */
  markFailed(id: number, error: string): void {
    this.stmts.failed.run(error, id);
  }
}
