/**
 * The transaction manager of one Cosmos chain and the aggregator's Cosmos account
 * (`aggregator_cosmos_credential`): what TxManager is on EVM, for CosmWasm executes. Every
 * transaction is a row of the same table (queued -> sent -> mined | failed; `data` holds the
 * execute message's JSON, `nonce` the account sequence) and the next sequence is persisted, so
 * a restart resumes exactly where it was. One loop sends, oldest first:
 *
 * - a queued transaction is simulated at the sequence it will take (gas + `gasMarginPercent`),
 *   its fee is gas x price (the component's `gas-price` in `gas_denom` per gas when it gave
 *   one, else the chain's `gas_price`), it is signed, marked sent with its hash *before* the
 *   broadcast, then broadcast (CheckTx); later ones follow in the same block with the next
 *   sequences;
 * - one account query per poll says which sequences are used: only those transactions are
 *   looked up by hash. One whose sequence is used and that is still not found after
 *   `stuckAfterMs` is queued again (another transaction of the account took the sequence);
 *   one whose sequence is still free is broadcast again, byte for byte (signing is
 *   deterministic and the row keeps its gas and fee), which a node that has it ignores;
 * - "account sequence mismatch" resyncs the sequence from the chain (the node says which);
 *   when one of our sent transactions holds the sequence the node expects, its broadcast was
 *   lost on the way and the same bytes go out again at once;
 * - an account that does not exist yet or lacks funds for the fee keeps its transactions
 *   queued and retries with backoff: they land once it is funded, without a restart;
 * - a simulation the contract refuses settles the transaction as failed without a sequence.
 */
import type { StdFee } from "@cosmjs/stargate";
import { hexToBytes } from "viem";
import type { Logger } from "../internal/index.js";
import { errorMessage } from "../internal/index.js";
import { type CosmosKey, cosmosAddress } from "../signing/index.js";
import type {
  AggregatorNonceStore,
  AggregatorTxRow,
  AggregatorTxStore,
  Db,
} from "../store/index.js";
import type { CosmosRpc } from "../triggers/index.js";
import { checkBeforeBroadcast } from "./broadcast-check.js";
import {
  CosmosAccountSession,
  type CosmosExecute,
  refusedByChain,
  type SignedCosmosTx,
} from "./cosmos-account-session.js";
import { backoffMs, SendLoop } from "./send-loop.js";
import {
  type BroadcastCheck,
  DEFAULT_TX_MANAGER_OPTIONS,
  type TxManagerOptions,
  type TxOutcome,
} from "./tx-types.js";

/** A CosmWasm execute to send. */
export interface CosmosTxRequest {
  /** The contract (bech32). */
  contract: string;
  /** The execute message. */
  msg: Record<string, unknown>;
  /** The component's gas price: whole units of the chain's gas denom per gas. */
  gasPrice?: bigint | undefined;
  /** Routes the outcome back to whoever asked (survives restarts). */
  ref: string;
}

/** What the Cosmos transaction manager is built from. */
export interface CosmosTxManagerDeps {
  /** Chain key, `cosmos:<chain id>`. */
  chain: string;
  /** Reads (transactions by hash, heights) with the chain's endpoint failover. */
  rpc: CosmosRpc;
  /** The CometBFT endpoint accounts are read, simulations run and transactions broadcast on. */
  rpcUrl: string;
  key: CosmosKey;
  prefix: string;
  /** The chain's gas price (`gas_price` of `gas_denom`). */
  gasPrice: { amount: number; denom: string };
  db: Db;
  txs: AggregatorTxStore;
  nonces: AggregatorNonceStore;
  logger: Logger;
  onSettled: (row: AggregatorTxRow, outcome: TxOutcome) => void;
  /** A transaction was broadcast under this hash. */
  onBroadcast?: (row: AggregatorTxRow, hash: string) => void;
  /** Asked before each first broadcast (broadcast-check.ts): landed or held back cancels it. */
  beforeBroadcast?: (row: AggregatorTxRow) => Promise<BroadcastCheck>;
}

