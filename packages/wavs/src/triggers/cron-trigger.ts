/**
 * Cron triggers: schedules with a seconds field (croner, UTC), bounded by start_time and
 * end_time (nanoseconds, both inclusive). The component is told the scheduled time, not the
 * wall time. The last tick handed to the node is persisted per (service, workflow); after
 * downtime the missed ticks fire in order, at most `catchUpLimit` of them (the most recent).
 */
import { Cron } from "croner";
import type { Logger } from "../internal/index.js";
import { errorMessage, WavsError } from "../internal/index.js";
import { type TriggerOf, triggerToJson } from "../service/index.js";
import type { CursorStore } from "../store/index.js";
import type { CronSubscriber } from "./trigger-index.js";

/** Default number of missed ticks fired after downtime, per workflow. */
export const DEFAULT_CRON_CATCH_UP_LIMIT = 100;

const NS_PER_MS = 1_000_000n;
// setTimeout's ceiling is 2^31-1 ms; sleep in slices and look again.
const MAX_SLEEP_MS = 60_000;

/** Parse a schedule (6 or 7 fields, seconds first, UTC); throws WAVS_ERR_SERVICE_INVALID. */
export function compileCronSchedule(schedule: string, where = "cron trigger"): Cron {
  try {
    return new Cron(schedule, { paused: true, timezone: "Etc/UTC", mode: "6-or-7-parts" });
  } catch (err) {
    throw new WavsError(
      "WAVS_ERR_SERVICE_INVALID",
      `${where}: schedule '${schedule}' is not valid: ${errorMessage(err)}`,
      {
        details: {
          schedule,
          expected: "a cron schedule with a seconds field, e.g. '*/5 * * * * *'",
        },
      },
    );
  }
}

function startMs(trigger: TriggerOf<"cron">): number | undefined {
  const ns = trigger.start_time;
  if (ns === null || ns === undefined) return undefined;
  // First whole millisecond at or after start_time.
  return Number((ns + NS_PER_MS - 1n) / NS_PER_MS);
}

function afterEnd(trigger: TriggerOf<"cron">, tickMs: number): boolean {
  const end = trigger.end_time;
  return end !== null && end !== undefined && BigInt(tickMs) * NS_PER_MS > end;
}

/** The first tick strictly after `afterMs` that is within start/end, or undefined. */
export function nextCronTick(
  cron: Cron,
  trigger: TriggerOf<"cron">,
  afterMs: number,
): number | undefined {
  const start = startMs(trigger);
  const reference = start !== undefined && start - 1 > afterMs ? start - 1 : afterMs;
  const next = cron.nextRun(new Date(reference));
  if (!next) return undefined;
  const t = next.getTime();
  return afterEnd(trigger, t) ? undefined : t;
}

/**
 * Where to resume a schedule last fired at `lastMs`: the time after which ticks fire again, so
 * that at most `limit` ticks due by `nowMs` are fired. `skipped` says whether older ones were
 * dropped.
 */
export function cronResumePoint(
  cron: Cron,
  trigger: TriggerOf<"cron">,
  lastMs: number,
  nowMs: number,
  limit: number,
): { afterMs: number; skipped: boolean } {
  const end = trigger.end_time;
  const endMs =
    end === null || end === undefined ? nowMs : Math.min(nowMs, Number(end / NS_PER_MS));
  const start = startMs(trigger);
  // previousRuns excludes a run exactly at the reference; +1 ms includes it.
  const due = cron
    .previousRuns(limit + 1, new Date(endMs + 1))
    .map((d) => d.getTime())
    .filter((t) => t > lastMs && (start === undefined || t >= start) && !afterEnd(trigger, t));
  if (due.length <= limit) return { afterMs: lastMs, skipped: false };
  // Most recent first: keep due[0..limit-1] by resuming just after due[limit].
  return { afterMs: due[limit] as number, skipped: true };
}

