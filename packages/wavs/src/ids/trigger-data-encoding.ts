/**
 * The default event-id salt: an encoding of the trigger data, in the style of bincode 2
 * "standard" (see bincode-writer.ts for the integer, string and option rules). Byte identity
 * with the Rust node is not promised (no vectors exist); what matters is that every operator
 * computes the same bytes for the same trigger and different bytes for different triggers.
 * Golden vectors in the test pin this layout: changing it changes every event id.
 *
 * Layout: variant index as a varint, then the fields in this order.
 * - 0 cosmos_contract_event: contract_address (string, bech32), chain (string),
 *   event.ty (string), event.attributes (varint count, then key string, value string each),
 *   block_height (u64), event_index (u64)            [the Rust struct's field order]
 * - 1 evm_contract_event: chain (string), log.address (bytes, 20), log.topics (varint count,
 *   then bytes each), log.data (bytes), tx_hash (bytes), block_number (u64), log_index (u64),
 *   block_hash (bytes), block_timestamp (option u64), tx_index (u64)
 * - 2 block_interval: chain (string), block_height (u64)
 * - 3 cron: trigger_time nanos (u64)
 * - 4 atproto_event: sequence (s64), timestamp (s64), repo, collection, rkey, action
 *   (strings), cid (option string), record_data (option string), rev (option string),
 *   op_index (option u32)
 * - 5 hypercore_append: feed_key (string), index (u64), data (bytes)
 * - 6 raw: the bytes (length-prefixed)
 */

import type { TriggerData, TriggerDataType } from "../service/index.js";
import { BincodeWriter } from "./bincode-writer.js";

/** Variant indexes of the reference's Rust `TriggerData` enum. */
export const TRIGGER_DATA_VARIANT_INDEX: Readonly<Record<TriggerDataType, number>> = {
  cosmos_contract_event: 0,
  evm_contract_event: 1,
  block_interval: 2,
  cron: 3,
  atproto_event: 4,
  hypercore_append: 5,
  raw: 6,
};

/** Encode trigger data as the default event-id salt (layout documented above). */
export function encodeTriggerDataForEventId(data: TriggerData): Uint8Array {
  const w = new BincodeWriter().varUint(TRIGGER_DATA_VARIANT_INDEX[data.type]);
  switch (data.type) {
    case "cosmos_contract_event":
      w.string(data.contract_address.bech32_addr).string(data.chain).string(data.event.ty);
      w.varUint(data.event.attributes.length);
      for (const [key, value] of data.event.attributes) w.string(key).string(value);
      w.varUint(data.block_height).varUint(data.event_index);
      break;
    case "evm_contract_event": {
      const log = data.log;
      w.string(data.chain).bytes(log.address).varUint(log.data.topics.length);
      for (const topic of log.data.topics) w.bytes(topic);
      w.bytes(log.data.data).bytes(log.tx_hash).varUint(log.block_number).varUint(log.log_index);
      w.bytes(log.block_hash).option(log.block_timestamp, (o, v) => o.varUint(v));
      w.varUint(log.tx_index);
      break;
    }
    case "block_interval":
      w.string(data.chain).varUint(data.block_height);
      break;
    case "cron":
      w.varUint(data.trigger_time);
      break;
    case "atproto_event":
      w.varInt(data.sequence).varInt(data.timestamp);
      w.string(data.repo).string(data.collection).string(data.rkey).string(data.action);
      w.option(data.cid, (o, v) => o.string(v));
      w.option(data.record_data, (o, v) => o.string(v));
      w.option(data.rev, (o, v) => o.string(v));
      w.option(data.op_index, (o, v) => o.varUint(v));
      break;
    case "hypercore_append":
      w.string(data.feed_key).varUint(data.index).bytes(data.data);
      break;
    case "raw":
      w.bytes(data.data);
      break;
  }
  return w.finish();
}
