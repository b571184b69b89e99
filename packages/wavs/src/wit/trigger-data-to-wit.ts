/** Trigger data and trigger actions -> the WIT values a component's `run` receives. */

import type { Trigger, TriggerData } from "../service/index.js";
import { triggerToWit } from "./service-to-wit.js";
import type { WitTriggerAction, WitTriggerData } from "./wit-types.js";

/** WIT `trigger-data` of trigger data. */
export function triggerDataToWit(data: TriggerData): WitTriggerData {
  switch (data.type) {
    case "evm_contract_event": {
      const log = data.log;
      return {
        tag: "evm-contract-event",
        val: {
          chain: data.chain,
          log: {
            address: { rawBytes: log.address },
            data: { topics: [...log.data.topics], data: log.data.data },
            txHash: log.tx_hash,
            blockNumber: log.block_number,
            logIndex: log.log_index,
            blockHash: log.block_hash,
            blockTimestamp: log.block_timestamp,
            txIndex: log.tx_index,
          },
        },
      };
    }
    case "cosmos_contract_event":
      return {
        tag: "cosmos-contract-event",
        val: {
          contractAddress: {
            bech32Addr: data.contract_address.bech32_addr,
            prefixLen: data.contract_address.prefix_len,
          },
          chain: data.chain,
          event: {
            ty: data.event.ty,
            attributes: data.event.attributes.map(([k, v]): [string, string] => [k, v]),
          },
          eventIndex: data.event_index,
          blockHeight: data.block_height,
        },
      };
    case "block_interval":
      return { tag: "block-interval", val: { chain: data.chain, blockHeight: data.block_height } };
    case "cron":
      return { tag: "cron", val: { triggerTime: { nanos: data.trigger_time } } };
    case "atproto_event":
      return {
        tag: "atproto-event",
        val: {
          sequence: data.sequence,
          timestamp: data.timestamp,
          repo: data.repo,
          collection: data.collection,
          rkey: data.rkey,
          action: data.action,
          cid: data.cid,
          recordData: data.record_data,
          rev: data.rev,
          opIndex: data.op_index,
        },
      };
    case "hypercore_append":
      return {
        tag: "hypercore-append",
        val: { feedKey: data.feed_key, index: data.index, data: data.data },
      };
    case "raw":
      return { tag: "raw", val: data.data };
  }
}

/** What a trigger firing is made of: which service and workflow, the trigger, and its data. */
export interface TriggerActionInput {
  serviceId: string;
  workflowId: string;
  trigger: Trigger;
  data: TriggerData;
}

/** WIT `trigger-action` (wavs:operator/input), the argument of the component's `run`. */
export function triggerActionToWit(action: TriggerActionInput): WitTriggerAction {
  return {
    config: {
      serviceId: action.serviceId,
      workflowId: action.workflowId,
      trigger: triggerToWit(action.trigger),
    },
    data: triggerDataToWit(action.data),
  };
}
