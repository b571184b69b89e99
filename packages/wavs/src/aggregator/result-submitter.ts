/**
 * Landing a result once quorum is reached: who sends (the designated submitter, from the
 * submitter order), when (now, after the settle window, or as a takeover after grace
 * periods), the `handleSignedEnvelope` transaction through the chain's transaction manager
 * (on a Cosmos chain the `wavs_handle_signed_envelope` execute, cosmos-tx-manager.ts),
 * the announcement of each broadcast to peers, and the outcome: burned when the result is
 * on-chain (ours or another operator's, decided from the chain), failed otherwise. Every step
 * runs under the queue's lock; the aggregator hands queues here at quorum.
 */
import {
  buildSignatureData,
  cosmwasmSignedEnvelope,
  type EnvelopeSignature,
} from "@wavs-ts/contracts";
import { type Address, getAddress, type Hex, type LocalAccount } from "viem";
import {
  type BroadcastCheck,
  type ChainClients,
  CosmosTxManager,
  TxManager,
  type TxManagerOptions,
  type TxOutcome,
} from "../chain/index.js";
import type { EventTrace, Logger } from "../internal/index.js";
import type { KeyedLock } from "../registry/index.js";
import { isCosmosChain } from "../service/index.js";
import type { CosmosKey } from "../signing/index.js";
import type {
  AggregationInputStore,
  AggregatorNonceStore,
  AggregatorTxRow,
  AggregatorTxStore,
  Db,
  QuorumQueueRow,
  QuorumQueueStore,
  QuorumSignatureStore,
} from "../store/index.js";
import type { TxResult } from "./component-driver.js";
import type { CosmosSendingChain } from "./cosmos-sending-chain.js";
import { planSubmission, type SubmitterPlan, settleExtends } from "./designated-submitter.js";
import { encodeHandleCall } from "./handle-call.js";
import type { KeyedScheduler } from "./keyed-scheduler.js";
import type { KnownOperators } from "./known-operators.js";
import { type LandingAnnouncement, signLanding } from "./landing-announcement.js";
import type { LandingProof } from "./landing-proof.js";
import type { LandingWatch } from "./landing-watch.js";
import { envelopeOfQueue, outcomeOfRow, queueIdOfRef } from "./queue-rows.js";
import { currentSignatureData } from "./quorum-check.js";
import { type SubmissionTiming, submissionStep } from "./submission-timing.js";

/** Times a takeover waits another grace period for an announced transaction still pending. */
const MAX_PENDING_POSTPONES = 4;

/** What the submitter is given by the aggregator. */
export interface ResultSubmitterDeps {
  db: Db;
  registry: { signerAccount(serviceId: string): LocalAccount };
  queues: QuorumQueueStore;
  signatures: QuorumSignatureStore;
  inputs: AggregationInputStore;
  txs: AggregatorTxStore;
  nonces: AggregatorNonceStore;
  chains: ChainClients;
  landings: LandingWatch;
  operators: KnownOperators;
  scheduler: KeyedScheduler;
  lock: KeyedLock;
  /** The account that sends result transactions (`aggregator_evm_credential`), if any. */
  account: LocalAccount | undefined;
  /** The key of the account that sends them on Cosmos (`aggregator_cosmos_credential`), if any. */
  cosmosKey: CosmosKey | undefined;
  /** How to send on a configured Cosmos chain; undefined for any other chain. */
  cosmosChain(chain: string): CosmosSendingChain | undefined;
  timing: SubmissionTiming;
  txOptions: Partial<TxManagerOptions>;
  log: Logger;
  trace: EventTrace;
  /** Whether the aggregator is started (stopped: nothing new is sent). */
  running(): boolean;
  /** When this process started aggregating (older work may have been overtaken). */
  startedAt(): number;
  /** Run a step in the background, waited for by the aggregator's stop. */
  track(step: Promise<unknown>): Promise<unknown>;
  /** Run the workflow's `handle-submit-callback` for a queue. */
  callback(q: QuorumQueueRow, result: TxResult): void;
  /** This node broadcast a result transaction: tell the service's peers. */
  announce(announcement: LandingAnnouncement): void;
  /** A result landed on-chain (by this node or another). */
  landed(record: {
    queueId: number;
    eventId: string;
    by: "self" | "other";
    txHash?: string | undefined;
  }): void;
}

/** See the module comment. */
export class ResultSubmitter {
  private readonly txManagers = new Map<string, TxManager | CosmosTxManager>();
  /** Takeovers postponed for an announced transaction still pending, per queue. */
  private readonly postponed = new Map<number, number>();

