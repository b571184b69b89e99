/**
 * Shapes exchanged between the engine (main thread) and its workers. Everything here must be
 * structured-cloneable: plain objects, strings, bigints, Uint8Arrays.
 */

import type { ComponentWorld, ExecLog } from "../service/index.js";

export type { ComponentWorld, ExecLog };

/** Export functions the engine can call. */
export type ExportName =
  | "run"
  | "process-input"
  | "handle-timer-callback"
  | "handle-submit-callback";

/** Which outgoing HTTP hosts a component may reach. */
export type HttpPolicy = { kind: "all" } | { kind: "none" } | { kind: "only"; hosts: string[] };

/** Everything a worker needs to run one export of one component, besides its code. */
export interface ExecContext {
  execId: number;
  digest: string;
  /** Fuel for this run (each metered core module gets this much); unlimited when absent. */
  fuelLimit?: bigint | undefined;
  world: ComponentWorld;
  fn: ExportName;
  /** Arguments in jco's JS representation of the WIT values. */
  args: unknown[];
  serviceId: string;
  workflowId: string;
  /** wavs:types/service `service` record (jco form). */
  service: unknown;
  /** wavs:types/service `workflow` record (jco form). */
  workflow: unknown;
  /** The config of the component being run (an aggregator reads its own). */
  config: [string, string][];
  /** Environment visible to the component (already filtered to allowed WAVS_ENV keys). */
  env: [string, string][];
  http: HttpPolicy;
  /** Private directory preopened as `.`; undefined when the file system is not permitted. */
  fsRoot: string | undefined;
  rawSockets: boolean;
  dnsResolution: boolean;
  /** Chain configs (jco form) for host.get-evm-chain-config / get-cosmos-chain-config. */
  evmChains: Record<string, unknown>;
  cosmosChains: Record<string, unknown>;
  /**
   * Operator world: salt used by get-event-id when the component passes none (the trigger
   * data encoding). Aggregator world: unused.
   */
  defaultEventIdSalt: Uint8Array;
  /** Aggregator world: the event id of the submission being aggregated. */
  eventId: Uint8Array | undefined;
  /** Cap on captured log bytes; further lines are dropped with one note. */
  maxLogBytes: number;
  /** A warm-up call (warm-up.ts): the host refuses everything that reaches outside the instance. */
  warmUp?: boolean;
}

/** Outcome of one execution as reported by a worker. */
export type WorkerExecResult =
  | {
      ok: true;
      value: unknown;
      logs: ExecLog[];
      durationMs: number;
      instantiateMs: number;
      /** Fuel the run used, or undefined when the component's code is not metered. */
      fuelUsed?: number | undefined;
    }
  | {
      ok: false;
      error: { code: string; message: string };
      logs: ExecLog[];
      durationMs: number;
      fuelUsed?: number | undefined;
    };
