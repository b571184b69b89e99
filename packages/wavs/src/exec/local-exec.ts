import { mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import type { ExecLog } from "../engine/index.js";
import {
  type AggregatorAction,
  Engine,
  serviceRequestFields,
  validateAggregatorActions,
  validateResponses,
  type WasmResponse,
} from "../engine/index.js";
import { encodeTriggerDataForEventId, eventId } from "../ids/index.js";
import type { ErrorCode, Logger } from "../internal/index.js";
import { WavsError } from "../internal/index.js";
import {
  hexToBytes,
  parseTrigger,
  parseTriggerDataJson,
  type TriggerData,
} from "../service/index.js";
import { triggerActionToWit } from "../wit/index.js";
import {
  fileDigest,
  type LocalContextFlags,
  type LocalServiceContext,
  localServiceContext,
  readComponentFile,
} from "./exec-context.js";

/** Options of a local execution (`wavs exec`, `wavs exec-aggregator`). */
export interface LocalExecOptions extends LocalContextFlags {
  componentPath: string;
  /** Where KV and the component's files persist; a temporary directory by default. */
  dataDir?: string | undefined;
  chains?: { evm: Record<string, unknown>; cosmos: Record<string, unknown> } | undefined;
  logger: Logger;
  /** Largest payload accepted from the component; default 16 MiB. */
  maxPayloadBytes?: number;
}

/** What `wavs exec` reports. */
export interface OperatorExecReport {
  responses: WasmResponse[];
  durationMs: number;
  logs: ExecLog[];
  /** Fuel the run used (undefined when the component's code is not metered). */
  fuelUsed?: number | undefined;
}

/** What `wavs exec-aggregator` reports. */
export interface AggregatorExecReport {
  actions: AggregatorAction[];
  durationMs: number;
  logs: ExecLog[];
}

/** A failed local execution still carries the logs the component wrote. */
export class LocalExecError extends WavsError {
  constructor(
    base: WavsError,
    readonly logs: ExecLog[],
  ) {
    super(base.code as ErrorCode, base.message, {
      details: base.details,
      hint: base.hint,
      cause: base,
    });
  }
}

/**
 * Read the component, let `prepare` check every other input (before any engine work, so bad
 * flags fail fast), then run `fn` on a one-worker engine and stop it.
 */
async function withEngine<P, T>(
  opts: LocalExecOptions,
  prepare: (digest: string) => P,
  fn: (engine: Engine, digest: string, prepared: P) => Promise<T>,
): Promise<T> {
  const bytes = readComponentFile(opts.componentPath);
  const prepared = prepare(fileDigest(bytes));
  const tempDir =
    opts.dataDir === undefined ? mkdtempSync(join(tmpdir(), "wavs-exec-")) : undefined;
  const engine = new Engine({
    dataDir: opts.dataDir ?? (tempDir as string),
    // prepared components outlive the temporary data directory, so a rerun starts fast
    cacheDir: opts.dataDir
      ? undefined
      : join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "wavs", "components"),
    logger: opts.logger,
    poolSize: 1,
    hostEnv: opts.hostEnv,
    // a local run is the builder's own machine: the time limit flag is the only cap
    maxExecutionSeconds: Number.MAX_SAFE_INTEGER / 1000,
  });
  try {
    const { digest } = await engine.register(bytes, { loadAhead: false });
    return await fn(engine, digest, prepared);
  } finally {
    await engine.stop();
    // the default data directory is scratch space for this one run
    if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
  }
}

/** Run an operator component once on trigger data (default: raw `input` bytes). */
export async function execOperator(
  opts: LocalExecOptions & {
    input?: Uint8Array | undefined;
    triggerData?: TriggerData | undefined;
  },
): Promise<OperatorExecReport> {
  const data: TriggerData = opts.triggerData ?? {
    type: "raw",
    data: opts.input ?? new Uint8Array(),
  };
  return withEngine(
    opts,
    (digest) => localServiceContext(digest, opts, "workflow"),
    async (engine, digest, ctx) => {
      const workflow = ctx.service.workflows.get(ctx.workflowId)!;
      const out = await engine.execute({
        ...serviceRequestFields(ctx),
        digest,
        fn: "run",
        args: [
          triggerActionToWit({
            serviceId: ctx.serviceId,
            workflowId: ctx.workflowId,
            trigger: workflow.trigger,
            data,
          }),
        ],
        evmChains: opts.chains?.evm,
        cosmosChains: opts.chains?.cosmos,
        defaultEventIdSalt: encodeTriggerDataForEventId(data),
      });
      if (!out.ok) throw new LocalExecError(out.error, out.logs);
      try {
        const responses = validateResponses(out.value, opts.maxPayloadBytes ?? 16 << 20);
        return { responses, durationMs: out.durationMs, logs: out.logs, fuelUsed: out.fuelUsed };
      } catch (err) {
        throw new LocalExecError(err as WavsError, out.logs);
      }
    },
  );
}

function inputError(message: string, cause?: unknown): WavsError {
  return new WavsError("WAVS_ERR_INPUT_INVALID", `--input: ${message}`, {
    hint: 'pass {"trigger_action": {"config": {...}, "data": <trigger data>}, "operator_response": {"payload": "0x..", "ordering": null, "event_id_salt": null}}',
    cause,
  });
}

function objectField(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  throw inputError(`${field} must be an object`);
}