  constructor(private readonly deps: ResultSubmitterDeps) {}

  /** Start a transaction manager per configured chain (they resume what was in flight). */
  start(chains: readonly string[]): void {
    for (const chain of chains) this.txManager(chain);
  }

  /** Stop the transaction managers; what they hold stays on disk. */
  async stop(): Promise<void> {
    await Promise.all([...this.txManagers.values()].map((m) => m.stop()));
  }

  private signaturesOf(queueId: number): EnvelopeSignature[] {
    return this.deps.signatures
      .list(queueId)
      .map((s) => ({ signer: s.signer as Address, signature: s.signature as Hex }));
  }

  /** This node's signing address for a service, if it runs it. */
  selfSigner(serviceId: string): Address | undefined {
    try {
      return this.deps.registry.signerAccount(serviceId).address;
    } catch {
      return undefined;
    }
  }

  /** Whether an operator ranked ahead is alive but behind on this event (see `settleExtends`). */
  private aheadIsBehind(q: QuorumQueueRow, ahead: readonly Address[], now: number): boolean {
    const disagreeing = new Set(
      this.deps.inputs
        .otherEnvelopes({
          serviceId: q.service_id,
          workflowId: q.workflow_id,
          eventId: q.event_id,
          envelopeHash: q.envelope_hash,
        })
        .map((r) => getAddress(r.signer)),
    );
    return settleExtends({
      ahead: ahead.map((signer) => ({
        lastSeen: this.deps.operators.lastSeen(q.service_id, signer),
        disagrees: disagreeing.has(getAddress(signer)),
      })),
      now,
      settleMs: this.deps.timing.settleMs,
      quorumAt: q.quorum_reached_at ?? now,
      gracePeriodMs: this.deps.timing.gracePeriodMs,
    });
  }

  /**
   * Record the plan's designated submitter, unless this node's own transaction is in flight:
   * then it is the one sending, whatever a later signature says.
   */
  followDesignated(q: QuorumQueueRow, plan: SubmitterPlan): void {
    if (plan.designated === undefined || plan.designated === q.designated) return;
    if (q.tx_id !== null) {
      const tx = this.deps.txs.get(q.tx_id);
      if (tx && (tx.status === "queued" || tx.status === "sent")) return;
    }
    this.deps.queues.setDesignated(q.id, plan.designated);
  }

  /** Who submits this queue's result, from every operator known for the service. */
  planFor(q: QuorumQueueRow): SubmitterPlan {
    return planSubmission({
      eventId: q.event_id as Hex,
      operators: this.deps.operators.list(q.service_id),
      signers: this.deps.signatures.list(q.id).map((s) => s.signer as Address),
      self: this.selfSigner(q.service_id),
    });
  }

  /**
   * Send now when this node is first in the submitter order; after the settle window when it is
   * the first signer but operators ranked ahead have not signed; otherwise take over after its
   * grace periods if the result has not landed. Planned again whenever a signature joins.
   */
  scheduleSubmission(queueId: number): void {
    const q = this.deps.queues.get(queueId);
    if (q?.status !== "quorum" || !this.deps.running()) return;
    if (q.tx_id !== null) {
      const tx = this.deps.txs.get(q.tx_id);
      // in flight: the transaction manager reports the outcome
      if (tx && (tx.status === "queued" || tx.status === "sent")) return;
      if (tx) {
        void this.deps.track(
          this.deps.lock.run(`queue:${q.id}`, () => this.settled(tx, outcomeOfRow(tx))),
        );
        return;
      }
    }
    const plan = this.planFor(q);
    this.followDesignated(q, plan);
    const now = Date.now();
    const self = this.selfSigner(q.service_id);
    const own = this.deps.signatures
      .list(q.id)
      .find((s) => self !== undefined && getAddress(s.signer) === self);
    const step = submissionStep({
      plan,
      quorumAt: q.quorum_reached_at ?? now,
      now,
      timing: this.deps.timing,
      ownSignedAt: own?.added_at,
      aheadIsBehind: () => plan.kind === "settle" && this.aheadIsBehind(q, plan.ahead, now),
    });
    const key = `submit:${q.id}`;
    if (step.do === "send" || step.do === "takeover") {
      this.deps.scheduler.unschedule(key);
      const act = step.do === "send" ? () => this.send(q.id) : () => this.takeOver(q.id);
      void this.deps.track(this.deps.lock.run(`queue:${q.id}`, act));
      return;
    }
    // planned again then: a signature of an operator ranked ahead may have arrived
    if (step.next === "replan")
      this.deps.scheduler.schedule(key, step.at, async () => this.scheduleSubmission(q.id));
    else
      this.deps.scheduler.schedule(key, step.at, () =>
        this.deps.lock.run(`queue:${q.id}`, () => this.takeOver(q.id)),
      );
  }

