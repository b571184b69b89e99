import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { ErrorCode, Logger } from "../internal/index.js";
import { WavsError } from "../internal/index.js";
import type { ComponentWorld, ExecContext, ExecLog, ExportName, HttpPolicy } from "./exec-types.js";
import { prepareComponent, readPrepared } from "./prepare-component.js";
import type { PreparedMeta } from "./prepared-component.js";
import { WorkerPool } from "./worker-pool.js";

/** Engine settings; operator caps apply to every component whatever it asks for. */
export interface EngineOptions {
  /** Data directory: component cache, KV database, per-service file system roots. */
  dataDir: string;
  /** Where prepared components are cached; defaults to `<dataDir>/components`. */
  cacheDir?: string;
  /** SQLite file holding KV; defaults to `<dataDir>/wavs.db`. */
  dbPath?: string;
  logger: Logger;
  /** Worker threads; default 4 (I/O-bound components must not starve CPU-bound ones). */
  poolSize?: number;
  /** Executions waiting for a worker before new ones are refused; default 1024. */
  queueLimit?: number;
  /** Memory limit per component instance, MiB; default 512. */
  maxMemoryMb?: number;
  /** Operator cap on any execution's wall-clock time, seconds; default 300. */
  maxExecutionSeconds?: number;
  /** Time limit when the component sets none, seconds; default 30. */
  defaultTimeLimitSeconds?: number;
  /** Largest response body a component may fetch over HTTP, bytes; default 16 MiB. */
  maxHttpResponseBytes?: number;
  /** Meter fuel (fuel-meter.ts); default true. */
  meterFuel?: boolean;
  /** Operator cap on any execution's fuel (`max_wasm_fuel`); none by default. */
  maxFuel?: bigint | undefined;
  /** Deadline of one outgoing HTTP request (all its redirects), ms; default 30 000. */
  httpTimeoutMs?: number;
  /** Largest log output kept per execution, bytes; default 256 KiB. */
  maxLogBytes?: number;
  /** Host environment to take WAVS_ENV* variables from; default process.env. */
  hostEnv?: Record<string, string | undefined>;
}

/** Permissions of the component being run, as the service grants them. */
export interface ExecPermissions {
  http: HttpPolicy;
  fileSystem: boolean;
  rawSockets: boolean;
  dnsResolution: boolean;
}

/** One call of one export of a registered component. */
export interface ExecRequest {
  digest: string;
  fn: ExportName;
  /** Arguments in jco's representation of the WIT values. */
  args: unknown[];
  serviceId: string;
  workflowId: string;
  service: unknown;
  workflow: unknown;
  config: Record<string, string> | [string, string][];
  envKeys: string[];
  permissions: ExecPermissions;
  timeLimitSeconds?: number | bigint | null | undefined;
  /** The component's fuel limit (`fuel_limit`); capped by `maxFuel`. */
  fuelLimit?: number | bigint | null | undefined;
  evmChains?: Record<string, unknown>;
  cosmosChains?: Record<string, unknown>;
  defaultEventIdSalt?: Uint8Array;
  eventId?: Uint8Array;
}

/** What an execution produced. */
export type ExecOutcome =
  | { ok: true; value: unknown; logs: ExecLog[]; durationMs: number; fuelUsed?: number }
  | { ok: false; error: WavsError; logs: ExecLog[]; durationMs: number; fuelUsed?: number };

/** A component known to the engine. */
export interface RegisteredComponent {
  digest: string;
  world: ComponentWorld;
  /** Whether it came from the prepared cache rather than being prepared now. */
  cached: boolean;
}

/**
 * The component engine: registers components (checked, prepared once, cached on disk by
 * digest) and runs their exports in a pool of worker threads with every limit applied.
 */
