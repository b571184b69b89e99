/**
 * Has a result landed on a Cosmos handler? Decided from the chain, as on EVM (landing-proof.ts):
 * a committed transaction that succeeded and executed `wavs_handle_signed_envelope` on the
 * handler with an envelope of the event id. A hash a peer announced is looked up directly; a
 * node that heard nothing searches the chain's transaction index for executes of the handler
 * (`tx_search` on the wasm module's `execute._contract_address`) since a height, newest first.
 */
import { TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { MsgExecuteContract } from "cosmjs-types/cosmwasm/wasm/v1/tx";
import type { CommittedTx, CosmosRpc } from "../triggers/index.js";
import type { LandingCheck, LandingProof } from "./landing-proof.js";

const EXECUTE = "/cosmwasm.wasm.v1.MsgExecuteContract";
/** Pages of 100 transactions searched at most (newest first). */
const MAX_SEARCH_PAGES = 10;

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

/** The sender, when this committed transaction landed `eventId` on `handler`. */
export function landingSender(
  tx: CommittedTx,
  handler: string,
  eventId: string,
): string | undefined {
  if (tx.code !== 0) return undefined;
  try {
    const body = TxBody.decode(TxRaw.decode(tx.tx).bodyBytes);
    for (const any of body.messages) {
      if (any.typeUrl !== EXECUTE) continue;
      const execute = MsgExecuteContract.decode(any.value);
      if (
        execute.contract === handler &&
        handledCosmosEventId(execute.msg) === eventId.toLowerCase()
      )
        return execute.sender;
    }
  } catch {
    // not a transaction we can read: not a landing
  }
  return undefined;
}

function proofOf(tx: CommittedTx, from: string): LandingProof {
  return { txHash: tx.hash, block: tx.height, from };
}

/**
 * Check one announced transaction. One the node does not know is taken as pending: our
 * nodes announce only what the chain's CheckTx accepted, and a Cosmos node has no pending
 * lookup by hash.
 */
export async function checkCosmosLandingTx(
  rpc: CosmosRpc,
  args: { hash: string; handler: string; eventId: string },
): Promise<LandingCheck> {
  const tx = await rpc.getTx(args.hash).catch(() => undefined);
  if (!tx) return { kind: "pending" };
  if (tx.code !== 0) return { kind: "no", reason: `transaction ${args.hash} failed` };
  const from = landingSender(tx, args.handler, args.eventId);
  if (from === undefined)
    return { kind: "no", reason: `transaction ${args.hash} does not carry this event` };
  return { kind: "landed", ...proofOf(tx, from) };
}

/** The transaction that landed `eventId` on `handler` at or after `fromHeight`, if any. */
export async function findCosmosLanding(
  rpc: CosmosRpc,
  args: { handler: string; eventId: string; fromHeight: bigint },
): Promise<LandingProof | undefined> {
  const query = `execute._contract_address='${args.handler}' AND tx.height>=${args.fromHeight}`;
  for (let page = 1; page <= MAX_SEARCH_PAGES; page++) {
    // past the last page CometBFT answers with an error, not an empty page
    const txs = await rpc.searchTxs(query, { page, perPage: 100 }).catch((err: unknown) => {
      if (page > 1) return [];
      throw err;
    });
    for (const tx of txs) {
      const from = landingSender(tx, args.handler, args.eventId);
      if (from !== undefined) return proofOf(tx, from);
    }
    if (txs.length < 100) break;
  }
  return undefined;
}