/** What a broadcast refused by CheckTx means (codes of the SDK's error registry). */
function refusal(code: number, log: string): "sequence" | "funds" | "known" | "other" {
  if (code === 32 || /account sequence mismatch/.test(log)) return "sequence";
  if (code === 5 || code === 13 || /insufficient (funds|fee)/.test(log)) return "funds";
  if (code === 19 || /tx already exists/.test(log)) return "known";
  return "other";
}

/** The sequence a node expected, from its "account sequence mismatch" message. */
function expectedSequence(text: string): number | undefined {
  const match = /account sequence mismatch, expected (\d+)/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** Sends and tracks the executes of one account on one Cosmos chain; see the module comment. */
export class CosmosTxManager {
  readonly from: string;
  private readonly options: TxManagerOptions;
  private readonly loop: SendLoop;
  private resync = true;
  private session: CosmosAccountSession | undefined;
  private receiptsAt = 0;

  constructor(
    private readonly deps: CosmosTxManagerDeps,
    options: Partial<TxManagerOptions> = {},
  ) {
    this.from = cosmosAddress(deps.key, deps.prefix);
    this.options = { ...DEFAULT_TX_MANAGER_OPTIONS, ...options };
    this.loop = new SendLoop({
      pollMs: this.options.pollMs,
      step: () => this.tick(),
      failed: (err) => {
        // a broken connection is made again next time
        this.session?.close();
        this.session = undefined;
        deps.logger.warn(
          { chain: deps.chain, err: errorMessage(err) },
          "Cosmos transaction loop step failed",
        );
      },
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
  async stop(): Promise<void> {
    await this.loop.stop();
    this.session?.close();
    this.session = undefined;
  }

  /** Queue an execute (persisted at once); returns its id. */
  enqueue(req: CosmosTxRequest): number {
    const id = this.deps.txs.insert({
      chain: this.deps.chain,
      from: this.from,
      to: req.contract,
      dataHex: `0x${Buffer.from(JSON.stringify(req.msg)).toString("hex")}`,
      gasPrice: req.gasPrice,
      ref: req.ref,
    });
    this.loop.wake();
    return id;
  }

  private async connect(): Promise<CosmosAccountSession> {
    this.session ??= await CosmosAccountSession.connect({
      rpcUrl: this.deps.rpcUrl,
      from: this.from,
      key: this.deps.key,
      prefix: this.deps.prefix,
    });
    return this.session;
  }

  /** One step of the loop; false when the account has nothing queued or sent. */
  private async tick(): Promise<boolean> {
    const { chain, txs } = this.deps;
    const sent = txs.sent(chain, this.from);
    if (sent.length === 0 && txs.queued(chain, this.from, 1).length === 0) return false;
    const s = await this.connect();
    // the account's committed sequence, read once per step (it moves only with blocks)
    let read: Promise<number | undefined> | undefined;
    const committed = () => {
      read ??= s.committedSequence();
      return read;
    };
    let pending = sent.length;
    if (sent.length > 0 && Date.now() - this.receiptsAt >= this.options.pollMs) {
      this.receiptsAt = Date.now();
      pending = await this.checkSent(s, sent, await committed());
    }
    if (this.stopped) return true;
    let room = this.options.maxInFlight - pending;
    for (const row of txs.queued(chain, this.from, room)) {
      // strict order: a head waiting for funds holds the rest back, as the chain would
      if (row.next_attempt_at > Date.now() || room <= 0 || this.stopped) break;
      if (!(await this.send(s, row, committed))) break;
      room--;
    }
    return true;
  }

  /** Look up sent transactions whose sequence is used (or that count as stuck); returns how many still wait. */
  private async checkSent(
    s: CosmosAccountSession,
    rows: readonly AggregatorTxRow[],
    committed: number | undefined,
  ): Promise<number> {
    const used = committed ?? 0;
    let settled = 0;
    for (const row of rows) {
      if (this.stopped) break;
      const stuck = row.sent_at !== null && Date.now() - row.sent_at >= this.options.stuckAfterMs;
      if (row.nonce !== null && row.nonce >= used && !stuck) continue;
      if (await this.settleIfFound(row)) {
        settled++;
        continue;
      }
      if (!stuck) continue;
      if (row.nonce !== null && row.nonce >= used) {
        // still free: the node lost it (or never had it); the same bytes again
        await this.rebroadcast(s, row);
      } else {
        this.resync = true;
        this.deps.txs.requeue(
          row.id,
          `sequence ${row.nonce} was used by another transaction of ${this.from}`,
          Date.now(),
        );
        this.loop.again();
      }
    }
    return rows.length - settled;
  }

  /** Settle a row when one of its hashes is committed; true when it was. */
  private async settleIfFound(row: AggregatorTxRow): Promise<boolean> {
    for (const hash of row.hashes) {
      const tx = await this.deps.rpc.getTx(hash);
      if (!tx) continue;
      const status = tx.code === 0 ? "success" : "reverted";
      this.deps.txs.markMined(row.id, {
        txHash: tx.hash,
        status,
        gasUsed: tx.gasUsed,
        block: tx.height,
      });
      if (status === "reverted") this.deps.txs.note(row.id, tx.log.slice(0, 1000));
      this.deps.onSettled(this.deps.txs.get(row.id) ?? row, {
        kind: "mined",
        txHash: tx.hash,
        status,
        gasUsed: tx.gasUsed,
        block: tx.height,
      });
      return true;
    }
    return false;
  }

  /** The sequence for the next broadcast, skipping those of transactions still marked sent. */
  private nextSequence(committed: number): number {
    const { chain } = this.deps;
    const stored = this.deps.nonces.get(chain, this.from);
    let next = !this.resync && stored !== undefined ? stored : committed;
    this.resync = false;
    while (this.deps.txs.nonceHeld(chain, this.from, next)) next++;
    return next;
  }

  private execute(row: AggregatorTxRow): CosmosExecute {
    return { contract: row.to_address, msg: hexToBytes(row.data_hex as `0x${string}`) };
  }

  /** Gas x price: the component's price (whole units per gas) or the chain's. */
  private fee(gas: number, row: AggregatorTxRow): { fee: StdFee; price: string } {
    const { denom, amount } = this.deps.gasPrice;
    const price = row.gas_price_override ?? String(amount);
    const total =
      row.gas_price_override === null
        ? BigInt(Math.ceil(gas * amount))
        : BigInt(gas) * BigInt(row.gas_price_override);
    return { fee: { amount: [{ denom, amount: total.toString() }], gas: String(gas) }, price };
  }

  private async sign(
    s: CosmosAccountSession,
    row: AggregatorTxRow,
    sequence: number,
    gas: number,
  ): Promise<SignedCosmosTx & { price: string }> {
    const { fee, price } = this.fee(gas, row);
    return { ...(await s.sign(this.execute(row), sequence, fee)), price };
  }

  /**
   * Simulate, sign, mark sent, broadcast one queued transaction. False when the loop must stop
   * for now (waiting for funds, the sequence resynced, the node unreachable).
   */
  private async send(
    s: CosmosAccountSession,
    row: AggregatorTxRow,
    committedSequence: () => Promise<number | undefined>,
  ): Promise<boolean> {
    const { txs, logger, chain } = this.deps;
    // a transaction queued again after a broadcast may have landed meanwhile
    if (row.hashes.length > 0 && (await this.settleIfFound(row))) return true;
    const cancelled = await checkBeforeBroadcast(row, this.deps.beforeBroadcast, {
      txs,
      log: logger.child({ chain, tx_id: row.id, ref: row.ref }),
    });
    if (cancelled) {
      this.deps.onSettled(txs.get(row.id) ?? row, cancelled);
      return true;
    }
    const committed = await committedSequence();
    if (committed === undefined) {
      this.waitForFunds(row, `the account ${this.from} does not exist on ${chain} yet`);
      return false;
    }
    const sequence = this.nextSequence(committed);
    let gasUsed: number;
    try {
      gasUsed = await s.simulate(this.execute(row), sequence);
    } catch (err) {
      const text = errorMessage(err);
      if (/account sequence mismatch/.test(text)) {
        await this.sequenceRefused(s, row, text);
        return false;
      }
      if (!refusedByChain(err)) throw err;
      const reason = `simulating the execute on ${row.to_address} failed: ${text.slice(0, 1000)}`;
      txs.markFailed(row.id, reason);
      this.deps.onSettled(txs.get(row.id) ?? row, { kind: "failed", reason });
      return true;
    }
    const gas = Math.ceil(gasUsed * (1 + this.options.gasMarginPercent / 100));
    const signed = await this.sign(s, row, sequence, gas);
    const hashes = [...row.hashes, signed.hash];
    this.deps.db.transaction(() => {
      txs.markSent(row.id, {
        nonce: sequence,
        gasLimit: BigInt(gas),
        gasPrice: signed.price,
        hashes,
      });
      this.deps.nonces.set(chain, this.from, sequence + 1);
    })();
    const result = await s.broadcast(signed.bytes);
    if (result.code !== 0) {
      const kind = refusal(result.code, result.log);
      const log = (result.log || `code ${result.code}`).slice(0, 1000);
      if (kind !== "known") {
        // refused outright: the sequence is free again and the hash never existed
        this.deps.nonces.set(chain, this.from, sequence);
        if (kind === "sequence") {
          await this.sequenceRefused(s, row, log, row.hashes);
          return false;
        }
        if (kind === "funds") {
          this.waitForFunds(row, `${this.from} cannot pay the fee: ${log}`, row.hashes);
          return false;
        }
        const reason = `the node refused the transaction: ${log}`;
        txs.markFailed(row.id, reason);
        this.deps.onSettled(txs.get(row.id) ?? row, { kind: "failed", reason });
        return true;
      }
    }
    logger.debug({ chain, sequence, tx_hash: signed.hash, gas }, "Cosmos transaction broadcast");
    this.deps.onBroadcast?.(row, signed.hash);
    return true;
  }

  /**
   * The node wants another sequence than the one `row` was simulated or signed with. When one
   * of our sent transactions holds the sequence it expects, that broadcast never reached the
   * node (a connection cut mid-broadcast): send those same bytes again now, rather than
   * waiting for it to count as stuck while every later execute is refused. Otherwise take
   * the node's sequence (or the chain's). `row` is tried again after one poll.
   */
  private async sequenceRefused(
    s: CosmosAccountSession,
    row: AggregatorTxRow,
    message: string,
    hashes?: readonly string[],
  ): Promise<void> {
    const { txs, chain } = this.deps;
    const expected = expectedSequence(message);
    const lost =
      expected === undefined
        ? undefined
        : txs.sent(chain, this.from).find((r) => r.nonce === expected);
    if (lost) {
      this.deps.logger.info(
        { chain, sequence: expected, tx_hash: lost.hashes[lost.hashes.length - 1] },
        "a sent transaction never reached the node: broadcasting it again",
      );
      await this.rebroadcast(s, lost);
    } else if (expected !== undefined) {
      this.deps.nonces.set(chain, this.from, expected);
    } else {
      this.resync = true;
    }
    txs.requeue(row.id, message.slice(0, 1000), Date.now() + this.options.pollMs, hashes);
  }

  /** Broadcast a stuck transaction again with its sequence, gas and fee: the same bytes. */
  private async rebroadcast(s: CosmosAccountSession, row: AggregatorTxRow): Promise<void> {
    if (row.nonce === null || row.gas_limit === null) return;
    const signed = await this.sign(s, row, row.nonce, Number(row.gas_limit));
    await s.broadcast(signed.bytes);
    this.deps.txs.markSent(row.id, {
      nonce: row.nonce,
      gasLimit: BigInt(row.gas_limit),
      gasPrice: signed.price,
      hashes: row.hashes.includes(signed.hash) ? row.hashes : [...row.hashes, signed.hash],
    });
  }

  /** Keep a transaction queued until the account can pay; said once per attempt. */
  private waitForFunds(row: AggregatorTxRow, why: string, hashes?: readonly string[]): void {
    const delay = backoffMs(row.attempts, this.options);
    this.deps.txs.requeue(row.id, `${why}; waiting for funds`, Date.now() + delay, hashes);
    this.deps.logger.warn(
      { chain: this.deps.chain, account: this.from, retry_in_ms: delay },
      `${why}; waiting for funds`,
    );
  }
}
