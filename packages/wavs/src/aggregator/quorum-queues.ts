/**
 * Quorum queues, one per (event id, chain, handler): each signature joins its queue (operators
 * must agree on the envelope exactly), a lone first signature waits briefly for a second, and
 * quorum is checked on-chain with the manager's `validate`. A queue that must wait is checked
 * again with backoff (weights are read at the previous block and may change); at quorum it is
 * marked with its designated submitter and handed to the result submitter.
 */
import { type Address, getAddress, type Hex } from "viem";
import type { ChainClients } from "../chain/index.js";
import { errorLine } from "../chain/index.js";
import type { EventTrace, Logger } from "../internal/index.js";
import type { KeyedLock } from "../registry/index.js";
import { isCosmosChain } from "../service/index.js";
import type {
  AggregationInputRow,
  Db,
  QuorumQueueRow,
  QuorumQueueStore,
  QuorumSignatureRow,
  QuorumSignatureStore,
} from "../store/index.js";
import type { AggregatorInputSource, TxResult } from "./component-driver.js";
import {
  CosmosManagerCache,
  type CosmosQuorumOutcome,
  checkCosmosQuorum,
} from "./cosmos-quorum-check.js";
import type { KeyedScheduler } from "./keyed-scheduler.js";
import type { KnownOperators } from "./known-operators.js";
import { envelopeOfInput, envelopeOfQueue } from "./queue-rows.js";
import { checkQuorum, ManagerCache, type QuorumOutcome } from "./quorum-check.js";
import type { ResultSubmitter } from "./result-submitter.js";

/** What the quorum queues are given by the aggregator. */
export interface QuorumQueuesDeps {
  db: Db;
  queues: QuorumQueueStore;
  signatures: QuorumSignatureStore;
  operators: KnownOperators;
  chains: ChainClients;
  submitter: ResultSubmitter;
  lock: KeyedLock;
  scheduler: KeyedScheduler;
  timing: { gatherMs: number; recheckMs: number; maxRechecks: number };
  log: Logger;
  trace: EventTrace;
  /** Whether the aggregator is started. */
  running(): boolean;
  /** Run the workflow's `handle-submit-callback`. */
  callback(src: AggregatorInputSource, result: TxResult): void;
}

/** See the module comment. */
export class QuorumQueues {
  private readonly managers = new ManagerCache();
  private readonly cosmosManagers = new CosmosManagerCache();
  /** Re-checks done per waiting queue. */
  private readonly rechecks = new Map<number, number>();
  /** A lone first signature gathering: resolved when another joins. */
  private readonly joinWaiters = new Map<number, () => void>();

  constructor(private readonly deps: QuorumQueuesDeps) {}

  /** Add a submission's signature to the queue of (event id, chain, handler) and check it. */
  async join(
    row: AggregationInputRow,
    src: AggregatorInputSource,
    chain: string,
    handler: string,
    gasPrice: bigint | undefined,
  ): Promise<void> {
    const joined = this.deps.db.transaction(() => {
      this.deps.queues.insert({
        serviceId: row.service_id,
        workflowId: row.workflow_id,
        eventId: row.event_id,
        chain,
        handler,
        gasPrice,
        envelopeHash: row.envelope_hash,
        ordering: envelopeOfInput(row).ordering,
        payloadHex: row.payload_hex,
      });
      const q = this.deps.queues.find(row.event_id, chain, handler)!;
      if (q.status === "burned") return { kind: "burned" as const, q };
      // operators must agree exactly: another envelope never combines with the first
      if (q.envelope_hash !== row.envelope_hash) return { kind: "mismatch" as const, q };
      this.deps.signatures.put({
        queue_id: q.id,
        signer: row.signer,
        signature: row.signature,
        input_id: row.id,
        origin: row.origin,
        added_at: Date.now(),
      });
      // past quorum, a signature can change who is first: the record says so at once, in the
      // same transaction, so no reader sees every signature with the earlier submitter
      if (q.status === "quorum")
        this.deps.submitter.followDesignated(q, this.deps.submitter.planFor(q));
      return { kind: "joined" as const, q };
    })();
    if (joined.kind === "mismatch") {
      this.deps.log.warn(
        { event_id: row.event_id, signer: row.signer, queue_id: joined.q.id },
        "submission's envelope differs from the queue's first envelope: operators disagree",
      );
      this.deps.queues.note(
        joined.q.id,
        `signer ${row.signer} signed a different envelope (${row.envelope_hash})`,
      );
      return;
    }
    if (joined.kind === "burned") return;
    this.joinWaiters.get(joined.q.id)?.();
    await this.deps.lock.run(`queue:${joined.q.id}`, () =>
      this.evaluate(joined.q.id, { row, src }),
    );
  }

