import type { Engine } from "../engine/index.js";
import { serviceRequestFields, validateResponses, type WasmResponse } from "../engine/index.js";
import { encodeTriggerDataForEventId, eventId } from "../ids/index.js";
import type { EventTrace, Logger, TraceAttributes } from "../internal/index.js";
import { toWavsError } from "../internal/index.js";
import {
  bytesToHex,
  parseTriggerDataJson,
  type Service,
  type TriggerData,
  triggerDataToJson,
  type Workflow,
} from "../service/index.js";
import type { ExecutionRow, ExecutionStore } from "../store/index.js";
import type { TriggerEvent } from "../triggers/index.js";
import { triggerActionToWit } from "../wit/index.js";

/** Span attributes of a trigger: where on which chain it was seen. */
function triggerAttributes(data: TriggerData): TraceAttributes {
  switch (data.type) {
    case "evm_contract_event":
      return {
        "wavs.chain": data.chain,
        "wavs.block_number": Number(data.log.block_number),
        "wavs.tx_hash": bytesToHex(data.log.tx_hash),
        "wavs.log_index": Number(data.log.log_index),
        "wavs.trigger_type": data.type,
      };
    default:
      return { "wavs.trigger_type": data.type };
  }
}

/** Hooks the dispatcher calls; the node wires them to the registry, signing and metrics. */
export interface DispatcherDeps {
  engine: Engine;
  executions: ExecutionStore;
  logger: Logger;
  /** The service and workflow an execution belongs to, or undefined when no longer registered. */
  resolve(
    serviceId: string,
    workflowId: string,
  ): { service: Service; workflow: Workflow } | undefined;
  /** Sign and store one response of a workflow that submits to an aggregator. */
  submit(args: {
    executionId: number;
    serviceId: string;
    workflowId: string;
    workflow: Workflow;
    response: WasmResponse;
    eventId: Uint8Array;
    /** The trigger data the response was computed from (peers rebuild the aggregator input from it). */
    data: TriggerData;
  }): Promise<void>;
  chains?: { evm: Record<string, unknown>; cosmos: Record<string, unknown> };
  /** Spans of each event's trigger, queueing and execution. */
  trace?: EventTrace;
  /** Called after every execution, for metrics. */
  onFinished?(row: {
    serviceId: string;
    workflowId: string;
    status: string;
    durationMs: number;
    fuelUsed?: number | undefined;
    errorCode?: string;
  }): void;
}

/** Queue limits. */
export interface DispatcherLimits {
  /** Unfinished executions before `enqueue` waits (backpressure to the trigger sources). */
  maxPending: number;
  /** Executions of one service running at once. */
  perServiceConcurrency: number;
  /** Executions running at once in total. */
  concurrency: number;
  maxPayloadBytes: number;
}

interface Job {
  id: number;
  serviceId: string;
  workflowId: string;
  data: TriggerData;
  /** The trigger's event id (hex): what its spans are keyed by. */
  eventIdHex: string;
  /** When it was recorded (ms since the Unix epoch). */
  queuedAt: number;
  /** Recorded as running already (it started at once): `run` does not mark it again. */
  recordedRunning?: boolean;
}

/**
 * From trigger events to finished executions. `enqueue` writes the execution to the store
 * before it returns (so a trigger source may advance its cursor and a crash loses nothing),
 * dropping a trigger seen before; jobs run with a global and a per-service concurrency cap;
 * on start, executions left unfinished by a crash are run again.
 */
