/**
 * "At the chain's next block": a landing announced by a peer is looked at once the node has
 * seen a new head of its chain, since before that nothing can have changed (right after the
 * broadcast the transaction is in the pool, and looking then cost a request for nothing three
 * times in four under `bench:e2e`). A chain whose heads this node follows waits up to
 * `followedMs` for one; a chain it does not follow (no trigger there, no head seen lately)
 * waits `unfollowedMs`, as a timer did before.
 */
import type { KeyedScheduler } from "./keyed-scheduler.js";

/** How long a chain counts as followed after its last head. */
const FOLLOWED_FOR_MS = 60_000;

/** See the module comment. */
export class NextHead {
  /** Steps waiting for a head, by chain, by key. */
  private readonly waiting = new Map<string, Map<string, () => Promise<void>>>();
  /** When a head of each chain was last seen. */
  private readonly lastHeadAt = new Map<string, number>();

  constructor(
    private readonly deps: {
      scheduler: Pick<KeyedScheduler, "schedule" | "unschedule">;
      now: () => number;
      /** Start a step (tracked by the aggregator). */
      run: (step: Promise<void>) => void;
      /** Longest wait on a followed chain. */
      followedMs: number;
      /** The wait on a chain whose heads this node does not see. */
      unfollowedMs: number;
    },
  ) {}

  /** Run `fn` at the next head of `chain`, or when the wait runs out; `key` names the step. */
  run(chain: string, key: string, fn: () => Promise<void>): void {
    const now = this.deps.now();
    const seen = this.lastHeadAt.get(chain);
    const followed = seen !== undefined && now - seen < FOLLOWED_FOR_MS;
    const step = () => {
      this.waiting.get(chain)?.delete(key);
      this.deps.scheduler.unschedule(key);
      return fn();
    };
    let steps = this.waiting.get(chain);
    if (steps === undefined) {
      steps = new Map();
      this.waiting.set(chain, steps);
    }
    steps.set(key, step);
    this.deps.scheduler.schedule(
      key,
      now + (followed ? this.deps.followedMs : this.deps.unfollowedMs),
      step,
    );
  }

  /** The node saw a new head of `chain`: the steps waiting for it start. */
  headSeen(chain: string): void {
    this.lastHeadAt.set(chain, this.deps.now());
    const steps = this.waiting.get(chain);
    if (steps === undefined || steps.size === 0) return;
    this.waiting.delete(chain);
    for (const step of steps.values()) this.deps.run(step());
  }

  /** Forget every waiting step (their timers go with the scheduler's). */
  clear(): void {
    this.waiting.clear();
  }
}
