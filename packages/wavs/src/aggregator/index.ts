/** Aggregation: quorum queues, on-chain quorum checks, result transactions (docs/aggregation.md). */
export type { AggregationRecord } from "./aggregation-records.js";
export { Aggregator, type AggregatorDeps, type AggregatorEvents } from "./aggregator.js";
export {
  type AggregatorOptions,
  aggregatorOptionsFromConfig,
  DEFAULT_AGGREGATOR_OPTIONS,
} from "./aggregator-options.js";
export {
  gossipVerdict,
  localSubmission,
  type SignedSubmission,
  type SubmissionOrigin,
  type SubmissionVerdict,
} from "./signed-submission.js";
