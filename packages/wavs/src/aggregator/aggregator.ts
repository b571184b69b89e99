/**
 * The aggregator (spec: signing.md, Aggregation; docs/aggregation.md). One entry point,
 * `submitSignedSubmission(submission, origin)`, for this node's own signed results (from the
 * dispatcher) and for peers' (from the P2P layer). A submission is verified before it costs
 * any work, stored, then processed: the workflow's aggregator component runs `process-input`;
 * `timer` actions become persisted timers that run `handle-timer-callback` later (after a
 * reorg check of the trigger log); `submit` actions join the quorum queue of (event id, chain,
 * handler). A queue is checked on-chain with `validate`; at quorum the designated submitter
 * sends `handleSignedEnvelope` through the chain's transaction manager (on Cosmos chains:
 * `wavs_validate` and the `wavs_handle_signed_envelope` execute) and announces each
 * broadcast to its peers; the others stand down once an announced transaction is seen landed
 * on-chain, and otherwise take over after grace periods unless a search of the blocks since
 * quorum finds the result landed (landing-proof.ts: decided from the chain, never from a
 * revert's name). `handle-submit-callback` follows every attempt.
 * Inputs, timers, queues, signatures and transactions are all in SQLite: a restart resumes.
 *
 * Over 400 lines on purpose: it composes the parts (intake, component runs, timers, quorum
 * queues, the result submitter) and owns the input pump; each part is its own module.
 */
import { EventEmitter } from "node:events";
import type { LocalAccount } from "viem";
import { ChainClients, DEFAULT_TX_MANAGER_OPTIONS, errorLine } from "../chain/index.js";
import { toWitChainConfigs, type WavsConfig, type WitChainConfigs } from "../config/index.js";
import type { AggregatorAction, Engine } from "../engine/index.js";
import type { EventTrace, Logger } from "../internal/index.js";
import { NO_TRACE, WavsError } from "../internal/index.js";
import { KeyedLock } from "../registry/index.js";
import { bytesToHex, parseTriggerDataText, type Service } from "../service/index.js";
import { aggregatorAccount, cosmosKey } from "../signing/index.js";
import type { Db } from "../store/index.js";
import {
  type AggregationInputRow,
  AggregationInputStore,
  AggregationTimerStore,
  AggregatorNonceStore,
  AggregatorTxStore,
  type QuorumQueueRow,
  QuorumQueueStore,
  QuorumSignatureStore,
} from "../store/index.js";
import {
  type AggregationRecord,
  eventAggregations,
  listAggregations,
} from "./aggregation-records.js";
import { AggregationTimers } from "./aggregation-timers.js";
import { type AggregatorOptions, DEFAULT_AGGREGATOR_OPTIONS } from "./aggregator-options.js";
import {
  AggregatorComponentDriver,
  type AggregatorInputSource,
  type DriverOutcome,
  type TxResult,
} from "./component-driver.js";
import { cosmosSendingChain } from "./cosmos-sending-chain.js";
import { aggregatorCallKey, IdenticalInputs } from "./identical-inputs.js";
import { KeyedScheduler, systemClock } from "./keyed-scheduler.js";
import { type KnownOperator, KnownOperators } from "./known-operators.js";
import type { LandingAnnouncement } from "./landing-announcement.js";
import { LandingWatch } from "./landing-watch.js";
import { NextHead } from "./next-head.js";
import { judgePresence, type OperatorPresence, signPresence } from "./operator-presence.js";
import { submissionOfInput } from "./queue-rows.js";
import { QuorumQueues } from "./quorum-queues.js";
import { ResultSubmitter } from "./result-submitter.js";
import type { SignedSubmission, SubmissionOrigin, SubmissionVerdict } from "./signed-submission.js";
import { SignerRegistration } from "./signer-registration.js";
import { admitSubmission } from "./submission-intake.js";
import type { AggregatedWorkflow } from "./verify-submission.js";

/** A peer's landing is looked at on its chain's next head, waiting at most this long ... */
const NEXT_HEAD_FOLLOWED_MS = 30_000;
/** ... or this long on a chain whose heads this node does not follow. */
const NEXT_HEAD_UNFOLLOWED_MS = 1000;

