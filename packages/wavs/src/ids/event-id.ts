/**
 * Event ids (20 bytes): RIPEMD-160 over the 32 raw bytes of the ServiceId, the UTF-8 bytes of
 * the workflow id, then a salt (the component's `event-id-salt`, or else the encoded trigger
 * data). Every operator must compute the same id for the same trigger.
 */
import { createHash, getHashes } from "node:crypto";
import { ripemd160 as ripemd160Js } from "@noble/hashes/legacy";
import { WavsError } from "../internal/index.js";
import type { TriggerData } from "../service/index.js";
import { hexToBytes } from "../service/index.js";
import { encodeTriggerDataForEventId } from "./trigger-data-encoding.js";

/** Length of an event id in bytes. */
export const EVENT_ID_LENGTH = 20;

// OpenSSL 3 builds may leave RIPEMD-160 to the legacy provider; fall back to viem's pure-JS
// implementation when node:crypto does not offer it.
const NODE_HAS_RIPEMD160 = getHashes().includes("ripemd160");

/** RIPEMD-160 of some bytes (node:crypto when available, else a JS implementation). */
export function ripemd160(bytes: Uint8Array): Uint8Array {
  if (NODE_HAS_RIPEMD160) return new Uint8Array(createHash("ripemd160").update(bytes).digest());
  return ripemd160Js(bytes);
}

function serviceIdBytes(serviceIdHex: string): Uint8Array {
  if (!/^[0-9a-fA-F]{64}$/.test(serviceIdHex)) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `'${serviceIdHex.slice(0, 80)}' is not a service id (expected 64 hex characters)`,
      { details: { found: serviceIdHex, expected: "64 hex characters" } },
    );
  }
  return hexToBytes(serviceIdHex);
}

/** The event id for a service id (64 hex), a workflow id and a salt. */
export function eventId(serviceIdHex: string, workflowId: string, salt: Uint8Array): Uint8Array {
  const id = serviceIdBytes(serviceIdHex);
  const workflow = new TextEncoder().encode(workflowId);
  const input = new Uint8Array(id.length + workflow.length + salt.length);
  input.set(id, 0);
  input.set(workflow, id.length);
  input.set(salt, id.length + workflow.length);
  return ripemd160(input);
}

/** The event id of a response without its own salt: the trigger data is the salt. */
export function eventIdForTriggerData(
  serviceIdHex: string,
  workflowId: string,
  data: TriggerData,
): Uint8Array {
  return eventId(serviceIdHex, workflowId, encodeTriggerDataForEventId(data));
}
