/** What the triggers hand to the node: a workflow to run with the data that fired it. */
import { decodeAbiParameters, type Hex } from "viem";
import type { Trigger, TriggerData, TriggerDataOf } from "../service/index.js";
import { hexToBytes } from "../service/index.js";
import type { RpcLog } from "./evm-rpc.js";

/** One workflow of one service fired by one trigger occurrence. */
export interface TriggerEvent {
  serviceId: string;
  workflowId: string;
  trigger: Trigger;
  data: TriggerData;
}

/** Receives trigger events; resolve only once the event is durably recorded (backpressure). */
export type TriggerEventHandler = (event: TriggerEvent) => Promise<void>;

/** Told that a service manager emitted `ServiceURIUpdated(uri)` (uri undefined if undecodable). */
export type ServiceUriUpdatedHandler = (
  serviceId: string,
  uri: string | undefined,
) => Promise<void> | void;

/** The trigger data of a log; `timestamp` fills in block_timestamp when the node omits it. */
export function logTriggerData(
  chain: string,
  log: RpcLog,
  timestamp?: bigint,
): TriggerDataOf<"evm_contract_event"> {
  const blockTimestamp = log.blockTimestamp ?? timestamp;
  return {
    type: "evm_contract_event",
    chain,
    log: {
      address: hexToBytes(log.address),
      data: { topics: log.topics.map(hexToBytes), data: hexToBytes(log.data) },
      tx_hash: hexToBytes(log.transactionHash),
      block_number: log.blockNumber,
      log_index: log.logIndex,
      block_hash: hexToBytes(log.blockHash),
      ...(blockTimestamp === undefined ? {} : { block_timestamp: blockTimestamp }),
      tx_index: log.transactionIndex,
    },
  };
}

/** The URI of a `ServiceURIUpdated(string)` log, or undefined when its data is malformed. */
export function decodeServiceUri(log: RpcLog): string | undefined {
  try {
    const [uri] = decodeAbiParameters([{ type: "string" }], log.data as Hex);
    return uri;
  } catch {
    return undefined;
  }
}