  /**
   * A turn that must look first (a takeover, or a sender whose signature came late): land the
   * result unless it is already on-chain or a peer's transaction for it is pending.
   */
  private async takeOver(queueId: number): Promise<void> {
    const q = this.deps.queues.get(queueId);
    if (q?.status !== "quorum" || q.tx_id !== null || !this.deps.running()) return;
    const found = await this.deps.landings.find(q, { scan: true });
    if (this.deps.queues.get(queueId)?.status !== "quorum") return;
    if (found.kind === "landed") {
      this.burn(q, { by: "other", txHash: found.txHash, block: Number(found.block) });
      return;
    }
    // a peer's transaction is in the pool: sending ours too would land the result twice
    if (found.kind === "pending" && this.mayPostpone(q.id)) {
      this.postpone(q);
      return;
    }
    this.postponed.delete(q.id);
    this.deps.log.info(
      { queue_id: q.id, event_id: q.event_id },
      "result not landed by this node's turn: sending it",
    );
    await this.send(q.id, true);
  }

  /** Whether a turn may still wait for a peer's pending transaction (a bounded number of times). */
  private mayPostpone(queueId: number): boolean {
    return (this.postponed.get(queueId) ?? 0) < MAX_PENDING_POSTPONES;
  }

  /** Wait one grace period for a peer's pending transaction, then take over (which looks again). */
  private postpone(q: QuorumQueueRow): void {
    this.postponed.set(q.id, (this.postponed.get(q.id) ?? 0) + 1);
    this.deps.log.info(
      { queue_id: q.id, event_id: q.event_id },
      "an announced result transaction is still pending: sending postponed",
    );
    this.deps.scheduler.schedule(
      `submit:${q.id}`,
      Date.now() + this.deps.timing.gracePeriodMs,
      () => this.deps.lock.run(`queue:${q.id}`, () => this.takeOver(q.id)),
    );
  }

  /** An announced transaction landed: burn the queue unless our own transaction is in flight. */
  async announcedLanded(a: LandingAnnouncement, proof: LandingProof): Promise<void> {
    const q = this.deps.queues.find(a.event_id.toLowerCase(), a.chain, a.handler.toLowerCase());
    if (!q || q.status === "burned") return;
    await this.deps.lock.run(`queue:${q.id}`, async () => {
      const now = this.deps.queues.get(q.id);
      // our own transaction in flight is settled by the transaction manager
      if (!now || now.status === "burned" || now.tx_id !== null) return;
      this.deps.scheduler.unschedule(`submit:${q.id}`);
      this.burn(now, { by: "other", txHash: proof.txHash, block: Number(proof.block) });
    });
  }

  /**
   * Announce this node's broadcast of a queue's transaction to the service's peers, with the
   * signed transaction when there is one (EVM).
   */
  private announce(row: AggregatorTxRow, hash: string, raw?: string): void {
    const queueId = queueIdOfRef(row.ref);
    const q = queueId === undefined ? undefined : this.deps.queues.get(queueId);
    if (!q) return;
    let account: LocalAccount;
    try {
      account = this.deps.registry.signerAccount(q.service_id);
    } catch {
      return;
    }
    void this.deps.track(
      signLanding(
        account,
        {
          service_id: q.service_id,
          event_id: q.event_id,
          chain: q.chain,
          handler: isCosmosChain(q.chain) ? q.handler : getAddress(q.handler),
          tx_hash: hash,
        },
        raw,
      ).then((announcement) => this.deps.announce(announcement)),
    );
  }

  /**
   * Asked by the transaction manager before a broadcast: cancel it when the result is already
   * on-chain, hold it back while a peer's announced transaction for it is in the pool (the
   * queue waits a grace period, as a takeover would), else send. Blocks are searched only for
   * transactions that may have been overtaken (sent late after quorum, a retry, or work older
   * than this process); a fresh first send only consults what peers announced.
   */
  private async beforeBroadcast(row: AggregatorTxRow): Promise<BroadcastCheck> {
    const queueId = queueIdOfRef(row.ref);
    const q = queueId === undefined ? undefined : this.deps.queues.get(queueId);
    if (!q) return { kind: "send" };
    // sent late after quorum (a settle window, a late signature, a slow node): another operator
    // may have sent meanwhile
    const late =
      q.quorum_reached_at !== null &&
      Date.now() - q.quorum_reached_at >= this.deps.timing.settleMs / 2;
    const stale =
      late ||
      row.attempts > 0 ||
      row.created_at < this.deps.startedAt() ||
      (q.quorum_reached_at !== null && q.quorum_reached_at < this.deps.startedAt());
    const found = await this.deps.landings.find(q, { scan: stale });
    if (found.kind === "landed") return { kind: "landed", landed: found };
    // held back: `settled` gets the deferral and waits a grace period, under the queue's lock
    if (found.kind === "pending" && this.mayPostpone(q.id)) {
      return { kind: "defer", reason: "a peer's transaction for this result is pending" };
    }
    return { kind: "send" };
  }

