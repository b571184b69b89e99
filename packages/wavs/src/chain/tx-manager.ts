/**
 * The transaction manager of one chain and one sending account (`aggregator_evm_credential`).
 * The reference kept nonces and retries in memory and wedged; here every transaction is a row
 * (queued -> sent -> mined | failed) and the next nonce is persisted, so a restart resumes
 * exactly where it was. Sends on a chain are serialised by one loop, with nonces pipelined:
 *
 * - queued transactions go out oldest first, up to `maxInFlight` sent and not yet mined: the
 *   gas limits of a batch are found concurrently (estimate + 25 %, or a limit that sufficed for
 *   a call like it, gas-limits.ts), with one legacy gas price (the
 *   component's `gas-price` when it gave one, else `eth_gasPrice`); then, in order, each takes
 *   the next nonce and the row is marked sent with its hash *before* the broadcast, so a crash
 *   in between is recovered by re-broadcast;
 * - sent transactions are looked for every `pollMs`: one `eth_getTransactionCount` says which
 *   nonces are used, and only those get their receipt fetched (recorded: hash, status, gas
 *   used, block); one not mined after `stuckAfterMs` is re-signed with the same nonce and a
 *   fee bump;
 * - "nonce too low/high" and "replacement underpriced" resync the nonce from the chain;
 * - an account without funds keeps its transactions queued and retries with backoff: they
 *   land once it is funded, without a restart;
 * - an estimate that reverts settles the transaction as failed without spending a nonce.
 *
 * Over 400 lines on purpose: the send loop is one state machine (the nonce, its resync, the
 * receipt clock, orphaned nonces); split, its invariants would span files. What failed calls
 * mean is in call-errors.ts, its types in tx-types.ts.
 */
import { keccak256 } from "@wavs-ts/contracts";
import type { Address, Hex, LocalAccount, PublicClient } from "viem";
import type { Logger } from "../internal/index.js";
import type {
  AggregatorNonceStore,
  AggregatorTxRow,
  AggregatorTxStore,
  Db,
} from "../store/index.js";
import { checkBeforeBroadcast } from "./broadcast-check.js";
import {
  answeredByNode,
  classifySendError,
  errorLine,
  isRevert,
  nodeReason,
  revertReason,
} from "./call-errors.js";
import { GasLimits } from "./gas-limits.js";
import { backoffMs, SendLoop } from "./send-loop.js";
import { attempt, eachLimited, type Settled } from "./settled.js";
import {
  type BroadcastCheck,
  DEFAULT_TX_MANAGER_OPTIONS,
  type TxManagerOptions,
  type TxOutcome,
  type TxRequest,
} from "./tx-types.js";

/** Transactions estimated at once. */
const SEND_BATCH = 16;
/** Receipt lookups at once. */
const RECEIPT_CONCURRENCY = 8;

/** Sends and tracks the transactions of one account on one chain; see the module comment. */
export class TxManager {
  readonly from: Address;
  private readonly options: TxManagerOptions;
  private chainId: number | undefined;
  private readonly loop: SendLoop;
  private readonly gasLimits: GasLimits;
  private resyncNonce = true;
  /** Rounds a sent transaction's nonce was seen used with none of its hashes mined. */
  private readonly orphanRounds = new Map<number, number>();
  /** When receipts were last looked for: every `pollMs`, however often new work wakes the loop. */
  private receiptsAt = 0;

  constructor(
    private readonly deps: {
      chain: string;
      client: PublicClient;
      account: LocalAccount;
      db: Db;
      txs: AggregatorTxStore;
      nonces: AggregatorNonceStore;
      logger: Logger;
      onSettled: (row: AggregatorTxRow, outcome: TxOutcome) => void;
      /** A transaction was broadcast (first send or fee bump): its hash and signed bytes. */
      onBroadcast?: (row: AggregatorTxRow, hash: Hex, raw: Hex) => void;
      /**
       * Asked before each broadcast of a queued transaction (broadcast-check.ts): already on-chain
       * or held back by the owner cancels it.
       */
      beforeBroadcast?: (row: AggregatorTxRow) => Promise<BroadcastCheck>;
    },
    options: Partial<TxManagerOptions> = {},
  ) {
    this.from = deps.account.address;
    this.options = { ...DEFAULT_TX_MANAGER_OPTIONS, ...options };
    this.gasLimits = new GasLimits({
      client: deps.client,
      from: this.from,
      marginPercent: this.options.gasMarginPercent,
    });
    this.loop = new SendLoop({
      pollMs: this.options.pollMs,
      step: () => this.tick(),
      failed: (err) =>
        deps.logger.warn(
          { chain: deps.chain, err: errorLine(err) },
          "transaction loop step failed",
        ),
    });
  }