export class Engine {
  readonly cacheDir: string;
  private readonly prepared = new Map<string, PreparedMeta>();
  private readonly pool: WorkerPool;
  private readonly options: Required<
    Omit<EngineOptions, "dbPath" | "hostEnv" | "cacheDir" | "maxFuel">
  > & {
    maxFuel: bigint | undefined;
    hostEnv: Record<string, string | undefined>;
  };
  private nextExecId = 1;

  constructor(options: EngineOptions) {
    this.options = {
      poolSize: 4,
      queueLimit: 1024,
      maxMemoryMb: 512,
      maxExecutionSeconds: 300,
      httpTimeoutMs: 30_000,
      meterFuel: true,
      defaultTimeLimitSeconds: 30,
      maxHttpResponseBytes: 16 << 20,
      maxLogBytes: 256 << 10,
      hostEnv: process.env,
      ...options,
      maxFuel: options.maxFuel,
    };
    this.cacheDir = options.cacheDir ?? join(options.dataDir, "components");
    this.pool = new WorkerPool({
      size: this.options.poolSize,
      queueLimit: this.options.queueLimit,
      dbPath: options.dbPath ?? join(options.dataDir, "wavs.db"),
      cacheDir: this.cacheDir,
      maxMemoryPages: Math.floor((this.options.maxMemoryMb * 1024 * 1024) / 65536),
      // always snapshot and restore: a restore is a memory copy (microseconds for a small
      // component), a fresh instance costs its instantiation (~1.5 ms for the minimal echo);
      // deciding by the first instantiation's time flipped small components between the two
      // at random (bench:engine: 1,300 or 12,800 executions/s from one run to the next)
      snapshotThresholdMs: 0,
      meterFuel: this.options.meterFuel,
      maxLoadedPerWorker: 16,
      io: {
        maxResponseBytes: this.options.maxHttpResponseBytes,
        requestTimeoutMs: this.options.httpTimeoutMs,
        maxRedirects: 5,
      },
      logger: options.logger.child({ subsystem: "engine" }),
    });
  }

  /** Worker threads, and component loads asked for ahead of use (`register`) still running. */
  status(): { workers: number; warming: number } {
    return { workers: this.options.poolSize, warming: this.pool.warming() };
  }

  /**
   * Check, prepare and cache component bytes; returns its digest and world. The component is
   * then loaded and warmed up in every worker ahead of use, unless `loadAhead` is false (a
   * single local run: its execution loads it, and a warm-up call would be a second run).
   */
  async register(
    bytes: Uint8Array,
    options: { loadAhead?: boolean } = {},
  ): Promise<RegisteredComponent> {
    const digest = createHash("sha256").update(bytes).digest("hex");
    const cached = readPrepared(this.cacheDir, digest);
    const meta = cached ?? (await prepareComponent(bytes, this.cacheDir));
    if (options.loadAhead !== false) this.pool.warm(digest);
    return { digest, world: meta.world, cached: cached !== undefined };
  }

  /**
   * Load a registered component in every worker ahead of its first execution (a node restarted
   * with its cache would otherwise compile it while the first event waits). No-op when unknown.
   */
  warm(digest: string): void {
    if (this.lookup(digest) !== undefined) this.pool.warm(digest);
  }

  /**
   * The prepared form of a registered component, or undefined. Prepared components are
   * content-addressed and never change, so a found one is kept in memory: every execution looks
   * its component up, and reading meta.json each time cost a disk read and a parse per run.
   */
  lookup(digest: string): PreparedMeta | undefined {
    const known = this.prepared.get(digest);
    if (known) return known;
    const meta = readPrepared(this.cacheDir, digest);
    if (meta) this.prepared.set(digest, meta);
    return meta;
  }

  /** Original bytes of a registered component. */
  componentBytes(digest: string): Uint8Array | undefined {
    const file = join(this.cacheDir, digest, "component.wasm");
    return existsSync(file) ? readFileSync(file) : undefined;
  }

