import { describe, expect, it } from "vitest";
import { DEFAULT_TX_MANAGER_OPTIONS } from "../chain/index.js";
import { WavsConfigSchema } from "../config/schema.js";
import { aggregatorOptionsFromConfig, DEFAULT_AGGREGATOR_OPTIONS } from "./aggregator-options.js";

describe("aggregator settings from the node config", () => {
  it("has the same defaults as the aggregator itself", () => {
    const { tx, ...rest } = aggregatorOptionsFromConfig(WavsConfigSchema.parse({}).aggregator);
    const {
      tx: _tx,
      maxPayloadBytes: _max,
      maxTimerDepth: _depth,
      timerRetryMs: _retry,
      ...defaults
    } = DEFAULT_AGGREGATOR_OPTIONS;
    expect(rest).toEqual(defaults);
    const {
      initialBackoffMs: _first,
      maxBackoffMs: _most,
      ...txDefaults
    } = DEFAULT_TX_MANAGER_OPTIONS;
    expect(tx).toEqual(txDefaults);
  });

  it("passes every key of the table through", () => {
    const options = aggregatorOptionsFromConfig(
      WavsConfigSchema.parse({
        aggregator: { grace_period_ms: 5000, settle_ms: 0, tx_poll_ms: 100, tx_max_in_flight: 8 },
      }).aggregator,
    );
    expect(options).toMatchObject({ gracePeriodMs: 5000, settleMs: 0 });
    expect(options.tx).toMatchObject({ pollMs: 100, maxInFlight: 8 });
  });
});
