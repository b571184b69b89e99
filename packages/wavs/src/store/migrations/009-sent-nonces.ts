/**
 * Whether a nonce is held by a transaction still marked sent, in one index lookup: the next
 * nonce was chosen by reading every queued and sent row of the chain, a cost that grew with
 * the transactions waiting (300 us a send with ~2,000 waiting behind a slow chain).
 */
export const sql = `
  CREATE INDEX aggregator_txs_sent_nonce ON aggregator_txs (chain, from_address, nonce)
    WHERE status = 'sent' AND nonce IS NOT NULL;
`;
