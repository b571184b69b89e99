// TypeScript shapes of the WAVS 2.6 WIT values, in the representation jco and componentize-js
// use on both sides of the component boundary: records become camelCase objects, variants
// `{ tag, val }`, u64/s64 bigint, list<u8> Uint8Array, option<T> `T | undefined`, and
// result<T, E> is returned as T or thrown as E. The WIT's own types are generated
// (generated/wit-types.ts, by scripts/wit-types.mjs); this file adds the SDK's conventions.

import type {
  AggregatorAction,
  AggregatorInput,
  AnyTxHash,
  TriggerAction,
  WasmResponse,
} from "./generated/wit-types.js";

/** A variant case without a payload. */
export interface Case<T extends string> {
  tag: T;
}

/** A variant case with a payload. */
export interface CaseOf<T extends string, V> {
  tag: T;
  val: V;
}

// The WAVS WIT values (wavs:types, wavs:operator, wavs:aggregator), generated from the WIT.
export type * from "./generated/wit-types.js";

/** The `tx-result` argument of `handle-submit-callback` (result<any-tx-hash, string>). */
export type TxResult = CaseOf<"ok", AnyTxHash> | CaseOf<"err", string>;

// ---- wasi:keyvalue/store ----

/** `wasi:keyvalue/store.error`, thrown by keyvalue calls. */
export type KeyValueError = Case<"no-such-store"> | Case<"access-denied"> | CaseOf<"other", string>;

/** `wasi:keyvalue/store.key-response`. */
export interface KeyResponse {
  keys: string[];
  cursor?: string | undefined;
}

// ---- component exports ----

/** The export an operator-world component module must provide. */
export interface OperatorExports {
  /** Thrown values become the `err` string of the result. */
  run(triggerAction: TriggerAction): WasmResponse[];
}

/** The exports an aggregator-world component module must provide. */
export interface AggregatorExports {
  processInput(input: AggregatorInput): AggregatorAction[];
  handleTimerCallback(input: AggregatorInput): AggregatorAction[];
  handleSubmitCallback(input: AggregatorInput, txResult: TxResult): void;
}