  private get stopped(): boolean {
    return !this.loop.running;
  }

  /** Start the send loop; transactions left queued or sent by a previous run resume. */
  start(): void {
    this.loop.start();
  }

  /** Stop the loop after the current step; nothing is lost (rows stay queued or sent). */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Queue a transaction (persisted at once); returns its id. */
  enqueue(req: TxRequest): number {
    const id = this.deps.txs.insert({
      chain: this.deps.chain,
      from: this.from,
      to: req.to,
      dataHex: req.data,
      gasPrice: req.gasPrice,
      ref: req.ref,
    });
    this.loop.wake();
    return id;
  }

  /** One step of the loop; false when the account has nothing queued or sent. */
  private async tick(): Promise<boolean> {
    const { chain, txs } = this.deps;
    const sent = txs.sent(chain, this.from);
    if (sent.length === 0 && txs.queued(chain, this.from, 1).length === 0) return false;
    let pending = sent.length;
    if (sent.length > 0 && Date.now() - this.receiptsAt >= this.options.pollMs) {
      this.receiptsAt = Date.now();
      pending = await this.checkSentRows(sent);
    }
    if (this.stopped) return true;
    // strict order: a head waiting for funds holds the rest back, as the chain would
    const ready: AggregatorTxRow[] = [];
    const room = Math.min(SEND_BATCH, this.options.maxInFlight - pending);
    // one more than the batch: whether more are queued behind it
    const queued = txs.queued(chain, this.from, Math.max(0, room) + 1);
    for (const row of queued) {
      if (row.next_attempt_at > Date.now() || ready.length >= room) break;
      ready.push(row);
    }
    if (ready.length === 0) return true;
    await this.sendBatch(ready);
    // more queued than one batch: go on without waiting
    if (queued.length > ready.length) this.loop.again();
    return true;
  }

  /**
   * Look for receipts of sent transactions; returns how many are still waiting. One
   * `eth_getTransactionCount(latest)` says which nonces are used: only those transactions have
   * a receipt to fetch; the others are only looked at once they count as stuck.
   */
  private async checkSentRows(rows: readonly AggregatorTxRow[]): Promise<number> {
    const used = await this.deps.client
      .getTransactionCount({ address: this.from, blockTag: "latest" })
      .catch(() => undefined);
    const now = Date.now();
    const due = rows.filter(
      (row) =>
        used === undefined ||
        row.nonce === null ||
        row.nonce < used ||
        (row.sent_at !== null && now - row.sent_at >= this.options.stuckAfterMs),
    );
    let settled = 0;
    await eachLimited(due, RECEIPT_CONCURRENCY, async (row) => {
      if (!this.stopped && (await this.checkSent(row))) settled++;
    });
    return rows.length - settled;
  }

  /**
   * Find the gas limits of a batch of queued transactions concurrently, and send each, in
   * order, as soon as its limit (and those before it) are in: the time between a dry run and its
   * broadcast stays short.
   */
  private async sendBatch(rows: readonly AggregatorTxRow[]): Promise<void> {
    const { client } = this.deps;
    const limits = rows.map((row) =>
      attempt(this.gasLimits.limitFor(row.to_address as Address, row.data_hex as Hex)),
    );
    const gasPrice = rows.some((row) => row.gas_price_override === null)
      ? attempt(client.getGasPrice())
      : Promise.resolve(undefined);
    try {
      for (const [i, row] of rows.entries()) {
        if (this.stopped) return;
        if (!(await this.send(row, await limits[i]!, await gasPrice))) return;
      }
    } finally {
      // the limits not used settle quietly
      await Promise.all(limits);
    }
  }

  private backoff(attempts: number): number {
    return backoffMs(attempts, this.options);
  }

  /**
   * The nonce for the next broadcast: the stored one, or after a resync the chain's pending
   * count. Either way the nonces of transactions still marked sent are skipped (they are in the
   * pool, or a crash cut their broadcast off and the stuck path re-sends them), and a nonce
   * below them that nothing holds is filled: a broadcast the node refused leaves such a gap,
   * and every later transaction would wait behind it forever.
   */
  private async nextNonce(): Promise<number> {
    const { chain } = this.deps;
    const stored = this.deps.nonces.get(chain, this.from);
    let next: number;
    if (!this.resyncNonce && stored !== undefined) {
      next = stored;
    } else {
      next = await this.deps.client.getTransactionCount({
        address: this.from,
        blockTag: "pending",
      });
      this.resyncNonce = false;
    }
    while (this.deps.txs.nonceHeld(chain, this.from, next)) next++;
    // unchanged, it is the stored one already (a write is a commit: not for nothing)
    if (next !== stored) this.deps.nonces.set(chain, this.from, next);
    return next;
  }

