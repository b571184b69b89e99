/**
 * Has a result landed on a Cosmos handler? Decided from the chain, as on EVM: a transaction
 * that succeeded and executed `wavs_handle_signed_envelope` on the handler with an envelope of
 * the event id. Found with the chain's transaction index (`tx_search` on the wasm module's
 * `execute._contract_address`) from a height on. WIP for issue 16: not wired yet.
 */
import type { IndexedTx } from "@cosmjs/stargate";
import { TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { MsgExecuteContract } from "cosmjs-types/cosmwasm/wasm/v1/tx";

const EXECUTE = "/cosmwasm.wasm.v1.MsgExecuteContract";

/** A transaction that landed the result. */
export interface CosmosLanding {
  transactionHash: string;
  height: number;
}

/** The event id (lowercase 0x hex) of a `wavs_handle_signed_envelope` execute's envelope. */
export function handledCosmosEventId(msg: Uint8Array): string | undefined {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(msg)) as {
      wavs_handle_signed_envelope?: { envelope?: unknown };
    };
    const envelope = parsed.wavs_handle_signed_envelope?.envelope;
    if (typeof envelope !== "string") return undefined;
    const bytes = Buffer.from(envelope, "base64");
    // abi.encode(Envelope): the tuple's offset word, then bytes20 eventId left-aligned
    if (bytes.length < 64) return undefined;
    return `0x${bytes.subarray(32, 52).toString("hex")}`;
  } catch {
    return undefined;
  }
}

/** Whether one indexed transaction landed `eventId` on `handler`. */
export function landsEvent(tx: IndexedTx, handler: string, eventId: string): boolean {
  if (tx.code !== 0) return false;
  const body = TxBody.decode(TxRaw.decode(tx.tx).bodyBytes);
  return body.messages.some((any) => {
    if (any.typeUrl !== EXECUTE) return false;
    const execute = MsgExecuteContract.decode(any.value);
    return (
      execute.contract === handler && handledCosmosEventId(execute.msg) === eventId.toLowerCase()
    );
  });
}

/** The transaction that landed `eventId` on `handler` at or after `fromHeight`, if any. */
export async function findCosmosLanding(args: {
  searchTx: (query: string) => Promise<readonly IndexedTx[]>;
  handler: string;
  eventId: string;
  fromHeight: number;
}): Promise<CosmosLanding | undefined> {
  const txs = await args.searchTx(
    `execute._contract_address='${args.handler}' AND tx.height>=${args.fromHeight}`,
  );
  const hit = txs.find((tx) => landsEvent(tx, args.handler, args.eventId));
  return hit && { transactionHash: hit.hash, height: hit.height };
}
