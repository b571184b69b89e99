/** Per-peer token buckets: the cheap first check on anything a peer sends us. */

/** Rate limit settings: a sustained rate and a burst allowance. */
export interface RateLimit {
  /** Tokens added per second. */
  perSecond: number;
  /** Bucket size: how many messages may arrive at once after a quiet period. */
  burst: number;
}

/** Clock in milliseconds; injectable so tests are exact. */
export type Clock = () => number;

/** A token bucket that starts full. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: Clock = Date.now,
  ) {
    this.tokens = limit.burst;
    this.last = now();
  }

  /** Take one token; false when the bucket is empty (the message should be dropped). */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whether the bucket is full again (so it can be forgotten without changing behaviour). */
  isFull(): boolean {
    this.refill();
    return this.tokens >= this.limit.burst;
  }

  private refill(): void {
    const t = this.now();
    const elapsed = Math.max(0, t - this.last) / 1000;
    this.last = t;
    this.tokens = Math.min(this.limit.burst, this.tokens + elapsed * this.limit.perSecond);
  }
}

/** One bucket per peer id. Full buckets are dropped on sweep so idle peers cost nothing. */
export class PeerRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: Clock = Date.now,
  ) {}

  /** Take a token for `peer`; false means drop (and penalise) the message. */
  take(peer: string): boolean {
    let bucket = this.buckets.get(peer);
    if (bucket === undefined) {
      bucket = new TokenBucket(this.limit, this.now);
      this.buckets.set(peer, bucket);
    }
    return bucket.take();
  }

  /** Forget buckets that have refilled completely. */
  sweep(): void {
    for (const [peer, bucket] of this.buckets) if (bucket.isFull()) this.buckets.delete(peer);
  }

  /** Number of tracked peers (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }
}
