/**
 * Aggregator timers: an aggregator component asks to be called again later (a `timer` action);
 * the timer is stored, scheduled, survives a restart, and when due the trigger log is checked
 * again (a log reorged away drops the timer: nothing is submitted) before
 * `handle-timer-callback` runs and its actions are handled like any other. A chain of timers
 * is capped in depth.
 */

import { type ChainClients, errorLine } from "../chain/index.js";
import type { AggregatorAction } from "../engine/index.js";
import type { Logger } from "../internal/index.js";
import type {
  AggregationInputRow,
  AggregationInputStore,
  AggregationTimerStore,
} from "../store/index.js";
import type { AggregatorInputSource, DriverOutcome } from "./component-driver.js";
import type { KeyedScheduler } from "./keyed-scheduler.js";
import { triggerLogPresence } from "./reorg-check.js";

/** What the timers need of the aggregator around them. */
export interface AggregationTimersDeps {
  timers: AggregationTimerStore;
  inputs: AggregationInputStore;
  chains: ChainClients;
  scheduler: KeyedScheduler;
  log: Logger;
  /** Longest chain of timers; deeper ones are dropped with a warning. */
  maxDepth: number;
  /** When a failed reorg check is tried again. */
  retryMs: number;
  running: () => boolean;
  /** The submission's workflow as the component sees it, or undefined when it is gone. */
  sourceOf: (row: AggregationInputRow) => AggregatorInputSource | undefined;
  /** Run `handle-timer-callback` (identical inputs reused). */
  callback: (
    row: AggregationInputRow,
    src: AggregatorInputSource,
    depth: number,
  ) => Promise<DriverOutcome>;
  /** Handle the actions it returned. */
  handle: (
    row: AggregationInputRow,
    src: AggregatorInputSource,
    actions: AggregatorAction[],
    depth: number,
  ) => Promise<void>;
}

/** Stored, scheduled and fired aggregator timers. */
export class AggregationTimers {
  constructor(private readonly deps: AggregationTimersDeps) {}

  /** Schedule every stored pending timer (at start); returns how many. */
  resume(): number {
    const pending = this.deps.timers.pending();
    for (const t of pending) this.schedule(t.id, t.due_at);
    return pending.length;
  }

  /** Store and schedule a timer the component asked for at `depth` (its caller's depth). */
  add(row: AggregationInputRow, delaySecs: bigint, depth: number): void {
    if (depth >= this.deps.maxDepth) {
      this.deps.log.warn({ event_id: row.event_id, depth }, "timer chain too long; timer dropped");
      return;
    }
    const due = Date.now() + Number(delaySecs) * 1000;
    const id = this.deps.timers.insert(row.id, due, depth + 1);
    this.schedule(id, due);
  }

  private schedule(timerId: number, due: number): void {
    this.deps.scheduler.schedule(`timer:${timerId}`, due, () => this.fire(timerId));
  }

  /** A timer is due: re-check the trigger log, then run `handle-timer-callback`. */
  private async fire(timerId: number): Promise<void> {
    const { timers, inputs, chains, log } = this.deps;
    const timer = timers.get(timerId);
    if (timer?.status !== "pending") return;
    const row = inputs.get(timer.input_id);
    const src = row && this.deps.sourceOf(row);
    if (!row || !src) {
      timers.finish(timerId, "dropped", "the submission or its workflow is gone");
      return;
    }
    const data = src.triggerData;
    const chain =
      data.type === "evm_contract_event" && chains.has(data.chain) ? data.chain : undefined;
    try {
      const presence = await triggerLogPresence(chain ? chains.get(chain) : undefined, data);
      if (presence === "gone") {
        timers.finish(timerId, "dropped", "the trigger log was reorged away");
        log.info(
          { event_id: row.event_id, timer_id: timerId },
          "trigger log reorged away: timer dropped, nothing submitted",
        );
        return;
      }
    } catch (err) {
      log.warn({ timer_id: timerId, err: errorLine(err) }, "reorg check failed; timer retried");
      this.schedule(timerId, Date.now() + this.deps.retryMs);
      return;
    }
    const out = await this.deps.callback(row, src, timer.depth);
    if (!this.deps.running()) return;
    if (!out.ok) {
      timers.finish(timerId, "fired", `${out.error.code}: ${out.error.message}`);
      return;
    }
    // marked after its actions: a crash in between fires it again (joining is idempotent)
    await this.deps.handle(row, src, out.actions, timer.depth);
    timers.finish(timerId, "fired");
  }
}
