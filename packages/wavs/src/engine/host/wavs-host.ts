import { createHash } from "node:crypto";
import type { ExecLog } from "../exec-types.js";
import type { ExecState } from "./exec-state.js";

const LEVELS: Record<string, ExecLog["level"]> = {
  error: "error",
  warn: "warn",
  info: "info",
  debug: "debug",
  trace: "trace",
};

/**
 * Event id per signing.md: RIPEMD-160 over the 32 service id bytes, the workflow id and a salt.
 * Kept here in the worker so the hot path has no extra imports.
 */
function eventIdOf(serviceIdHex: string, workflowId: string, salt: Uint8Array): Uint8Array {
  return new Uint8Array(
    createHash("ripemd160")
      .update(Buffer.from(serviceIdHex, "hex"))
      .update(workflowId, "utf8")
      .update(salt)
      .digest(),
  );
}

/** The inline `host` interface of the operator and aggregator worlds. */
export function wavsHostImports(state: ExecState) {
  return {
    host: {
      getEvmChainConfig: (key: string) => state.current().evmChains[key],
      getCosmosChainConfig: (key: string) => state.current().cosmosChains[key],
      configVar(key: string): string | undefined {
        for (const [k, v] of state.current().config) if (k === key) return v;
        return undefined;
      },
      log(level: { tag: string }, message: string): void {
        state.log({ level: LEVELS[level.tag] ?? "info", source: "host", message });
      },
      getService: () => ({
        service: state.current().service,
        workflowId: state.current().workflowId,
      }),
      getWorkflow: () => ({
        workflow: state.current().workflow,
        workflowId: state.current().workflowId,
      }),
      getEventId(salt?: Uint8Array): Uint8Array {
        const ctx = state.current();
        // the aggregator world's get-event-id takes no salt: it is the submission's event id
        if (ctx.world === "aggregator") return ctx.eventId ?? new Uint8Array(20);
        return eventIdOf(ctx.serviceId, ctx.workflowId, salt ?? ctx.defaultEventIdSalt);
      },
    },
  };
}
