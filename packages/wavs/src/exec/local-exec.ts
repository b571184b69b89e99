import { mkdtempSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "../engine/engine.js";
import type { ExecLog } from "../engine/exec-types.js";
import {
  type AggregatorAction,
  validateAggregatorActions,
  validateResponses,
  type WasmResponse,
} from "../engine/responses.js";
import type { ErrorCode } from "../internal/error-codes.js";
import { WavsError } from "../internal/errors.js";
import type { Logger } from "../internal/logger.js";
import {
  encodeTriggerDataForEventId,
  eventId,
  hexToBytes,
  parseTrigger,
  parseTriggerDataJson,
  type TriggerData,
  triggerActionToWit,
} from "../service/index.js";
import {
  contextRequestFields,
  fileDigest,
  type LocalContextFlags,
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

async function withEngine<T>(
  opts: LocalExecOptions,
  fn: (engine: Engine, digest: string) => Promise<T>,
): Promise<T> {
  const bytes = readComponentFile(opts.componentPath);
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "wavs-exec-"));
  const engine = new Engine({
    dataDir,
    // prepared components outlive the temporary data directory, so a rerun starts fast
    cacheDir: opts.dataDir
      ? undefined
      : join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "wavs", "components"),
    logger: opts.logger,
    poolSize: 1,
    hostEnv: opts.hostEnv,
    // a local run is the builder's own machine: the time limit flag is the only cap
    maxExecutionSeconds: Number.MAX_SAFE_INTEGER / 1000,
  });
  try {
    const { digest } = await engine.register(bytes);
    return await fn(engine, digest);
  } finally {
    await engine.stop();
  }
}

/** Run an operator component once on raw input or simulated trigger data. */
export async function execOperator(
  opts: LocalExecOptions & { input?: Uint8Array | undefined; triggerData?: unknown },
): Promise<OperatorExecReport> {
  return withEngine(opts, async (engine, digest) => {
    const ctx = localServiceContext(digest, opts, "workflow");
    const data: TriggerData =
      opts.triggerData !== undefined
        ? parseTriggerDataJson(opts.triggerData)
        : { type: "raw", data: opts.input ?? new Uint8Array() };
    const workflow = ctx.service.workflows.get(ctx.workflowId)!;
    const out = await engine.execute({
      ...contextRequestFields(ctx),
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
      return { responses, durationMs: out.durationMs, logs: out.logs };
    } catch (err) {
      throw new LocalExecError(err as WavsError, out.logs);
    }
  });
}

/** Parse `--input` of exec-aggregator: `{"trigger_action": ..., "operator_response": ...}`. */
function parseAggregatorInput(
  json: unknown,
  serviceId: string,
  workflowId: string,
  fallbackTrigger: unknown,
) {
  const obj = (json ?? {}) as Record<string, unknown>;
  const ta = (obj.trigger_action ?? {}) as Record<string, unknown>;
  const cfg = (ta.config ?? {}) as Record<string, unknown>;
  const data: TriggerData =
    ta.data === undefined ? { type: "raw", data: new Uint8Array() } : parseTriggerDataJson(ta.data);
  const trigger = cfg.trigger === undefined ? fallbackTrigger : parseTrigger(cfg.trigger);
  const sid = typeof cfg.service_id === "string" ? cfg.service_id : serviceId;
  const wid = typeof cfg.workflow_id === "string" ? cfg.workflow_id : workflowId;
  const resp = (obj.operator_response ?? {}) as Record<string, unknown>;
  const bytesOf = (v: unknown, field: string): Uint8Array | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string") return hexToBytes(v);
    if (Array.isArray(v)) return new Uint8Array(v as number[]);
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `--input: operator_response.${field} must be 0x-hex or a byte array`,
    );
  };
  const response = {
    payload: bytesOf(resp.payload, "payload") ?? new Uint8Array(),
    ordering:
      resp.ordering === undefined || resp.ordering === null
        ? undefined
        : BigInt(resp.ordering as number),
    eventIdSalt: bytesOf(resp.event_id_salt, "event_id_salt"),
  };
  const triggerAction = triggerActionToWit({
    serviceId: sid,
    workflowId: wid,
    trigger: trigger as Parameters<typeof triggerActionToWit>[0]["trigger"],
    data,
  });
  const id = eventId(sid, wid, response.eventIdSalt ?? encodeTriggerDataForEventId(data));
  return { input: { triggerAction, operatorResponse: response }, eventId: id };
}

/** Parse `--tx-result`: `{"ok":{"evm":"0x.."}}`, `{"ok":{"cosmos":".."}}` or `{"err":"..."}`. */
export function parseTxResult(json: unknown): unknown {
  const obj = json as Record<string, unknown> | null;
  if (obj && typeof obj.err === "string") return { tag: "err", val: obj.err };
  const ok = obj?.ok as Record<string, unknown> | undefined;
  if (ok && typeof ok.evm === "string")
    return { tag: "ok", val: { tag: "evm", val: hexToBytes(ok.evm) } };
  if (ok && typeof ok.cosmos === "string")
    return { tag: "ok", val: { tag: "cosmos", val: ok.cosmos } };
  throw new WavsError(
    "WAVS_ERR_INPUT_INVALID",
    '--tx-result: expected {"ok":{"evm":"0x.."}} or {"err":"..."}',
  );
}

/** Run one export of an aggregator component. */
export async function execAggregator(
  opts: LocalExecOptions & {
    inputJson?: unknown;
    fn: "process-input" | "handle-timer-callback" | "handle-submit-callback";
    txResult?: unknown;
  },
): Promise<AggregatorExecReport> {
  return withEngine(opts, async (engine, digest) => {
    const ctx = localServiceContext(digest, opts, "aggregator");
    const workflow = ctx.service.workflows.get(ctx.workflowId)!;
    const { input, eventId: id } = parseAggregatorInput(
      opts.inputJson,
      ctx.serviceId,
      ctx.workflowId,
      workflow.trigger,
    );
    if (opts.fn === "handle-submit-callback" && opts.txResult === undefined) {
      throw new WavsError(
        "WAVS_ERR_INPUT_INVALID",
        "--function handle-submit-callback needs --tx-result",
      );
    }
    const args =
      opts.fn === "handle-submit-callback" ? [input, parseTxResult(opts.txResult)] : [input];
    const out = await engine.execute({
      ...contextRequestFields(ctx),
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
  });
}