  /** The chain's transaction manager, made on first use; undefined when this node cannot send there. */
  private txManager(chain: string): TxManager | CosmosTxManager | undefined {
    const existing = this.txManagers.get(chain);
    if (existing) return existing;
    const common = {
      chain,
      db: this.deps.db,
      txs: this.deps.txs,
      nonces: this.deps.nonces,
      logger: this.deps.log,
      onSettled: (row: AggregatorTxRow, outcome: TxOutcome) => {
        const queueId = queueIdOfRef(row.ref);
        if (queueId === undefined) return;
        void this.deps.track(
          this.deps.lock.run(`queue:${queueId}`, () => this.settled(row, outcome)),
        );
      },
      onBroadcast: (row: AggregatorTxRow, hash: string, raw?: string) =>
        this.announce(row, hash, raw),
      beforeBroadcast: (row: AggregatorTxRow) => this.beforeBroadcast(row),
    };
    let manager: TxManager | CosmosTxManager;
    if (isCosmosChain(chain)) {
      const cosmos = this.deps.cosmosChain(chain);
      if (!this.deps.cosmosKey || !cosmos) return undefined;
      manager = new CosmosTxManager(
        { ...common, ...cosmos, key: this.deps.cosmosKey, rpc: this.deps.chains.cosmos(chain) },
        this.deps.txOptions,
      );
    } else {
      if (!this.deps.account || !this.deps.chains.has(chain)) return undefined;
      manager = new TxManager(
        { ...common, client: this.deps.chains.get(chain), account: this.deps.account },
        this.deps.txOptions,
      );
    }
    this.txManagers.set(chain, manager);
    if (this.deps.running()) manager.start();
    return manager;
  }

  /** Why this node cannot send on a chain. */
  private cannotSend(chain: string): string {
    if (isCosmosChain(chain)) {
      if (!this.deps.cosmosChain(chain)) return `chain ${chain} is not configured`;
      return "this node has no aggregator_cosmos_credential to send the transaction";
    }
    return this.deps.account
      ? `chain ${chain} is not configured`
      : "this node has no aggregator_evm_credential to send the transaction";
  }

  /**
   * Queue the `handleSignedEnvelope` transaction of a queue at quorum, unless what peers
   * announced shows it landed or in flight (`checked`: a takeover looked already).
   */
  private async send(queueId: number, checked = false): Promise<void> {
    let q = this.deps.queues.get(queueId);
    if (q?.status !== "quorum" || q.tx_id !== null || !this.deps.running()) return;
    if (!checked) {
      // announced transactions only (no RPC when there are none): the happy path stays fast
      const found = await this.deps.landings.find(q, { scan: false });
      q = this.deps.queues.get(queueId);
      if (q?.status !== "quorum" || q.tx_id !== null) return;
      if (found.kind === "landed") {
        this.burn(q, { by: "other", txHash: found.txHash, block: Number(found.block) });
        return;
      }
      // a peer's transaction is in the pool: wait for it as a takeover would
      if (found.kind === "pending") return this.takeOver(q.id);
    }
    const manager = this.txManager(q.chain);
    if (!manager) {
      const reason = this.cannotSend(q.chain);
      // failed, not left at quorum: an operator with a credential lands it (its own takeover)
      this.deps.queues.fail(q.id, reason);
      this.deps.log.warn({ queue_id: q.id, code: "WAVS_ERR_AGGREGATOR_NO_CREDENTIAL" }, reason);
      this.deps.callback(q, { err: reason });
      return;
    }
    const gasPrice = q.gas_price === null ? undefined : BigInt(q.gas_price);
    const ref = `queue:${q.id}`;
    let enqueue: () => number;
    if (manager instanceof CosmosTxManager) {
      // the reference block must be before the block the handler runs in
      const height = await this.deps.chains.cosmos(q.chain).getAppHeight();
      const signatureData = buildSignatureData(
        this.signaturesOf(q.id),
        height > 0n ? height - 1n : 0n,
      );
      const msg = {
        wavs_handle_signed_envelope: cosmwasmSignedEnvelope(envelopeOfQueue(q), signatureData),
      };
      enqueue = () => manager.enqueue({ contract: q.handler, msg, gasPrice, ref });
    } else {
      const client = this.deps.chains.get(q.chain);
      const signatureData = await currentSignatureData(client, this.signaturesOf(q.id));
      const data = encodeHandleCall(envelopeOfQueue(q), signatureData);
      enqueue = () => manager.enqueue({ to: getAddress(q.handler), data, gasPrice, ref });
    }
    // one transaction: the queue points at its row from the moment it exists
    this.deps.db.transaction(() => this.deps.queues.setTx(q.id, enqueue()))();
  }

