import { MessageChannel, type Worker } from "node:worker_threads";
import { takeEngineWorker } from "../engine-thread/index.js";
import type { Logger } from "../internal/index.js";
import { WavsError } from "../internal/index.js";
import type { ExecContext, WorkerExecResult } from "./exec-types.js";
import { serveBroker } from "./host/sync-broker.js";
import { type HostIoLimits, handleBrokerRequest } from "./host-io-broker.js";
import type { WorkerInit, WorkerReply, WorkerRequest } from "./worker.js";

export interface WorkerPoolOptions {
  size: number;
  queueLimit: number;
  dbPath: string;
  cacheDir: string;
  maxMemoryPages: number;
  snapshotThresholdMs: number;
  /** Meter fuel in the core modules. */
  meterFuel: boolean;
  maxLoadedPerWorker: number;
  io: HostIoLimits;
  logger: Logger;
}

interface Job {
  ctx: ExecContext;
  timeLimitMs: number;
  resolve: (r: WorkerExecResult) => void;
}

interface PoolWorker {
  worker: Worker;
  job: Job | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Digests this worker has loaded, to route work to warm workers. */
  warm: Set<string>;
  /** Digests it was asked to load ahead of use and has not finished loading. */
  warming: Set<string>;
  startedAt: number;
}

/** How long loading a component for a run may take (at least its time limit). */
const LOAD_LIMIT_MS = 60_000;

/**
 * A fixed set of worker threads running component executions, with a bounded queue. A job
 * that overruns its time limit gets its worker terminated (which stops even a tight loop) and
 * replaced; a worker that dies fails only its own job.
 */
export class WorkerPool {
  private readonly workers: PoolWorker[] = [];
  private readonly queue: Job[] = [];
  private stopped = false;

  constructor(private readonly options: WorkerPoolOptions) {
    for (let i = 0; i < options.size; i++) this.workers.push(this.spawn());
  }

  /** Jobs waiting for a worker. */
  get queued(): number {
    return this.queue.length;
  }

  /** Jobs running now. */
  get running(): number {
    return this.workers.filter((w) => w.job).length;
  }

  /** Run one execution; resolves with the worker's result, never rejects for component faults. */
  run(ctx: ExecContext, timeLimitMs: number): Promise<WorkerExecResult> {
    if (this.stopped) throw new WavsError("WAVS_ERR_EXEC_OVERLOADED", "engine is stopped");
    if (this.queue.length >= this.options.queueLimit) {
      throw new WavsError(
        "WAVS_ERR_EXEC_OVERLOADED",
        `engine queue is full (${this.options.queueLimit} waiting)`,
        {
          hint: "raise the engine queue limit or slow the trigger rate",
        },
      );
    }
    return new Promise((resolve) => {
      this.queue.push({ ctx, timeLimitMs, resolve });
      this.dispatch();
    });
  }

  /** Load a component in every worker ahead of its first execution. */
  warm(digest: string): void {
    for (const w of this.workers) {
      if (w.warm.has(digest)) continue;
      w.warm.add(digest);
      w.warming.add(digest);
      w.worker.postMessage({ type: "warm", digest } satisfies WorkerRequest);
    }
  }

  /** Component loads asked for ahead of use (`warm`) that are not finished, over all workers. */
  warming(): number {
    return this.workers.reduce((n, w) => n + w.warming.size, 0);
  }