/** What the aggregator is built from. */
export interface AggregatorDeps {
  db: Db;
  engine: Engine;
  /** The service registry (only lookups and signing keys are used). */
  registry: {
    get(serviceId: string): { service: Service } | undefined;
    signerAccount(serviceId: string): LocalAccount;
  };
  config: WavsConfig;
  logger: Logger;
  /** The chains as components see them (shared with the dispatcher); default from `config`. */
  witChains?: WitChainConfigs;
  /** Spans of quorum checks, transactions and landings. */
  trace?: EventTrace;
}

/** Events for the P2P layer and tests. */
export interface AggregatorEvents {
  /** A submission of this node was accepted: share it with the service's peers. */
  "local-submission": [submission: SignedSubmission];
  /** This node broadcast a result transaction: tell the service's peers. */
  "local-landing": [announcement: LandingAnnouncement];
  /** A result landed on-chain (by this node or another operator). */
  landed: [
    record: { queueId: number; eventId: string; by: "self" | "other"; txHash?: string | undefined },
  ];
}

/** See the module comment. */
export class Aggregator extends EventEmitter<AggregatorEvents> {
  private readonly options: AggregatorOptions;
  private readonly log: Logger;
  private readonly inputs: AggregationInputStore;
  private readonly timers: AggregationTimerStore;
  private readonly queues: QuorumQueueStore;
  private readonly signatures: QuorumSignatureStore;
  private readonly txs: AggregatorTxStore;
  private readonly nonces: AggregatorNonceStore;
  private readonly chains: ChainClients;
  private readonly driver: AggregatorComponentDriver;
  private readonly registration: SignerRegistration;
  private readonly lock = new KeyedLock();
  private readonly work: number[] = [];
  private running = 0;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly scheduler: KeyedScheduler;
  private readonly aggregationTimers: AggregationTimers;
  private readonly operators: KnownOperators;
  private readonly identical = new IdenticalInputs<DriverOutcome>(10 * 60_000);
  private readonly quorum: QuorumQueues;
  /** Whether results have landed: peers' announcements and searches of the chain. */
  private readonly landings: LandingWatch;
  private readonly nextHead: NextHead;
  private readonly submitter: ResultSubmitter;
  /** When this process started aggregating: work older than this may have been landed since. */
  private startedAt = Date.now();
  private sweeper: NodeJS.Timeout | undefined;
  private state: "new" | "started" | "stopped" = "new";

