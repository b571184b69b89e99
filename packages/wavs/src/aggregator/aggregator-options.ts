/** The aggregator's tuning, its defaults, and how the node config's `aggregator` table maps to it. */
import type { TxManagerOptions } from "../chain/index.js";
import type { AggregatorConfig } from "../config/index.js";

/** Tuning of the aggregator. */
export interface AggregatorOptions {
  /** How long each non-designated operator waits (per rank) before taking over; default 15 s. */
  gracePeriodMs: number;
  /**
   * How long the first signer of an event waits after quorum before sending when operators
   * ranked ahead of it have not signed (they may be slow rather than down); default 1 s. The
   * first operator in the order sends at quorum without waiting.
   */
  settleMs: number;
  /** A signing key not seen sign for a service this long leaves the submitter order; default 1 h. */
  operatorMemoryMs: number;
  /**
   * How long a queue's lone first signature waits for a second one before quorum is checked
   * (the wait ends when one arrives); default 500 ms, 0 checks at once. Operators sign the same
   * event within milliseconds of each other, so one check (and no "quorum not reached"
   * callback) usually does. Not applied when this node knows no other operator of the service.
   */
  gatherMs: number;
  /** Finished queues and inputs are forgotten this long after their last change; default 48 h. */
  ttlMs: number;
  /** Submissions processed at once (each costs an aggregator component run); default 16. */
  concurrency: number;
  /**
   * Run the aggregator component once for identical inputs (operators that agree) and reuse
   * its actions for each agreeing signature; default true. Off for components whose
   * `process-input` / `handle-timer-callback` depends on state or time (`identical-inputs.ts`).
   */
  reuseIdenticalInputs: boolean;
  /** Largest operator payload accepted; default 16 MiB (the dispatcher's limit). */
  maxPayloadBytes: number;
  /** Longest chain of timers started from one submission; default 32. */
  maxTimerDepth: number;
  /** Retry delay of a timer whose reorg check could not reach the chain; default 5 s. */
  timerRetryMs: number;
  /** First re-check of a queue whose quorum check said wait (doubles, at most 60 s); default 2 s. */
  recheckMs: number;
  /** Re-checks of a waiting queue before only a new signature triggers one; default 8. */
  maxRechecks: number;
  /** Transaction manager tuning. */
  tx: Partial<TxManagerOptions>;
}

/** Defaults of {@link AggregatorOptions}. */
export const DEFAULT_AGGREGATOR_OPTIONS: AggregatorOptions = {
  gracePeriodMs: 15_000,
  settleMs: 1_000,
  operatorMemoryMs: 3600_000,
  gatherMs: 500,
  ttlMs: 48 * 3600_000,
  concurrency: 16,
  reuseIdenticalInputs: true,
  maxPayloadBytes: 16 << 20,
  maxTimerDepth: 32,
  timerRetryMs: 5_000,
  recheckMs: 2_000,
  maxRechecks: 8,
  tx: {},
};

/** Aggregator options from the node config's `aggregator` table (wavs.toml, WAVS_AGGREGATOR). */
export function aggregatorOptionsFromConfig(c: AggregatorConfig): Partial<AggregatorOptions> {
  return {
    gracePeriodMs: c.grace_period_ms,
    settleMs: c.settle_ms,
    operatorMemoryMs: c.operator_memory_ms,
    gatherMs: c.gather_ms,
    concurrency: c.concurrency,
    reuseIdenticalInputs: c.reuse_identical_inputs,
    recheckMs: c.recheck_ms,
    maxRechecks: c.max_rechecks,
    ttlMs: c.ttl_ms,
    tx: {
      pollMs: c.tx_poll_ms,
      maxInFlight: c.tx_max_in_flight,
      stuckAfterMs: c.tx_stuck_after_ms,
      feeBumpPercent: c.tx_fee_bump_percent,
      gasMarginPercent: c.tx_gas_margin_percent,
    },
  };
}