  /** Terminate every worker; queued jobs fail. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const job of this.queue.splice(0))
      job.resolve(failure("WAVS_ERR_EXEC_OVERLOADED", "engine stopped"));
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private spawn(): PoolWorker {
    const { port1, port2 } = new MessageChannel();
    const shared = new SharedArrayBuffer(4);
    const init: WorkerInit = {
      dbPath: this.options.dbPath,
      cacheDir: this.options.cacheDir,
      maxMemoryPages: this.options.maxMemoryPages,
      brokerPort: port2,
      brokerShared: shared,
      snapshotThresholdMs: this.options.snapshotThresholdMs,
      meterFuel: this.options.meterFuel,
      maxLoaded: this.options.maxLoadedPerWorker,
    };
    const worker = takeEngineWorker();
    worker.stdout.resume();
    worker.stderr.resume();
    worker.postMessage({ type: "init", init } satisfies WorkerRequest, [port2]);
    serveBroker(port1, shared, (req) => handleBrokerRequest(req, this.options.io));
    port1.unref();
    const pw: PoolWorker = {
      worker,
      job: undefined,
      timer: undefined,
      warm: new Set(),
      warming: new Set(),
      startedAt: Date.now(),
    };
    worker.on("message", (msg: WorkerReply) => {
      if (msg.type === "started" && pw.job && pw.job.ctx.execId === msg.execId)
        this.startClock(pw, pw.job.timeLimitMs);
      if (msg.type === "result" && pw.job && pw.job.ctx.execId === msg.execId)
        this.finish(pw, msg.result);
      if (msg.type === "warmed") {
        pw.warming.delete(msg.digest);
        this.options.logger.debug(
          { digest: msg.digest, ...msg.warmUp },
          "component loaded ahead of use",
        );
      }
    });
    worker.on("error", (err: Error & { code?: string }) => {
      const oom = err.code === "ERR_WORKER_OUT_OF_MEMORY";
      this.replace(
        pw,
        oom
          ? failure("WAVS_ERR_EXEC_MEMORY", "component exhausted the worker's memory")
          : failure("WAVS_ERR_EXEC_WORKER_CRASHED", `engine worker crashed: ${err.message}`),
      );
    });
    worker.on("exit", () => {
      if (!this.stopped && this.workers.includes(pw)) {
        this.replace(
          pw,
          failure("WAVS_ERR_EXEC_WORKER_CRASHED", "engine worker exited unexpectedly"),
        );
      }
    });
    return pw;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const idle = this.workers.filter((w) => !w.job);
      if (idle.length === 0) return;
      const job = this.queue[0]!;
      const pw = idle.find((w) => w.warm.has(job.ctx.digest)) ?? idle[0]!;
      this.queue.shift();
      pw.job = job;
      pw.warm.add(job.ctx.digest);
      // loading (a fresh worker, compiling the component) is the node's work, not the
      // component's: its own bound, generous, so a loaded machine's cold start is no timeout
      const loadLimitMs = Math.max(LOAD_LIMIT_MS, job.timeLimitMs);
      this.armTimeout(
        pw,
        loadLimitMs,
        `Time limit exceeded: the component could not be loaded within ${loadLimitMs} ms`,
      );
      pw.worker.postMessage({ type: "exec", ctx: job.ctx } satisfies WorkerRequest);
    }
  }

  /** The component started running: its time limit counts from now. */
  private startClock(pw: PoolWorker, timeLimitMs: number): void {
    this.armTimeout(
      pw,
      timeLimitMs,
      // WAVS's words first: builders grep for them
      `Time limit exceeded: the component ran past its time limit of ${timeLimitMs} ms and was stopped`,
    );
  }

  /** (Re)set the worker's timer: past `ms`, its job fails with `message` and it is replaced. */
  private armTimeout(pw: PoolWorker, ms: number, message: string): void {
    if (pw.timer) clearTimeout(pw.timer);
    pw.timer = setTimeout(() => this.replace(pw, failure("WAVS_ERR_EXEC_TIMEOUT", message)), ms);
  }

  private finish(pw: PoolWorker, result: WorkerExecResult): void {
    const job = pw.job;
    if (pw.timer) clearTimeout(pw.timer);
    pw.job = undefined;
    pw.timer = undefined;
    job?.resolve(result);
    this.dispatch();
  }

  /** Fail the worker's job (if any) with `result`, terminate the worker and start a new one. */
  private replace(pw: PoolWorker, result: WorkerExecResult): void {
    const index = this.workers.indexOf(pw);
    if (index < 0) return;
    if (pw.timer) clearTimeout(pw.timer);
    const job = pw.job;
    pw.job = undefined;
    this.workers.splice(index, 1);
    void pw.worker.terminate();
    if (!this.stopped) {
      this.options.logger.warn(
        { code: result.ok ? undefined : result.error.code },
        "engine worker replaced",
      );
      this.workers.push(this.spawn());
    }
    job?.resolve(result);
    this.dispatch();
  }
}

function failure(code: string, message: string): WorkerExecResult {
  return { ok: false, error: { code, message }, logs: [], durationMs: 0 };
}
