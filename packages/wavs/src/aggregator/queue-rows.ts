/**
 * Rows of the aggregation tables read back as what they stand for: the envelope a submission
 * or a queue signs, a finished transaction's outcome, a stored input as its submission.
 */
import type { Envelope } from "@wavs-ts/contracts";
import type { Hex } from "viem";
import { deferredReason, type TxOutcome } from "../chain/index.js";
import type { AggregationInputRow, AggregatorTxRow, QuorumQueueRow } from "../store/index.js";
import { envelopeOrdering, type SignedSubmission } from "./signed-submission.js";

/** The queue id a transaction reference names. */
export function queueIdOfRef(ref: string): number | undefined {
  const m = /^queue:(\d+)$/.exec(ref);
  return m ? Number(m[1]) : undefined;
}

/** The envelope a stored submission signed. */
export function envelopeOfInput(row: AggregationInputRow): Envelope {
  return {
    eventId: row.event_id as Hex,
    ordering: envelopeOrdering(row.ordering) as Hex,
    payload: row.payload_hex as Hex,
  };
}

/** The envelope a quorum queue gathers signatures for. */
export function envelopeOfQueue(q: QuorumQueueRow): Envelope {
  return { eventId: q.event_id as Hex, ordering: q.ordering as Hex, payload: q.payload_hex as Hex };
}

/** A finished transaction row as the outcome the aggregator acts on. */
export function outcomeOfRow(tx: AggregatorTxRow): TxOutcome {
  if (tx.status === "mined") {
    return {
      kind: "mined",
      txHash: tx.tx_hash as Hex,
      status: tx.receipt_status ?? "reverted",
      gasUsed: BigInt(tx.gas_used ?? "0"),
      block: BigInt(tx.block_number ?? 0),
    };
  }
  const deferred = deferredReason(tx);
  if (deferred !== undefined) return { kind: "failed", reason: deferred, deferred: true };
  return { kind: "failed", reason: tx.error ?? "transaction failed" };
}

/** A stored input back as the submission it was. */
export function submissionOfInput(row: AggregationInputRow): SignedSubmission {
  const envelope = envelopeOfInput(row);
  return {
    service_id: row.service_id,
    workflow_id: row.workflow_id,
    event_id: row.event_id,
    envelope: {
      event_id: envelope.eventId,
      ordering: envelope.ordering,
      payload: envelope.payload,
    },
    signature: row.signature,
    signer: row.signer,
    trigger_data: JSON.parse(row.trigger_data) as unknown,
    operator_response: {
      payload: row.payload_hex,
      ordering: row.ordering,
      event_id_salt: row.event_id_salt,
    },
  };
}