  /**
   * Send a queued transaction with its gas limit (and the batch's gas price); false when the
   * queue should wait (funds, RPC trouble).
   */
  private async send(
    row: AggregatorTxRow,
    limit: Settled<bigint>,
    batchGasPrice: Settled<bigint> | undefined,
  ): Promise<boolean> {
    const { logger, chain } = this.deps;
    const log = logger.child({ chain, tx_id: row.id, ref: row.ref });
    const cancelled = await checkBeforeBroadcast(row, this.deps.beforeBroadcast, {
      txs: this.deps.txs,
      log,
    });
    if (cancelled) {
      this.settle(row.id, cancelled);
      return true;
    }
    let gasLimit: bigint;
    if (limit.ok) {
      gasLimit = limit.value;
    } else {
      const err = limit.err;
      const kind = classifySendError(err);
      if (kind === "funds" || !isRevert(err)) {
        const wait = this.backoff(row.attempts);
        const reason =
          kind === "funds"
            ? `insufficient funds on ${this.from}`
            : `estimateGas failed: ${nodeReason(err)}`;
        this.deps.txs.requeue(row.id, reason, Date.now() + wait);
        log.warn({ err: reason, retry_in_ms: wait }, "transaction waits");
        return false;
      }
      const reason = `estimateGas reverted: ${revertReason(err)}`;
      this.deps.txs.markFailed(row.id, reason);
      log.info({ err: reason }, "transaction not sent: it would revert");
      this.settle(row.id, { kind: "failed", reason });
      return true;
    }
    let nonce: number;
    let gasPrice: bigint;
    let raw: Hex;
    try {
      if (row.gas_price_override !== null) gasPrice = BigInt(row.gas_price_override);
      else if (batchGasPrice?.ok) gasPrice = batchGasPrice.value;
      else throw batchGasPrice?.err ?? new Error("no gas price");
      nonce = await this.nextNonce();
      raw = await this.sign(row, nonce, gasLimit, gasPrice);
    } catch (err) {
      const wait = this.backoff(row.attempts);
      this.deps.txs.requeue(
        row.id,
        `cannot prepare the transaction: ${errorLine(err)}`,
        Date.now() + wait,
      );
      return false;
    }
    const hash = keccak256(raw);
    // recorded before the broadcast: after a crash we know which hash to look for
    this.deps.db.transaction(() => {
      this.deps.txs.markSent(row.id, { nonce, gasLimit, gasPrice, hashes: [...row.hashes, hash] });
      this.deps.nonces.set(chain, this.from, nonce + 1);
    })();
    try {
      await this.deps.client.sendRawTransaction({ serializedTransaction: raw });
      this.broadcast(row, hash, raw);
      log.info(
        { tx_hash: hash, nonce, gas_limit: gasLimit.toString(), gas_price: gasPrice.toString() },
        "transaction sent",
      );
      return true;
    } catch (err) {
      const kind = classifySendError(err);
      if (kind === "known") return true;
      const wait = kind === "nonce" ? 0 : this.backoff(row.attempts);
      const reason =
        kind === "funds"
          ? `insufficient funds on ${this.from}: fund it and the submission lands`
          : `broadcast failed: ${nodeReason(err)}`;
      // refused outright (the node answered with an error): that hash can never be mined and
      // its nonce is free again; after a transport error it might have reached the pool, so it
      // stays watched
      const refused = kind === "funds" || kind === "nonce" || answeredByNode(err);
      this.deps.db.transaction(() => {
        this.deps.txs.requeue(row.id, reason, Date.now() + wait, refused ? row.hashes : undefined);
        if (kind === "funds") this.deps.nonces.set(chain, this.from, nonce);
      })();
      // the next nonce comes from the chain, filling the gap this one may have left
      if (kind !== "funds") this.resyncNonce = true;
      log.warn({ err: reason, retry_in_ms: wait }, "transaction not accepted, will retry");
      return kind === "nonce";
    }
  }

  private sign(row: AggregatorTxRow, nonce: number, gas: bigint, gasPrice: bigint): Promise<Hex> {
    return (async () => {
      this.chainId ??= await this.deps.client.getChainId();
      return this.deps.account.signTransaction({
        chainId: this.chainId,
        nonce,
        to: row.to_address as Address,
        data: row.data_hex as Hex,
        gas,
        gasPrice,
        type: "legacy",
      });
    })();
  }

