/**
 * The warm-up call a worker makes when a component is loaded ahead of its first use.
 *
 * V8 compiles a component's functions lazily, each on its first call, and a TypeScript
 * component is a whole JavaScript engine (StarlingMonkey): its first execution compiled the
 * thousands of functions of that engine it touches, 30 - 40 ms alone and several times that
 * on a busy machine, so the first event after a node started waited for it. One call of the
 * component's export on an empty raw trigger runs the engine's common paths (entering a call,
 * lowering the input, the JSON and error paths, returning a result); the real first execution
 * then takes what the later ones take.
 *
 * The call must leave no trace: it runs under this context, where the host refuses everything
 * that reaches outside the instance (the key-value store, HTTP, DNS, sleeping: see ExecState),
 * with no permissions, no config, no environment and no file system, on a capped fuel budget;
 * and the instance is restored from its snapshot afterwards (or replaced). Its result, logs and
 * errors are discarded. Code that cannot be metered is not warmed: nothing would bound it.
 */
import type { ComponentWorld, ExecContext, ExportName } from "./exec-types.js";

/** What a worker did to warm a component up, as it reports it. */
export type WarmUpReport =
  | { ran: false; why: string }
  /** `returned`: the call returned (a result or an error value) rather than trapped. */
  | { ran: true; returned: boolean; ms: number };

/** Fuel of a warm-up call: a TypeScript component's error path takes ~130 million. */
export const WARM_UP_FUEL = 1_000_000_000n;

/** A service id no real service has (service ids are 64 hex digits). */
const WARM_UP_SERVICE_ID = "warm-up";

/** The export a warm-up call runs per world, and its argument: an empty raw trigger. */
function warmUpCall(world: ComponentWorld): { fn: ExportName; args: unknown[] } {
  const triggerAction = {
    config: { serviceId: WARM_UP_SERVICE_ID, workflowId: "default", trigger: { tag: "manual" } },
    data: { tag: "raw", val: new Uint8Array(0) },
  };
  if (world === "operator") return { fn: "run", args: [triggerAction] };
  return {
    fn: "process-input",
    args: [
      {
        triggerAction,
        operatorResponse: {
          payload: new Uint8Array(0),
          ordering: undefined,
          eventIdSalt: undefined,
        },
      },
    ],
  };
}

/** The context of the warm-up call of a component of `world`. */
export function warmUpContext(digest: string, world: ComponentWorld): ExecContext {
  return {
    execId: -1,
    digest,
    fuelLimit: WARM_UP_FUEL,
    world,
    ...warmUpCall(world),
    serviceId: WARM_UP_SERVICE_ID,
    workflowId: "default",
    service: {},
    workflow: {},
    config: [],
    env: [],
    http: { kind: "none" },
    fsRoot: undefined,
    rawSockets: false,
    dnsResolution: false,
    evmChains: {},
    cosmosChains: {},
    defaultEventIdSalt: new Uint8Array(0),
    eventId: new Uint8Array(20),
    maxLogBytes: 64 * 1024,
    warmUp: true,
  };
}
