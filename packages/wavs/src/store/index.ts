/** SQLite: the database, its migrations and one owner module per table. */

export type { AggregationInputRow, OtherEnvelopeRow } from "./aggregation-input-store.js";
export { AggregationInputStore } from "./aggregation-input-store.js";
export { AggregationTimerStore } from "./aggregation-timer-store.js";
export { AggregatorNonceStore } from "./aggregator-nonce-store.js";
export type { AggregatorTxRow } from "./aggregator-tx-store.js";
export { AggregatorTxStore } from "./aggregator-tx-store.js";
export type { StoredComponent } from "./component-store.js";
export { ComponentStore } from "./component-store.js";
export type { BlockRef } from "./cursor-store.js";
export { CursorStore } from "./cursor-store.js";
export type { Db } from "./database.js";
export { openDatabase } from "./database.js";
export { DevServiceStore } from "./dev-service-store.js";
export type { BucketRow, ExecutionRow } from "./execution-store.js";
export { ExecutionStore } from "./execution-store.js";
export { KeyStore } from "./key-store.js";
export { KvStore } from "./kv-store.js";
export type { QuorumQueueRow } from "./quorum-queue-store.js";
export { QuorumQueueStore } from "./quorum-queue-store.js";
export { type QuorumSignatureRow, QuorumSignatureStore } from "./quorum-signature-store.js";
export type { ServiceFile } from "./service-files.js";
export { readServiceFile } from "./service-files.js";
export type { StoredService } from "./service-store.js";
export { ServiceStore } from "./service-store.js";
export type { SubmissionRow } from "./submission-store.js";
export { SubmissionStore } from "./submission-store.js";
