/**
 * What the node records per aggregated event, in the shape an API would list it: who signed
 * (and whether locally or from which peer), when quorum was reached and who was designated to
 * submit, and which transaction landed it (hash, status, gas used, block).
 */
import type {
  AggregatorTxStore,
  QuorumQueueRow,
  QuorumQueueStore,
  QuorumSignatureStore,
} from "../store/index.js";

/** One event's aggregation towards one handler. */
export interface AggregationRecord {
  id: number;
  service_id: string;
  workflow_id: string;
  event_id: string;
  chain: string;
  handler: string;
  /** `collecting` (waiting for quorum), `quorum` (submitting), `failed` (last attempt failed), `burned` (landed). */
  status: string;
  envelope_hash: string;
  signers: { signer: string; origin: string; added_at: number }[];
  quorum_reached_at: number | null;
  quorum_signers: string[] | null;
  designated_submitter: string | null;
  /** `self` when this node's transaction landed it, `other` when another operator's did. */
  landed_by: string | null;
  landed_tx_hash: string | null;
  landed_block: number | null;
  burned_at: number | null;
  /** This node's transaction for it, if it sent one. */
  transaction: {
    tx_hash: string | null;
    hashes: string[];
    status: string;
    receipt_status: string | null;
    gas_used: string | null;
    block_number: number | null;
    nonce: number | null;
    error: string | null;
    /** When it was first broadcast and when its receipt was seen (ms since the Unix epoch). */
    sent_at: number | null;
    mined_at: number | null;
  } | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

type Stores = {
  queues: QuorumQueueStore;
  signatures: QuorumSignatureStore;
  txs: AggregatorTxStore;
};

/** Recent aggregations of a service, newest first, paged by id (`before`). */
export function listAggregations(
  stores: Stores,
  serviceId: string,
  opts: { limit: number; before?: number | undefined },
): AggregationRecord[] {
  return stores.queues.list(serviceId, opts.limit, opts.before).map((q) => record(stores, q));
}

/** The aggregations of one event (one per handler), oldest first. */
export function eventAggregations(stores: Stores, eventId: string): AggregationRecord[] {
  return stores.queues.byEvent(eventId).map((q) => record(stores, q));
}

function record(stores: Stores, q: QuorumQueueRow): AggregationRecord {
  const tx = q.tx_id === null ? undefined : stores.txs.get(q.tx_id);
  return {
    id: q.id,
    service_id: q.service_id,
    workflow_id: q.workflow_id,
    event_id: q.event_id,
    chain: q.chain,
    handler: q.handler,
    status: q.status,
    envelope_hash: q.envelope_hash,
    signers: stores.signatures
      .list(q.id)
      .map((s) => ({ signer: s.signer, origin: s.origin, added_at: s.added_at })),
    quorum_reached_at: q.quorum_reached_at,
    quorum_signers: q.quorum_signers === null ? null : (JSON.parse(q.quorum_signers) as string[]),
    designated_submitter: q.designated,
    landed_by: q.landed_by,
    landed_tx_hash: q.landed_tx_hash,
    landed_block: q.landed_block,
    burned_at: q.burned_at,
    transaction: tx
      ? {
          tx_hash: tx.tx_hash,
          hashes: tx.hashes,
          status: tx.status,
          receipt_status: tx.receipt_status,
          gas_used: tx.gas_used,
          block_number: tx.block_number,
          nonce: tx.nonce,
          error: tx.error,
          sent_at: tx.sent_at,
          mined_at: tx.mined_at,
        }
      : null,
    last_error: q.last_error,
    created_at: q.created_at,
    updated_at: q.updated_at,
  };
}
