/**
 * Runs a workflow's aggregator component (wavs:aggregator world) through the engine: the
 * `aggregator-input` is rebuilt from the submission (trigger action from its trigger data, the
 * operator response from its payload, ordering and salt), the component runs with its own
 * config, permissions and limits, and `get-event-id` answers the submission's event id.
 */

import type { WitChainConfigs } from "../config/index.js";
import type { Engine, ExecLog } from "../engine/index.js";
import {
  type AggregatorAction,
  serviceRequestFields,
  validateAggregatorActions,
} from "../engine/index.js";
import type { Logger } from "../internal/index.js";
import { toWavsError, type WavsError } from "../internal/index.js";
import { hexToBytes, type Service, type TriggerData } from "../service/index.js";
import { triggerActionToWit } from "../wit/index.js";
import type { AggregatedWorkflow } from "./verify-submission.js";

/** What the aggregator input is built from. */
export interface AggregatorInputSource {
  serviceId: string;
  workflowId: string;
  service: Service;
  workflow: AggregatedWorkflow;
  triggerData: TriggerData;
  /** 0x hex, 20 bytes. */
  eventId: string;
  response: {
    payloadHex: string;
    ordering: bigint | undefined;
    eventIdSaltHex: string | undefined;
  };
}

/** Result of a submit attempt as `handle-submit-callback` receives it. */
export type TxResult = { ok: string; family: "evm" | "cosmos" } | { err: string };

/** Outcome of one aggregator export call. */
export type DriverOutcome =
  | { ok: true; actions: AggregatorAction[]; logs: ExecLog[]; durationMs: number }
  | { ok: false; error: WavsError; logs: ExecLog[] };

/** The WIT `aggregator-input` (jco form) of a submission. */
export function aggregatorInputToWit(src: AggregatorInputSource): unknown {
  return {
    triggerAction: triggerActionToWit({
      serviceId: src.serviceId,
      workflowId: src.workflowId,
      trigger: src.workflow.trigger,
      data: src.triggerData,
    }),
    operatorResponse: {
      payload: hexToBytes(src.response.payloadHex),
      ordering: src.response.ordering,
      eventIdSalt:
        src.response.eventIdSaltHex === undefined
          ? undefined
          : hexToBytes(src.response.eventIdSaltHex),
    },
  };
}

/** The WIT `result<any-tx-hash, string>` (jco form) of a submit attempt. */
export function txResultToWit(result: TxResult): unknown {
  return "ok" in result
    ? {
        tag: "ok",
        val:
          result.family === "evm"
            ? { tag: "evm", val: hexToBytes(result.ok) }
            : { tag: "cosmos", val: result.ok },
      }
    : { tag: "err", val: result.err };
}

/** Calls the exports of aggregator components. */
export class AggregatorComponentDriver {
  constructor(private readonly deps: { engine: Engine; chains: WitChainConfigs; logger: Logger }) {}

  /** `process-input` or `handle-timer-callback`: the actions the component asks for. */
  async actions(
    fn: "process-input" | "handle-timer-callback",
    src: AggregatorInputSource,
  ): Promise<DriverOutcome> {
    const out = await this.call(fn, src, [aggregatorInputToWit(src)]);
    if (!out.ok) return out;
    try {
      return { ...out, actions: validateAggregatorActions(out.value) };
    } catch (err) {
      return { ok: false, error: toWavsError(err), logs: out.logs };
    }
  }

  /** `handle-submit-callback` with the result of a submit attempt. */
  async submitCallback(src: AggregatorInputSource, result: TxResult): Promise<DriverOutcome> {
    const out = await this.call("handle-submit-callback", src, [
      aggregatorInputToWit(src),
      txResultToWit(result),
    ]);
    return out.ok ? { ...out, actions: [] } : out;
  }

  private async call(
    fn: "process-input" | "handle-timer-callback" | "handle-submit-callback",
    src: AggregatorInputSource,
    args: unknown[],
  ): Promise<
    | { ok: true; value: unknown; logs: ExecLog[]; durationMs: number }
    | { ok: false; error: WavsError; logs: ExecLog[] }
  > {
    const component = src.workflow.submit.component;
    const log = this.deps.logger.child({
      service_id: src.serviceId,
      workflow_id: src.workflowId,
      event_id: src.eventId,
      digest: component.source.digest,
      component: true,
      fn,
    });
    try {
      const out = await this.deps.engine.execute({
        ...serviceRequestFields({
          service: src.service,
          workflowId: src.workflowId,
          serviceId: src.serviceId,
          component,
        }),
        digest: component.source.digest,
        fn,
        args,
        evmChains: this.deps.chains.evm,
        cosmosChains: this.deps.chains.cosmos,
        eventId: hexToBytes(src.eventId),
      });
      for (const l of out.logs) {
        const level =
          l.level === "warn" || l.level === "error" || l.level === "debug" || l.level === "trace"
            ? l.level
            : "info";
        log[level]({ source: l.source }, l.message);
      }
      if (!out.ok) {
        log.warn({ code: out.error.code, err: out.error.message }, "aggregator component failed");
        return { ok: false, error: out.error, logs: out.logs };
      }
      return { ok: true, value: out.value, logs: out.logs, durationMs: out.durationMs };
    } catch (err) {
      const e = toWavsError(err);
      log.error({ code: e.code, err: e.message }, "aggregator component could not run");
      return { ok: false, error: e, logs: [] };
    }
  }
}