  /**
   * A signature joined (`trigger`), or a re-check is due. At quorum: plan the submission again
   * (a signature may change who submits). Before: check quorum. Under the queue's lock.
   */
  async evaluate(
    queueId: number,
    trigger?: { row: AggregationInputRow; src: AggregatorInputSource },
  ): Promise<void> {
    const q = this.deps.queues.get(queueId);
    if (!q || q.status === "burned" || !this.deps.running()) return;
    if (q.status === "quorum") {
      this.deps.submitter.scheduleSubmission(q.id);
      return;
    }
    // let submissions whose component run finished at the same moment join before looking:
    // one check then sees them all (and no "quorum not reached" callback is needed)
    await new Promise((r) => setImmediate(r));
    if (trigger && this.deps.timing.gatherMs > 0 && this.deps.signatures.list(q.id).length === 1) {
      const others = this.deps.operators
        .list(q.service_id)
        .filter((s) => s !== getAddress(trigger.row.signer));
      if (others.length > 0) await this.gather(q.id, this.deps.timing.gatherMs);
    }
    await this.checkQueue(q.id, trigger);
  }

  /** Wait until another signature joins the queue, or `ms` passed. */
  private gather(queueId: number, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.joinWaiters.get(queueId) === done) this.joinWaiters.delete(queueId);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.joinWaiters.set(queueId, done);
    });
  }

  /**
   * Check a queue's quorum on-chain. `trigger` is the submission that just joined: it gets the
   * `handle-submit-callback` when quorum must wait. Re-checks (no trigger) call nothing.
   */
  private async checkQueue(
    queueId: number,
    trigger?: { row: AggregationInputRow; src: AggregatorInputSource },
  ): Promise<void> {
    const q = this.deps.queues.get(queueId);
    if (!q || q.status === "quorum" || q.status === "burned" || !this.deps.running()) return;
    if (!trigger && q.status !== "collecting") return;
    const signatures = this.deps.signatures.list(q.id);
    const checking = Date.now();
    let outcome: QuorumOutcome | CosmosQuorumOutcome;
    try {
      outcome = await this.check(q, signatures);
    } catch (err) {
      this.deps.queues.note(q.id, errorLine(err));
      if (trigger) this.deps.callback(trigger.src, { err: errorLine(err) });
      return;
    }
    if (this.deps.trace.enabled) {
      this.deps.trace.record("wavs.quorum.check", q.event_id, checking, Date.now(), {
        "wavs.service_id": q.service_id,
        "wavs.chain": q.chain,
        "wavs.handler": q.handler,
        "wavs.signatures": signatures.length,
        "wavs.quorum": outcome.kind,
        "wavs.reason": outcome.kind === "reached" ? undefined : outcome.reason,
      });
    }
    if (outcome.kind !== "reached") {
      const reason =
        outcome.kind === "pending" ? `quorum not reached: ${outcome.reason}` : outcome.reason;
      this.deps.queues.note(q.id, reason);
      this.deps.log.debug({ queue_id: q.id, event_id: q.event_id, reason }, "no quorum yet");
      if (trigger) this.deps.callback(trigger.src, { err: reason });
      // weights are read at the previous block and may change: look again later, a few times
      this.scheduleRecheck(q.id, trigger ? 0 : (this.rechecks.get(q.id) ?? 0) + 1);
      return;
    }
    this.rechecks.delete(q.id);
    const signers = outcome.signatureData.signers;
    const plan = this.deps.submitter.planFor(q);
    const designated = plan.designated ?? signers[0]!;
    const inputId = trigger?.row.id ?? signatures[signatures.length - 1]?.input_id ?? 0;
    const marked = this.deps.queues.markQuorum(q.id, {
      inputId,
      signers,
      at: Date.now(),
      block: BigInt(outcome.signatureData.referenceBlock),
      designated,
    });
    if (!marked) return;
    this.deps.log.info(
      {
        queue_id: q.id,
        event_id: q.event_id,
        signers: signers.length,
        designated,
        plan: plan.kind,
        rank: plan.rank,
        since_first_signature_ms: Date.now() - (signatures[0]?.added_at ?? Date.now()),
      },
      "quorum reached",
    );
    this.deps.submitter.scheduleSubmission(q.id);
  }

  /**
   * Dry-run the manager's validation with these signatures: `validate` on EVM, the
   * `wavs_validate` query on Cosmos. Throws when the chain is not configured.
   */
  private check(
    q: QuorumQueueRow,
    signatures: readonly QuorumSignatureRow[],
  ): Promise<QuorumOutcome | CosmosQuorumOutcome> {
    const args = {
      envelope: envelopeOfQueue(q),
      signatures: signatures.map((s) => ({
        signer: s.signer as Address,
        signature: s.signature as Hex,
      })),
    };
    if (isCosmosChain(q.chain)) {
      return checkCosmosQuorum({
        ...args,
        rpc: this.deps.chains.cosmos(q.chain),
        handler: q.handler,
        managers: this.cosmosManagers,
      });
    }
    return checkQuorum({
      ...args,
      client: this.deps.chains.get(q.chain),
      chain: q.chain,
      handler: getAddress(q.handler),
      managers: this.managers,
    });
  }

  /** Look at a waiting queue again after a backoff; gives up after `maxRechecks`. */
  scheduleRecheck(queueId: number, attempt: number): void {
    if (attempt >= this.deps.timing.maxRechecks) {
      this.rechecks.delete(queueId);
      return;
    }
    this.rechecks.set(queueId, attempt);
    const delay = Math.min(60_000, this.deps.timing.recheckMs * 2 ** attempt);
    this.deps.scheduler.schedule(`recheck:${queueId}`, Date.now() + delay, () =>
      this.deps.lock.run(`queue:${queueId}`, () => this.evaluate(queueId)),
    );
  }
}
