/**
 * Is a trigger log still on the canonical chain? Asked when an aggregator timer fires, before
 * its callback runs: a log that a reorg removed must not be submitted. (A log re-included in
 * another block has another block hash, hence another event id, and arrives as its own
 * trigger.) The block is looked up by hash: gone means reorged away; if it is there, its logs
 * must still contain the one at the same index from the same transaction.
 */
import type { PublicClient } from "viem";
import { bytesToHex, type TriggerData } from "../service/index.js";

/** Answer of a reorg check. */
export type TriggerPresence = "present" | "gone" | "not-applicable";

/** Whether the trigger's log still exists; `not-applicable` for non-log triggers. */
export async function triggerLogPresence(
  client: PublicClient | undefined,
  data: TriggerData,
): Promise<TriggerPresence> {
  if (data.type !== "evm_contract_event" || client === undefined) return "not-applicable";
  const blockHash = bytesToHex(data.log.block_hash);
  const block = await client.request({
    method: "eth_getBlockByHash",
    params: [blockHash as `0x${string}`, false],
  });
  if (block === null) return "gone";
  const logs = (await client.request({
    method: "eth_getLogs",
    params: [
      {
        blockHash: blockHash as `0x${string}`,
        address: bytesToHex(data.log.address) as `0x${string}`,
      },
    ],
  })) as { logIndex?: string; transactionHash?: string; removed?: boolean }[];
  const txHash = bytesToHex(data.log.tx_hash);
  const found = logs.some(
    (l) =>
      l.removed !== true &&
      l.logIndex !== undefined &&
      BigInt(l.logIndex) === data.log.log_index &&
      l.transactionHash?.toLowerCase() === txHash,
  );
  return found ? "present" : "gone";
}