  /**
   * Drop a prepared component from the cache: a registration that prepared it failed, and
   * nothing else uses it (the caller decides that).
   */
  forget(digest: string): void {
    if (!/^[0-9a-f]{64}$/.test(digest)) return;
    this.prepared.delete(digest);
    // retried: a worker still loading it may write a file in it meanwhile (ENOTEMPTY)
    rmSync(join(this.cacheDir, digest), { recursive: true, force: true, maxRetries: 3 });
  }

  /** Jobs waiting and running, for metrics and backpressure. */
  load(): { queued: number; running: number } {
    return { queued: this.pool.queued, running: this.pool.running };
  }

  /** Run one export; component faults come back as `{ok: false}`, never as a rejection. */
  async execute(req: ExecRequest): Promise<ExecOutcome> {
    const meta = this.lookup(req.digest);
    if (!meta) {
      throw new WavsError(
        "WAVS_ERR_COMPONENT_NOT_FOUND",
        `component ${req.digest} is not registered`,
        {
          hint: "upload it first (wavs upload-component, POST /dev/components) or reference it by download",
        },
      );
    }
    const expected = req.fn === "run" ? "operator" : "aggregator";
    if (meta.world !== expected) {
      throw new WavsError(
        "WAVS_ERR_COMPONENT_INVALID",
        `component ${req.digest} is of the ${meta.world} world; ${req.fn} needs the ${expected} world`,
      );
    }
    const ctx = this.context(req);
    const requested =
      req.timeLimitSeconds == null
        ? this.options.defaultTimeLimitSeconds
        : Number(req.timeLimitSeconds);
    const timeLimitMs = Math.max(1, Math.min(requested, this.options.maxExecutionSeconds) * 1000);
    const result = await this.pool.run(ctx, timeLimitMs);
    const fuel = result.fuelUsed === undefined ? {} : { fuelUsed: result.fuelUsed };
    if (result.ok) {
      return {
        ok: true,
        value: result.value,
        logs: result.logs,
        durationMs: result.durationMs,
        ...fuel,
      };
    }
    const error = new WavsError(result.error.code as ErrorCode, result.error.message, {
      details: { digest: req.digest, service_id: req.serviceId, workflow_id: req.workflowId },
    });
    return { ok: false, error, logs: result.logs, durationMs: result.durationMs, ...fuel };
  }

  /** Stop all workers. */
  async stop(): Promise<void> {
    await this.pool.stop();
  }

  /** The component's fuel limit capped by the operator's; undefined when neither is set. */
  private fuelLimit(requested: number | bigint | null | undefined): bigint | undefined {
    const own = requested == null ? undefined : BigInt(requested);
    const cap = this.options.maxFuel;
    if (own === undefined) return cap;
    return cap !== undefined && cap < own ? cap : own;
  }

  private context(req: ExecRequest): ExecContext {
    const env: [string, string][] = [];
    for (const key of req.envKeys) {
      const value = this.options.hostEnv[key];
      if (key.startsWith("WAVS_ENV") && value !== undefined) env.push([key, value]);
    }
    const config = Array.isArray(req.config) ? req.config : Object.entries(req.config);
    return {
      execId: this.nextExecId++,
      digest: req.digest,
      fuelLimit: this.fuelLimit(req.fuelLimit),
      world: req.fn === "run" ? "operator" : "aggregator",
      fn: req.fn,
      args: req.args,
      serviceId: req.serviceId,
      workflowId: req.workflowId,
      service: req.service,
      workflow: req.workflow,
      config,
      env,
      http: req.permissions.http,
      fsRoot: req.permissions.fileSystem
        ? join(this.options.dataDir, "files", req.serviceId)
        : undefined,
      rawSockets: req.permissions.rawSockets,
      dnsResolution: req.permissions.dnsResolution,
      evmChains: req.evmChains ?? {},
      cosmosChains: req.cosmosChains ?? {},
      defaultEventIdSalt: req.defaultEventIdSalt ?? new Uint8Array(),
      eventId: req.eventId,
      maxLogBytes: this.options.maxLogBytes,
    };
  }
}