  /** The transaction of a queue ended: burn on success, otherwise see whether it landed anyway. */
  private async settled(row: AggregatorTxRow, outcome: TxOutcome): Promise<void> {
    const queueId = queueIdOfRef(row.ref);
    const q = queueId === undefined ? undefined : this.deps.queues.get(queueId);
    if (q?.status !== "quorum" || q.tx_id !== row.id) return;
    if (outcome.kind === "failed" && outcome.deferred) {
      // never broadcast: the queue has no transaction again, and its turn comes back
      this.deps.queues.setTx(q.id, null);
      this.postpone(q);
      return;
    }
    this.traceTransaction(q, row, outcome);
    if (outcome.kind === "mined" && outcome.status === "success") {
      this.burn(q, { by: "self", txHash: outcome.txHash, block: Number(outcome.block) });
      this.deps.callback(q, {
        ok: outcome.txHash,
        family: isCosmosChain(q.chain) ? "cosmos" : "evm",
      });
      return;
    }
    const reason =
      outcome.kind === "mined" ? `transaction ${outcome.txHash} reverted` : outcome.reason;
    // a revert is most often another operator landing it first: the chain says, up to its
    // newest block (the landing may be in the block just mined)
    let proof = outcome.kind === "failed" ? outcome.landed : undefined;
    if (!proof && this.deps.running()) {
      const found = await this.deps.landings
        .find(q, { scan: true, fresh: true })
        .catch(() => undefined);
      if (found?.kind === "landed") proof = found;
    }
    if (proof) this.burn(q, { by: "other", txHash: proof.txHash, block: Number(proof.block) });
    else this.deps.queues.fail(q.id, reason);
    this.deps.callback(q, {
      err: proof ? `already landed by another operator (${proof.txHash})` : reason,
    });
  }

  /** Spans of this node's result transaction: queued to broadcast, broadcast to receipt. */
  private traceTransaction(q: QuorumQueueRow, row: AggregatorTxRow, outcome: TxOutcome): void {
    const { trace } = this.deps;
    if (!trace.enabled) return;
    const base = {
      "wavs.service_id": q.service_id,
      "wavs.chain": q.chain,
      "wavs.nonce": row.nonce ?? undefined,
    };
    const sentAt = row.sent_at ?? row.created_at;
    trace.record("wavs.tx.send", q.event_id, row.created_at, sentAt, {
      ...base,
      "wavs.attempts": row.attempts,
      "wavs.designated_submitter": q.designated ?? undefined,
    });
    trace.record("wavs.tx.receipt", q.event_id, sentAt, Date.now(), {
      ...base,
      "wavs.tx_hash": outcome.kind === "mined" ? outcome.txHash : (row.tx_hash ?? undefined),
      "wavs.block_number": outcome.kind === "mined" ? Number(outcome.block) : undefined,
      "wavs.receipt_status": outcome.kind === "mined" ? outcome.status : undefined,
      error:
        outcome.kind === "mined"
          ? outcome.status === "success"
            ? undefined
            : "reverted"
          : outcome.reason,
    });
  }

  private burn(
    q: QuorumQueueRow,
    landed: { by: "self" | "other"; txHash?: string; block?: number },
  ) {
    this.postponed.delete(q.id);
    if (!this.deps.queues.burn(q.id, landed)) return;
    if (this.deps.trace.enabled) {
      const now = Date.now();
      this.deps.trace.record("wavs.landed", q.event_id, now, now, {
        "wavs.service_id": q.service_id,
        "wavs.landed_by": landed.by,
        "wavs.tx_hash": landed.txHash,
        "wavs.block_number": landed.block,
      });
    }
    this.deps.log.info(
      { queue_id: q.id, event_id: q.event_id, landed_by: landed.by, tx_hash: landed.txHash },
      "result landed",
    );
    this.deps.landed({
      queueId: q.id,
      eventId: q.event_id,
      by: landed.by,
      txHash: landed.txHash,
    });
  }
}