  constructor(
    private readonly deps: AggregatorDeps,
    options: Partial<AggregatorOptions> = {},
  ) {
    super();
    this.options = { ...DEFAULT_AGGREGATOR_OPTIONS, ...options };
    this.log = deps.logger.child({ subsystem: "aggregator" });
    this.scheduler = new KeyedScheduler({
      clock: systemClock,
      run: (step) => void this.track(step),
      active: () => this.state === "started",
    });
    const { db } = deps;
    this.inputs = new AggregationInputStore(db);
    this.timers = new AggregationTimerStore(db);
    this.queues = new QuorumQueueStore(db);
    this.signatures = new QuorumSignatureStore(db);
    this.txs = new AggregatorTxStore(db);
    this.nonces = new AggregatorNonceStore(db);
    this.chains = new ChainClients(deps.config, {
      pollingIntervalMs: this.options.tx.pollMs ?? DEFAULT_TX_MANAGER_OPTIONS.pollMs,
    });
    this.driver = new AggregatorComponentDriver({
      engine: deps.engine,
      chains: deps.witChains ?? toWitChainConfigs(deps.config),
      logger: deps.logger,
    });
    this.registration = new SignerRegistration(this.chains);
    this.nextHead = new NextHead({
      scheduler: this.scheduler,
      now: () => Date.now(),
      run: (step) => void this.track(step),
      followedMs: NEXT_HEAD_FOLLOWED_MS,
      unfollowedMs: NEXT_HEAD_UNFOLLOWED_MS,
    });
    this.landings = new LandingWatch({
      chains: this.chains,
      inputs: this.inputs,
      registration: this.registration,
      log: this.log,
      service: (serviceId) => this.deps.registry.get(serviceId)?.service,
      schedule: (key, due, fn) => this.scheduler.schedule(key, due, fn),
      atNextHead: (chain, key, fn) => this.nextHead.run(chain, key, fn),
      running: () => this.state === "started",
      landed: (a, proof) => this.submitter.announcedLanded(a, proof),
    });
    this.aggregationTimers = new AggregationTimers({
      timers: this.timers,
      inputs: this.inputs,
      chains: this.chains,
      scheduler: this.scheduler,
      log: this.log,
      maxDepth: this.options.maxTimerDepth,
      retryMs: this.options.timerRetryMs,
      running: () => this.state === "started",
      sourceOf: (row) => this.sourceOf(row),
      callback: (row, src, depth) => this.actions("handle-timer-callback", row, src, depth),
      handle: (row, src, actions, depth) => this.handleActions(row, src, actions, depth),
    });
    this.operators = new KnownOperators(this.options.operatorMemoryMs, (serviceId, sinceMs) => {
      // the window's first submissions and its last minute's: who signed long ago and lately
      const rows = [
        ...this.inputs.recent(serviceId, sinceMs, 5000),
        ...this.inputs.recent(serviceId, Math.max(sinceMs, Date.now() - 60_000), 5000),
      ];
      return rows.map((r) => ({ signer: r.signer, at: r.received_at }));
    });
    this.submitter = new ResultSubmitter({
      db,
      registry: deps.registry,
      queues: this.queues,
      signatures: this.signatures,
      inputs: this.inputs,
      txs: this.txs,
      nonces: this.nonces,
      chains: this.chains,
      landings: this.landings,
      operators: this.operators,
      scheduler: this.scheduler,
      lock: this.lock,
      account: aggregatorAccount(deps.config.aggregator_evm_credential),
      cosmosKey:
        deps.config.aggregator_cosmos_credential === undefined
          ? undefined
          : cosmosKey(deps.config.aggregator_cosmos_credential),
      cosmosChain: (chain) => cosmosSendingChain(deps.config, chain),
      timing: this.options,
      txOptions: this.options.tx,
      log: this.log,
      trace: deps.trace ?? NO_TRACE,
      running: () => this.state === "started",
      startedAt: () => this.startedAt,
      track: (step) => this.track(step),
      callback: (q, result) => this.callbackForQueue(q, result),
      announce: (announcement) => this.emit("local-landing", announcement),
      landed: (record) => this.emit("landed", record),
    });
    this.quorum = new QuorumQueues({
      db,
      queues: this.queues,
      signatures: this.signatures,
      operators: this.operators,
      chains: this.chains,
      submitter: this.submitter,
      lock: this.lock,
      scheduler: this.scheduler,
      timing: this.options,
      log: this.log,
      trace: deps.trace ?? NO_TRACE,
      running: () => this.state === "started",
      callback: (src, result) => this.callback(src, result),
    });
  }

  /** Resume: unprocessed inputs, pending timers, queues at quorum, and transactions in flight. */
  start(): void {
    if (this.state !== "new") throw new WavsError("WAVS_ERR_INTERNAL", "aggregator started twice");
    this.state = "started";
    this.startedAt = Date.now();
    const { evm, cosmos } = this.deps.config.chains;
    this.submitter.start([
      ...Object.keys(evm).map((id) => `evm:${id}`),
      ...Object.keys(cosmos).map((id) => `cosmos:${id}`),
    ]);
    const received = this.inputs.received();
    for (const row of received) this.work.push(row.id);
    const timers = this.aggregationTimers.resume();
    const open = this.queues.inQuorum();
    for (const q of open) this.submitter.scheduleSubmission(q.id);
    // queues that were still waiting when the node stopped get their re-checks again
    const recheckWindow = this.options.recheckMs * 2 ** this.options.maxRechecks;
    for (const q of this.queues.collectingSince(Date.now() - recheckWindow))
      this.quorum.scheduleRecheck(q.id, 0);
    if (received.length + timers + open.length > 0) {
      this.log.info(
        { inputs: received.length, timers, queues: open.length },
        "resuming aggregation",
      );
    }
    this.sweep();
    this.sweeper = setInterval(() => this.sweep(), Math.min(this.options.ttlMs, 3600_000));
    this.sweeper.unref();
    this.pump();
  }