export class Dispatcher {
  private readonly queue: Job[] = [];
  private readonly runningByService = new Map<string, number>();
  private running = 0;
  private pending = 0;
  private readonly capacityWaiters: (() => void)[] = [];
  private readonly completionWaiters = new Map<number, ((row: ExecutionRow) => void)[]>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly deps: DispatcherDeps,
    private readonly limits: DispatcherLimits,
  ) {}

  /** Re-queue executions that a previous run of the node did not finish. */
  start(): void {
    for (const row of this.deps.executions.pending()) {
      this.pending++;
      this.queue.push({
        id: row.id,
        serviceId: row.service_id,
        workflowId: row.workflow_id,
        data: parseTriggerDataJson(row.trigger_data),
        eventIdHex: row.event_id ?? row.trigger_key,
        queuedAt: row.queued_at,
      });
    }
    if (this.queue.length > 0)
      this.deps.logger.info({ resumed: this.queue.length }, "resuming unfinished executions");
    this.pump();
  }

  /** Stop taking work and wait for running executions (they are re-run after a restart otherwise). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.capacityWaiters.splice(0)) w();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Queued plus running executions. */
  get depth(): { queued: number; running: number } {
    return { queued: this.queue.length, running: this.running };
  }

  /**
   * Durably queue an execution for a trigger. Returns its id, or undefined when this trigger
   * was already recorded (a replayed log, catch-up overlapping the live stream). `uniqueKey`
   * makes deliberate repeats (manual fires) distinct.
   */
  async enqueue(event: TriggerEvent, uniqueKey?: string): Promise<number | undefined> {
    while (this.pending >= this.limits.maxPending && !this.stopped) {
      await new Promise<void>((r) => this.capacityWaiters.push(r));
    }
    const eventIdHex = bytesToHex(
      eventId(event.serviceId, event.workflowId, encodeTriggerDataForEventId(event.data)),
    );
    const triggerKey = uniqueKey ?? eventIdHex;
    // nothing waiting and a free slot: `pump` below starts it in this same turn
    const startsNow = this.queue.length === 0 && this.hasSlot(event.serviceId);
    const id = this.deps.executions.enqueue(
      {
        serviceId: event.serviceId,
        workflowId: event.workflowId,
        triggerKey,
        eventId: eventIdHex,
        triggerType: event.data.type,
        triggerData: triggerDataToJson(event.data),
      },
      { running: startsNow },
    );
    if (id === undefined) return undefined;
    const queuedAt = Date.now();
    const trace = this.deps.trace;
    if (trace?.enabled) {
      trace.record("wavs.trigger", eventIdHex, queuedAt, queuedAt, {
        "wavs.service_id": event.serviceId,
        "wavs.workflow_id": event.workflowId,
        ...triggerAttributes(event.data),
      });
    }
    this.pending++;
    this.queue.push({
      id,
      serviceId: event.serviceId,
      workflowId: event.workflowId,
      data: event.data,
      eventIdHex,
      queuedAt,
      recordedRunning: startsNow,
    });
    this.pump();
    return id;
  }

  /** Resolve when an execution has finished. */
  waitFor(id: number): Promise<ExecutionRow> {
    const row = this.deps.executions.get(id);
    if (row && (row.status === "succeeded" || row.status === "failed")) return Promise.resolve(row);
    return new Promise((resolve) => {
      const list = this.completionWaiters.get(id) ?? [];
      list.push(resolve);
      this.completionWaiters.set(id, list);
    });
  }

  /** Whether an execution of this service may start now. */
  private hasSlot(serviceId: string): boolean {
    return (
      !this.stopped &&
      this.running < this.limits.concurrency &&
      (this.runningByService.get(serviceId) ?? 0) < this.limits.perServiceConcurrency
    );
  }

  private pump(): void {
    if (this.stopped) return;
    for (let i = 0; i < this.queue.length && this.running < this.limits.concurrency; ) {
      const job = this.queue[i]!;
      if (!this.hasSlot(job.serviceId)) {
        i++;
        continue;
      }
      const busy = this.runningByService.get(job.serviceId) ?? 0;
      this.queue.splice(i, 1);
      this.running++;
      this.runningByService.set(job.serviceId, busy + 1);
      const p = this.run(job).finally(() => {
        this.inFlight.delete(p);
        this.running--;
        this.pending--;
        this.runningByService.set(
          job.serviceId,
          (this.runningByService.get(job.serviceId) ?? 1) - 1,
        );
        this.capacityWaiters.shift()?.();
        this.pump();
      });
      this.inFlight.add(p);
    }
  }

  private async run(job: Job): Promise<void> {
    const { executions, engine, logger } = this.deps;
    const log = logger.child({
      service_id: job.serviceId,
      workflow_id: job.workflowId,
      execution_id: job.id,
    });
    if (!job.recordedRunning) executions.markRunning(job.id);
    const started = performance.now();
    const startedAt = Date.now();
    const trace = this.deps.trace;
    if (trace?.enabled) {
      trace.record("wavs.dispatch", job.eventIdHex, job.queuedAt, startedAt, {
        "wavs.service_id": job.serviceId,
        "wavs.workflow_id": job.workflowId,
        "wavs.execution_id": job.id,
      });
    }
    const finish = (outcome: Parameters<ExecutionStore["finish"]>[1]) => {
      executions.finish(job.id, outcome);
      if (trace?.enabled) {
        trace.record("wavs.execute", job.eventIdHex, startedAt, Date.now(), {
          "wavs.service_id": job.serviceId,
          "wavs.workflow_id": job.workflowId,
          "wavs.execution_id": job.id,
          "wavs.status": outcome.status,
          "wavs.duration_ms": outcome.durationMs,
          "wavs.fuel_used": outcome.fuelUsed,
          error: outcome.errorCode,
        });
      }
      this.deps.onFinished?.({
        serviceId: job.serviceId,
        workflowId: job.workflowId,
        status: outcome.status,
        durationMs: outcome.durationMs,
        fuelUsed: outcome.fuelUsed,
        ...(outcome.errorCode ? { errorCode: outcome.errorCode } : {}),
      });
      // read back only for someone waiting (manual fires): decoding the row costs a JSON parse
      const waiters = this.completionWaiters.get(job.id);
      if (waiters) {
        this.completionWaiters.delete(job.id);
        const row = executions.get(job.id);
        if (row) for (const w of waiters) w(row);
      }
    };
    const resolved = this.deps.resolve(job.serviceId, job.workflowId);
    if (!resolved) {
      finish({
        status: "failed",
        errorCode: "WAVS_ERR_SERVICE_NOT_FOUND",
        errorMessage: "the service or workflow is no longer registered",
        durationMs: 0,
        logs: [],
      });
      return;
    }
    const { service, workflow } = resolved;
    // component output goes to the node's log too, tagged so an operator can grep for it
    const componentLog = log.child({ digest: workflow.component.source.digest, component: true });
    const forward = (logs: { level: string; source: string; message: string }[]) => {
      for (const l of logs) {
        const level =
          l.level === "warn" || l.level === "error" || l.level === "debug" || l.level === "trace"
            ? l.level
            : "info";
        componentLog[level]({ source: l.source }, l.message);
      }
    };
    try {
      const outcome = await engine.execute({
        ...serviceRequestFields({
          service,
          workflowId: job.workflowId,
          serviceId: job.serviceId,
          component: workflow.component,
        }),
        digest: workflow.component.source.digest,
        fn: "run",
        args: [
          triggerActionToWit({
            serviceId: job.serviceId,
            workflowId: job.workflowId,
            trigger: workflow.trigger,
            data: job.data,
          }),
        ],
        evmChains: this.deps.chains?.evm,
        cosmosChains: this.deps.chains?.cosmos,
        defaultEventIdSalt: encodeTriggerDataForEventId(job.data),
      });
      forward(outcome.logs);
      if (!outcome.ok) {
        log.warn({ code: outcome.error.code, err: outcome.error.message }, "execution failed");
        finish({
          status: "failed",
          errorCode: outcome.error.code,
          errorMessage: outcome.error.message,
          durationMs: outcome.durationMs,
          fuelUsed: outcome.fuelUsed,
          logs: outcome.logs,
        });
        return;
      }
      const responses = validateResponses(outcome.value, this.limits.maxPayloadBytes);
      if (workflow.submit.type === "aggregator") {
        for (const response of responses) {
          const id = eventId(
            job.serviceId,
            job.workflowId,
            response.eventIdSalt ?? encodeTriggerDataForEventId(job.data),
          );
          await this.deps.submit({
            executionId: job.id,
            serviceId: job.serviceId,
            workflowId: job.workflowId,
            workflow,
            response,
            eventId: id,
            data: job.data,
          });
        }
      }
      finish({
        status: "succeeded",
        durationMs: outcome.durationMs,
        fuelUsed: outcome.fuelUsed,
        logs: outcome.logs,
        responses: responses.map((r) => ({
          payload_hex: bytesToHex(r.payload),
          ordering: r.ordering === undefined ? null : r.ordering.toString(),
          event_id_salt: r.eventIdSalt === undefined ? null : bytesToHex(r.eventIdSalt),
        })),
      });
    } catch (err) {
      const e = toWavsError(err);
      log.error({ code: e.code, err: e.message }, "execution could not complete");
      finish({
        status: "failed",
        errorCode: e.code,
        errorMessage: e.message,
        durationMs: performance.now() - started,
        logs: [],
      });
    }
  }
}