  /** Look for the receipt of a sent transaction (bump it when stuck); true once it is settled. */
  private async checkSent(row: AggregatorTxRow): Promise<boolean> {
    const { client, logger, chain } = this.deps;
    for (const hash of [...row.hashes].reverse()) {
      let receipt: Awaited<ReturnType<PublicClient["getTransactionReceipt"]>> | undefined;
      try {
        receipt = await client.getTransactionReceipt({ hash: hash as Hex });
      } catch {
        receipt = undefined;
      }
      if (receipt) {
        this.orphanRounds.delete(row.id);
        const outcome: TxOutcome = {
          kind: "mined",
          txHash: receipt.transactionHash,
          status: receipt.status,
          gasUsed: receipt.gasUsed,
          block: receipt.blockNumber,
        };
        this.deps.txs.markMined(row.id, {
          txHash: receipt.transactionHash,
          status: receipt.status,
          gasUsed: receipt.gasUsed,
          block: receipt.blockNumber,
        });
        logger.info(
          {
            chain,
            tx_id: row.id,
            tx_hash: receipt.transactionHash,
            status: receipt.status,
            block: receipt.blockNumber.toString(),
            gas_used: receipt.gasUsed.toString(),
          },
          "transaction mined",
        );
        this.settle(row.id, outcome);
        return true;
      }
    }
    if (row.sent_at === null || Date.now() - row.sent_at < this.options.stuckAfterMs) return false;
    const nonce = row.nonce!;
    const used = await client.getTransactionCount({ address: this.from, blockTag: "latest" });
    if (used > nonce) {
      // the nonce is taken but none of our hashes has a receipt: someone else used the
      // account; a few rounds of grace for a lagging node, then give up on this one
      // (about 3 s of rounds)
      const rounds = (this.orphanRounds.get(row.id) ?? 0) + 1;
      this.orphanRounds.set(row.id, rounds);
      if (rounds >= Math.max(3, Math.ceil(3000 / this.options.pollMs))) {
        this.orphanRounds.delete(row.id);
        const reason = `nonce ${nonce} was used by another transaction of ${this.from}`;
        this.deps.txs.markFailed(row.id, reason);
        this.settle(row.id, { kind: "failed", reason });
        return true;
      }
      return false;
    }
    await this.bump(row);
    return false;
  }

  /** Re-sign a stuck transaction with the same nonce and a higher gas price. */
  private async bump(row: AggregatorTxRow): Promise<void> {
    const { client, logger, chain } = this.deps;
    const old = BigInt(row.gas_price ?? "0");
    const current = await client.getGasPrice().catch(() => 0n);
    const bumped = (old * BigInt(100 + this.options.feeBumpPercent)) / 100n + 1n;
    const gasPrice = bumped > current ? bumped : current;
    const gasLimit = BigInt(row.gas_limit ?? "0");
    const raw = await this.sign(row, row.nonce!, gasLimit, gasPrice);
    const hash = keccak256(raw);
    try {
      await client.sendRawTransaction({ serializedTransaction: raw });
      this.broadcast(row, hash, raw);
    } catch (err) {
      const kind = classifySendError(err);
      if (kind !== "known") {
        // the previous one stays in the pool; try again after another stuck period
        this.deps.txs.markSent(row.id, {
          nonce: row.nonce!,
          gasLimit,
          gasPrice: old,
          hashes: row.hashes,
        });
        this.deps.txs.note(row.id, `fee bump not accepted: ${errorLine(err)}`);
        logger.warn({ chain, tx_id: row.id, err: errorLine(err) }, "fee bump not accepted");
        return;
      }
    }
    this.deps.txs.markSent(row.id, {
      nonce: row.nonce!,
      gasLimit,
      gasPrice,
      hashes: row.hashes.includes(hash) ? row.hashes : [...row.hashes, hash],
    });
    logger.info(
      { chain, tx_id: row.id, tx_hash: hash, gas_price: gasPrice.toString() },
      "stuck transaction re-sent with a fee bump",
    );
  }

  private broadcast(row: AggregatorTxRow, hash: Hex, raw: Hex): void {
    try {
      this.deps.onBroadcast?.(row, hash, raw);
    } catch (err) {
      this.deps.logger.warn({ tx_id: row.id, err: errorLine(err) }, "broadcast handler failed");
    }
  }

  private settle(id: number, outcome: TxOutcome): void {
    const row = this.deps.txs.get(id);
    if (!row) return;
    try {
      this.deps.onSettled(row, outcome);
    } catch (err) {
      this.deps.logger.error(
        { tx_id: id, err: errorLine(err) },
        "transaction outcome handler failed",
      );
    }
  }
}