  /** Stop: no new work; running component calls and RPC steps finish; state stays on disk. */
  async stop(): Promise<void> {
    if (this.state === "stopped") return;
    this.state = "stopped";
    if (this.sweeper) clearInterval(this.sweeper);
    this.scheduler.clear();
    this.nextHead.clear();
    this.work.length = 0;
    // transaction managers first: their outcomes start aggregation steps, drained below
    await this.submitter.stop();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    this.chains.close();
  }

  /**
   * The one entry point for signed submissions, local (`"local"`, from the dispatcher) or from
   * a peer (`{peer}`, from the P2P layer). Verifies before any work (service and workflow
   * known, envelope well formed and built from the response, event id matching the trigger
   * data, signature recovering to the claimed signer; for peers also the signer registered
   * with the service manager), refuses replays, stores the submission, and queues it for its
   * aggregator component. Resolves once the submission is durably stored (or refused).
   */
  async submitSignedSubmission(
    submission: SignedSubmission,
    origin: SubmissionOrigin,
  ): Promise<SubmissionVerdict> {
    if (this.state !== "started")
      return { verdict: "rejected", reason: "the aggregator is not running", penalise: false };
    const admitted = await admitSubmission(submission, origin, {
      inputs: this.inputs,
      queues: this.queues,
      registration: this.registration,
      operators: this.operators,
      log: this.log,
      maxPayloadBytes: this.options.maxPayloadBytes,
      resolve: (s, w) => this.resolve(s, w),
      selfSigner: (serviceId) => this.submitter.selfSigner(serviceId),
    });
    const { verdict } = admitted;
    if (verdict.verdict === "accepted" && origin === "local") {
      this.emit("local-submission", submission);
    }
    if (admitted.process && verdict.verdict === "accepted") {
      this.work.push(verdict.inputId);
      this.pump();
    }
    return verdict;
  }

  /** Aggregation records of one event, oldest first (for the API). */
  eventAggregations(eventId: string): AggregationRecord[] {
    return eventAggregations(
      { queues: this.queues, signatures: this.signatures, txs: this.txs },
      eventId,
    );
  }

  /** Aggregation records of a service, newest first (for the API). */
  listAggregations(
    serviceId: string,
    opts: { limit: number; before?: number | undefined },
  ): AggregationRecord[] {
    return listAggregations(
      { queues: this.queues, signatures: this.signatures, txs: this.txs },
      serviceId,
      opts,
    );
  }

  /** Accepted submissions of a service since `sinceMs`, for peers catching up. */
  recentSubmissions(serviceId: string, sinceMs: number, limit = 1000): SignedSubmission[] {
    return this.inputs.recent(serviceId, sinceMs, limit).map((row) => submissionOfInput(row));
  }

  /** Resolves when no submission is waiting or being processed (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.work.length > 0 || this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
      if (this.work.length > 0 && this.inFlight.size === 0)
        await new Promise((r) => setTimeout(r, 10));
    }
  }

  private resolve(serviceId: string, workflowId: string) {
    const service = this.deps.registry.get(serviceId)?.service;
    const workflow = service?.workflows.get(workflowId);
    return service && workflow ? { service, workflow } : undefined;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    const tracked = p.catch((err: unknown) => {
      this.log.error({ err: errorLine(err) }, "aggregation step failed");
      return undefined as T;
    });
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
    return tracked;
  }

  private pump(): void {
    while (
      this.state === "started" &&
      this.running < this.options.concurrency &&
      this.work.length > 0
    ) {
      const id = this.work.shift()!;
      this.running++;
      void this.track(this.process(id)).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  /** The aggregator input of a stored submission, with its service as registered now. */
  private sourceOf(row: AggregationInputRow): AggregatorInputSource | undefined {
    const resolved = this.resolve(row.service_id, row.workflow_id);
    if (resolved?.workflow.submit.type !== "aggregator") return undefined;
    return {
      serviceId: row.service_id,
      workflowId: row.workflow_id,
      service: resolved.service,
      workflow: resolved.workflow as AggregatedWorkflow,
      triggerData: parseTriggerDataText(row.trigger_data),
      eventId: row.event_id,
      response: {
        payloadHex: row.payload_hex,
        ordering: row.ordering === null ? undefined : BigInt(row.ordering),
        eventIdSaltHex: row.event_id_salt ?? undefined,
      },
    };
  }

