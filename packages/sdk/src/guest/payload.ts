// Helpers for building responses and reading trigger input inside components.
import type { TriggerAction, WasmResponse } from "../types.js";
import { utf8 } from "./bytes.js";

/** A response whose payload is the given bytes. */
export function bytesPayload(
  payload: Uint8Array,
  extra: Omit<WasmResponse, "payload"> = {},
): WasmResponse {
  return { payload, ordering: extra.ordering, eventIdSalt: extra.eventIdSalt };
}

/** A response whose payload is UTF-8 text. */
export function textPayload(text: string, extra: Omit<WasmResponse, "payload"> = {}): WasmResponse {
  return bytesPayload(utf8(text), extra);
}

/** A response whose payload is the JSON text of a value (bigints as decimal strings). */
export function jsonPayload(
  value: unknown,
  extra: Omit<WasmResponse, "payload"> = {},
): WasmResponse {
  return textPayload(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
    extra,
  );
}

/**
 * The bytes a trigger carries: raw input, an EVM log's data, a hypercore entry's data,
 * an ATProto record's JSON. Undefined for triggers without a payload (cron, block interval).
 */
export function triggerBytes(action: TriggerAction): Uint8Array | undefined {
  const d = action.data;
  switch (d.tag) {
    case "raw":
      return d.val;
    case "evm-contract-event":
      return d.val.log.data.data;
    case "hypercore-append":
      return d.val.data;
    case "atproto-event":
      return d.val.recordData === undefined ? undefined : utf8(d.val.recordData);
    default:
      return undefined;
  }
}