function bytesField(value: unknown, field: string): Uint8Array | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") {
    try {
      return hexToBytes(value);
    } catch (err) {
      throw inputError(`${field} is not 0x-hex`, err);
    }
  }
  if (Array.isArray(value) && value.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
    return new Uint8Array(value as number[]);
  }
  throw inputError(`${field} must be 0x-hex or a byte array`);
}

function orderingField(value: unknown): bigint | undefined {
  if (value === undefined || value === null) return undefined;
  if ((typeof value === "number" && Number.isInteger(value)) || typeof value === "string") {
    try {
      const n = BigInt(value);
      if (n >= 0n && n < 1n << 64n) return n;
    } catch {
      // reported below
    }
  }
  throw inputError("operator_response.ordering must be null or an unsigned 64-bit integer");
}

/** Parse `--input` of exec-aggregator: `{"trigger_action": ..., "operator_response": ...}`. */
function parseAggregatorInput(json: unknown, ctx: LocalServiceContext) {
  const obj = objectField(json, "the aggregator input");
  const ta = objectField(obj.trigger_action, "trigger_action");
  const cfg = objectField(ta.config, "trigger_action.config");
  const data: TriggerData =
    ta.data === undefined ? { type: "raw", data: new Uint8Array() } : parseTriggerDataJson(ta.data);
  const trigger =
    cfg.trigger === undefined
      ? ctx.service.workflows.get(ctx.workflowId)!.trigger
      : parseTrigger(cfg.trigger);
  const sid = typeof cfg.service_id === "string" ? cfg.service_id : ctx.serviceId;
  const wid = typeof cfg.workflow_id === "string" ? cfg.workflow_id : ctx.workflowId;
  const resp = objectField(obj.operator_response, "operator_response");
  const response = {
    payload: bytesField(resp.payload, "operator_response.payload") ?? new Uint8Array(),
    ordering: orderingField(resp.ordering),
    eventIdSalt: bytesField(resp.event_id_salt, "operator_response.event_id_salt"),
  };
  const triggerAction = triggerActionToWit({ serviceId: sid, workflowId: wid, trigger, data });
  const id = eventId(sid, wid, response.eventIdSalt ?? encodeTriggerDataForEventId(data));
  return { input: { triggerAction, operatorResponse: response }, eventId: id };
}

/** Parse `--tx-result`: `{"ok":{"evm":"0x.."}}`, `{"ok":{"cosmos":".."}}` or `{"err":"..."}`. */
export function parseTxResult(json: unknown): unknown {
  const fail = (why: string, cause?: unknown) =>
    new WavsError("WAVS_ERR_INPUT_INVALID", `--tx-result: ${why}`, {
      hint: 'pass {"ok":{"evm":"0x<tx hash>"}}, {"ok":{"cosmos":"<tx hash>"}} or {"err":"<reason>"}',
      cause,
    });
  const obj = json as Record<string, unknown> | null;
  if (obj && typeof obj.err === "string") return { tag: "err", val: obj.err };
  const ok = obj?.ok as Record<string, unknown> | undefined;
  if (ok && typeof ok.evm === "string") {
    try {
      return { tag: "ok", val: { tag: "evm", val: hexToBytes(ok.evm) } };
    } catch (err) {
      throw fail(`ok.evm ${JSON.stringify(ok.evm.slice(0, 80))} is not 0x-hex`, err);
    }
  }
  if (ok && typeof ok.cosmos === "string")
    return { tag: "ok", val: { tag: "cosmos", val: ok.cosmos } };
  throw fail('expected {"ok":{"evm":"0x.."}} or {"err":"..."}');
}

/** The aggregator world's exports `exec-aggregator` can call. */
export const AGGREGATOR_FUNCTIONS = [
  "process-input",
  "handle-timer-callback",
  "handle-submit-callback",
] as const;
/** One of {@link AGGREGATOR_FUNCTIONS}. */
export type AggregatorFunction = (typeof AGGREGATOR_FUNCTIONS)[number];

/** Run one export of an aggregator component. */
export async function execAggregator(
  opts: LocalExecOptions & {
    inputJson?: unknown;
    fn: AggregatorFunction;
    txResult?: unknown;
  },
): Promise<AggregatorExecReport> {
  if (opts.fn === "handle-submit-callback" && opts.txResult === undefined) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      "--function handle-submit-callback needs --tx-result",
      { hint: 'add --tx-result \'{"ok":{"evm":"0x<tx hash>"}}\' or --tx-result \'{"err":"..."}\'' },
    );
  }
  const txResult = opts.txResult === undefined ? undefined : parseTxResult(opts.txResult);
  return withEngine(
    opts,
    (digest) => {
      const ctx = localServiceContext(digest, opts, "aggregator");
      return { ctx, ...parseAggregatorInput(opts.inputJson, ctx) };
    },
    async (engine, digest, { ctx, input, eventId: id }) => {
      const args = opts.fn === "handle-submit-callback" ? [input, txResult] : [input];
      const out = await engine.execute({
        ...serviceRequestFields(ctx),
        digest,
        fn: opts.fn,
        args,
        evmChains: opts.chains?.evm,
        cosmosChains: opts.chains?.cosmos,
        eventId: id,
      });
      if (!out.ok) throw new LocalExecError(out.error, out.logs);
      try {
        const actions =
          opts.fn === "handle-submit-callback" ? [] : validateAggregatorActions(out.value);
        return { actions, durationMs: out.durationMs, logs: out.logs };
      } catch (err) {
        throw new LocalExecError(err as WavsError, out.logs);
      }
    },
  );
}