  private async process(inputId: number): Promise<void> {
    const row = this.inputs.get(inputId);
    if (row?.status !== "received") return;
    const src = this.sourceOf(row);
    if (!src) {
      this.inputs.finish(inputId, "failed", "the service or workflow is no longer registered");
      return;
    }
    const out = await this.actions("process-input", row, src, 0);
    if (this.state !== "started") return;
    if (!out.ok) {
      this.inputs.finish(inputId, "failed", `${out.error.code}: ${out.error.message}`);
      return;
    }
    await this.handleActions(row, src, out.actions, 0);
    this.inputs.finish(inputId, "processed");
  }

  /** The actions of an aggregator call, reused for identical inputs (see `identical-inputs.ts`). */
  private actions(
    fn: "process-input" | "handle-timer-callback",
    row: AggregationInputRow,
    src: AggregatorInputSource,
    depth: number,
  ): Promise<DriverOutcome> {
    if (!this.options.reuseIdenticalInputs) return this.driver.actions(fn, src);
    const component = src.workflow.submit.component;
    const identity = `${component.source.digest}|${JSON.stringify([...component.config])}`;
    const key = aggregatorCallKey(fn, depth, identity, row);
    return this.identical.get(
      key,
      () => this.driver.actions(fn, src),
      (out) => out.ok,
    );
  }

  private async handleActions(
    row: AggregationInputRow,
    src: AggregatorInputSource,
    actions: AggregatorAction[],
    depth: number,
  ): Promise<void> {
    for (const action of actions) {
      if (action.kind === "timer") {
        this.aggregationTimers.add(row, action.delaySecs, depth);
      } else {
        const handler =
          action.chainType === "evm" ? bytesToHex(action.address) : action.address.bech32Addr;
        await this.quorum.join(row, src, action.chain, handler, action.gasPrice);
      }
    }
  }

  /** The node saw a new head of `chain` (its trigger watcher's). */
  headSeen(chain: string): void {
    this.nextHead.headSeen(chain);
  }

  /** A landing announced by a peer (the P2P layer's validator); see landing-watch.ts. */
  receiveLanding(a: LandingAnnouncement, from: string): Promise<"accept" | "reject" | "ignore"> {
    return this.landings.receive(a, from);
  }

  /** A peer's presence (the P2P layer's validator); see operator-presence.ts. */
  receivePresence(p: OperatorPresence, _from: string): Promise<"accept" | "reject" | "ignore"> {
    if (this.state !== "started") return Promise.resolve("ignore");
    return judgePresence(p, {
      service: (serviceId) => this.deps.registry.get(serviceId)?.service,
      registration: this.registration,
      operators: this.operators,
    });
  }

  /** This node's presence for a service, signed now; undefined when it holds no key for it. */
  async ownPresence(serviceId: string): Promise<OperatorPresence | undefined> {
    const signer = this.submitter.selfSigner(serviceId);
    if (signer === undefined) return undefined;
    return signPresence(this.deps.registry.signerAccount(serviceId), serviceId);
  }

  /** The operators this node ranks for a service's results: who signed, who announced itself. */
  knownOperators(serviceId: string): KnownOperator[] {
    return this.operators.describe(serviceId);
  }

  private callbackForQueue(q: QuorumQueueRow, result: TxResult): void {
    const row = q.quorum_input_id === null ? undefined : this.inputs.get(q.quorum_input_id);
    const src = row && this.sourceOf(row);
    if (src) this.callback(src, result);
  }

  /** Run `handle-submit-callback` in the background; its failure is the component's own. */
  private callback(src: AggregatorInputSource, result: TxResult): void {
    if (this.state !== "started") return;
    void this.track(this.driver.submitCallback(src, result));
  }

  private sweep(): void {
    try {
      const cutoff = Date.now() - this.options.ttlMs;
      const queues = this.queues.sweep(cutoff);
      const inputs = this.inputs.sweep(cutoff);
      if (queues + inputs > 0)
        this.log.info({ queues, inputs }, "forgot finished aggregations past their TTL");
    } catch (err) {
      this.log.warn({ err: errorLine(err) }, "aggregation sweep failed");
    }
  }
}