/** Options of `CronScheduler`. */
export interface CronSchedulerOptions {
  store: CursorStore;
  logger: Logger;
  /** Hand one tick to the node; the tick is recorded once this resolves. */
  emit: (subscriber: CronSubscriber, tickMs: number) => Promise<void>;
  /** Missed ticks fired per workflow after downtime (default 100). */
  catchUpLimit?: number | undefined;
  /** Clock (ms since the epoch); tests only. */
  now?: (() => number) | undefined;
}

interface Entry {
  key: string;
  subscriber: CronSubscriber;
  json: string;
  cron: Cron;
  next: number | undefined;
}

/** Runs the cron triggers: one timer for the earliest tick of all workflows. */
export class CronScheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly limit: number;
  private running: Promise<void> | undefined;
  private stopped = true;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly options: CronSchedulerOptions) {
    this.now = options.now ?? Date.now;
    this.limit = options.catchUpLimit ?? DEFAULT_CRON_CATCH_UP_LIMIT;
  }

  /**
   * Arm (or re-arm) a workflow's schedule. A workflow seen for the first time starts from now;
   * one with a recorded last tick resumes after it (catching up, capped).
   */
  set(subscriber: CronSubscriber): void {
    const { serviceId, workflowId, trigger } = subscriber;
    const key = `${serviceId}/${workflowId}`;
    const json = JSON.stringify(triggerToJson(trigger));
    const existing = this.entries.get(key);
    if (existing && existing.json === json) {
      existing.subscriber = subscriber;
      return;
    }
    const cron = compileCronSchedule(trigger.schedule, `workflow '${workflowId}'`);
    const now = this.now();
    let last = this.options.store.cronTick(serviceId, workflowId);
    if (last === undefined) {
      last = now;
      this.options.store.setCronTick(serviceId, workflowId, now);
    }
    const resume = cronResumePoint(cron, trigger, last, now, this.limit);
    if (resume.skipped) {
      this.options.logger.warn(
        { serviceId, workflowId, lastTick: new Date(last).toISOString(), limit: this.limit },
        "cron: more missed ticks than the catch-up limit; firing only the most recent ones",
      );
    }
    this.entries.set(key, {
      key,
      subscriber,
      json,
      cron,
      next: nextCronTick(cron, trigger, resume.afterMs),
    });
    this.wakeUp?.();
  }

  /** Disarm a workflow's schedule (its recorded tick stays unless the caller forgets it). */
  remove(serviceId: string, workflowId: string): void {
    if (this.entries.delete(`${serviceId}/${workflowId}`)) this.wakeUp?.();
  }

  /** Workflows armed, by `serviceId/workflowId`. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** Start firing. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.running = this.loop();
  }

  /** Stop firing; resolves once a tick being handed over has been. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.running;
    this.running = undefined;
  }

  private earliest(): Entry | undefined {
    // A scan is fine at the scale of cron workflows per node; one timer serves them all.
    let best: Entry | undefined;
    for (const entry of this.entries.values()) {
      if (entry.next !== undefined && (best === undefined || entry.next < (best.next as number))) {
        best = entry;
      }
    }
    return best;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, Math.min(ms, MAX_SLEEP_MS)));
      const self = this;
      function done() {
        clearTimeout(timer);
        if (self.wakeUp === done) self.wakeUp = undefined;
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      const entry = this.earliest();
      if (entry === undefined) {
        await this.sleep(MAX_SLEEP_MS);
        continue;
      }
      const tick = entry.next as number;
      const wait = tick - this.now();
      if (wait > 0) {
        await this.sleep(wait);
        continue;
      }
      const { serviceId, workflowId } = entry.subscriber;
      try {
        await this.options.emit(entry.subscriber, tick);
        failures = 0;
      } catch (err) {
        failures++;
        this.options.logger.error(
          { serviceId, workflowId, tick, err },
          "cron: handing a tick to the node failed; retrying",
        );
        await this.sleep(Math.min(30_000, 250 * 2 ** Math.min(failures, 7)));
        continue;
      }
      // The workflow may have been removed or replaced while the tick was handed over.
      if (this.entries.get(entry.key) !== entry) continue;
      this.options.store.setCronTick(serviceId, workflowId, tick);
      entry.next = nextCronTick(entry.cron, entry.subscriber.trigger, tick);
    }
  }
}
