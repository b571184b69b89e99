/**
 * Timers by key for the aggregator (submissions, re-checks, aggregator timers, landing
 * re-checks): scheduling a key again replaces its timer, and a due time past setTimeout's
 * range (~24.8 days) is reached in steps. The clock is given, so tests can drive it.
 */

/** What the scheduler needs of time. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The process's own clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** setTimeout's largest delay. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Keyed timers; `run` starts each due step (and tracks it), `active` says whether to run at all. */
export class KeyedScheduler {
  private readonly timers = new Map<string, unknown>();

  constructor(
    private readonly deps: {
      clock: Clock;
      run: (step: Promise<void>) => void;
      active: () => boolean;
    },
  ) {}

  /** Run `fn` at `due` (ms since the epoch), replacing any timer of `key`. */
  schedule(key: string, due: number, fn: () => Promise<void>): void {
    const { clock } = this.deps;
    this.unschedule(key);
    const delay = Math.max(0, due - clock.now());
    const handle = clock.setTimeout(
      () => {
        this.timers.delete(key);
        if (!this.deps.active()) return;
        if (clock.now() < due) return this.schedule(key, due, fn);
        this.deps.run(fn());
      },
      Math.min(delay, MAX_TIMEOUT_MS),
    );
    this.timers.set(key, handle);
  }

  /** Drop the timer of `key`, if any. */
  unschedule(key: string): void {
    const handle = this.timers.get(key);
    if (handle !== undefined) this.deps.clock.clearTimeout(handle);
    this.timers.delete(key);
  }

  /** Whether `key` has a timer. */
  has(key: string): boolean {
    return this.timers.has(key);
  }

  /** Drop every timer. */
  clear(): void {
    for (const handle of this.timers.values()) this.deps.clock.clearTimeout(handle);
    this.timers.clear();
  }
}
