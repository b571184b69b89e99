/**
 * The owner's word before a queued transaction's broadcast (`BroadcastCheck`), applied the same
 * way by both transaction managers: a transaction that already landed or that the owner holds
 * back is marked failed (never broadcast, no nonce or sequence spent) and settled with why.
 */
import type { Logger } from "../internal/index.js";
import type { AggregatorTxRow, AggregatorTxStore } from "../store/index.js";
import { errorLine } from "./call-errors.js";
import { type BroadcastCheck, DEFERRED_PREFIX, type TxOutcome } from "./tx-types.js";

/**
 * Ask the owner about `row`; undefined means broadcast it. Otherwise the row is marked failed
 * and the outcome to settle it with is returned. A check that fails sends: the landing checks
 * are an economy (one transaction per result), the chain still refuses a replay.
 */
export async function checkBeforeBroadcast(
  row: AggregatorTxRow,
  ask: ((row: AggregatorTxRow) => Promise<BroadcastCheck>) | undefined,
  deps: { txs: AggregatorTxStore; log: Logger },
): Promise<TxOutcome | undefined> {
  if (!ask) return undefined;
  const check = await ask(row).catch((err: unknown): BroadcastCheck => {
    deps.log.debug({ err: errorLine(err) }, "landing check failed; sending");
    return { kind: "send" };
  });
  if (check.kind === "send") return undefined;
  if (check.kind === "landed") {
    const reason = `already landed by transaction ${check.landed.txHash}`;
    deps.txs.markFailed(row.id, reason);
    deps.log.info({ landed_tx_hash: check.landed.txHash }, "transaction not sent: already landed");
    return { kind: "failed", reason, landed: check.landed };
  }
  deps.txs.markFailed(row.id, `${DEFERRED_PREFIX}${check.reason}`);
  deps.log.info({ reason: check.reason }, "transaction not sent: held back by its owner");
  return { kind: "failed", reason: check.reason, deferred: true };
}

/** Why a stored transaction row was cancelled by a `defer` (so never broadcast), if it was. */
export function deferredReason(row: AggregatorTxRow): string | undefined {
  if (row.status !== "failed" || row.hashes.length > 0) return undefined;
  const error = row.error ?? "";
  return error.startsWith(DEFERRED_PREFIX) ? error.slice(DEFERRED_PREFIX.length) : undefined;
}
