/**
 * An aggregator component sees the aggregator input (the trigger and the operator response),
 * never who signed it. Operators that agree therefore hand it byte-identical inputs: without
 * reuse, a node runs `process-input` once per operator for the same answer (three runs per
 * event per node with three operators). With reuse on (`AggregatorOptions.reuseIdenticalInputs`,
 * the default), the first run's actions, or the run still in flight, serve every identical
 * input for `ttlMs`; each submission then joins its queue with its own signature as before.
 * Failed runs are not reused. Off for components whose answer depends on state (KV) or time.
 */
import { createHash } from "node:crypto";
import type { AggregationInputRow } from "../store/index.js";

/**
 * The identity of an aggregator call: same key, same input to the same component (`component`:
 * its digest and config).
 */
export function aggregatorCallKey(
  fn: string,
  depth: number,
  component: string,
  row: Pick<
    AggregationInputRow,
    "service_id" | "workflow_id" | "trigger_data" | "payload_hex" | "ordering" | "event_id_salt"
  >,
): string {
  return createHash("sha256")
    .update(
      JSON.stringify([
        fn,
        depth,
        component,
        row.service_id,
        row.workflow_id,
        row.trigger_data,
        row.payload_hex,
        row.ordering,
        row.event_id_salt,
      ]),
    )
    .digest("hex");
}

/** Results of calls by key, in flight or settled, kept `ttlMs` (at most `maxEntries`). */
export class IdenticalInputs<T> {
  private readonly entries = new Map<string, { at: number; result: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /**
   * The result of `run` for `key`: reused when an identical call is in flight or settled within
   * the TTL and `reusable` said yes to it.
   */
  get(key: string, run: () => Promise<T>, reusable: (result: T) => boolean): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.at >= now - this.ttlMs) return hit.result;
    const result = run();
    this.entries.delete(key);
    this.entries.set(key, { at: now, result });
    result.then(
      (value) => {
        if (!reusable(value)) this.forget(key, result);
      },
      () => this.forget(key, result),
    );
    // oldest first (insertion order): drop what no longer fits
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.maxEntries && e.at >= now - this.ttlMs) break;
      this.entries.delete(k);
    }
    return result;
  }

  private forget(key: string, result: Promise<T>): void {
    if (this.entries.get(key)?.result === result) this.entries.delete(key);
  }
}
