/**
 * Memory of recent gossip: the accepted messages of each service (served to peers that
 * catch up) and the verdict on every message id already judged (so a message arriving
 * twice, by gossip and by catch-up, costs the validator one call).
 */
import type { Clock } from "./rate-limit.js";

/** How much to remember. */
export interface RecentLimits {
  /** Accepted messages kept per service. */
  maxPerService: number;
  /** How long a message is kept, in ms. */
  windowMs: number;
}

interface Entry {
  bytes: Uint8Array;
  at: number;
}

/** Accepted (or own) messages per service, newest last, bounded by count and age. */
export class RecentMessages {
  private readonly services = new Map<string, Map<string, Entry>>();

  constructor(
    private readonly limits: RecentLimits,
    private readonly now: Clock = Date.now,
  ) {}

  /** Remember a message; a message id already present keeps its first time. */
  add(serviceId: string, id: string, bytes: Uint8Array): void {
    let entries = this.services.get(serviceId);
    if (entries === undefined) {
      entries = new Map();
      this.services.set(serviceId, entries);
    }
    if (entries.has(id)) return;
    entries.set(id, { bytes, at: this.now() });
    // Map iteration is insertion order, so the first keys are the oldest.
    while (entries.size > this.limits.maxPerService) {
      const oldest = entries.keys().next();
      if (oldest.done === true) break;
      entries.delete(oldest.value);
    }
  }

  /** The messages of a service still inside the window, oldest first. */
  recent(serviceId: string): Uint8Array[] {
    const entries = this.services.get(serviceId);
    if (entries === undefined) return [];
    this.expire(entries);
    return [...entries.values()].map((e) => e.bytes);
  }

  /** Number of messages kept for a service. */
  count(serviceId: string): number {
    const entries = this.services.get(serviceId);
    if (entries === undefined) return 0;
    this.expire(entries);
    return entries.size;
  }

  /** Forget a service (it was unsubscribed). */
  dropService(serviceId: string): void {
    this.services.delete(serviceId);
  }

  /** Drop expired messages of every service. */
  sweep(): void {
    for (const [serviceId, entries] of this.services) {
      this.expire(entries);
      if (entries.size === 0) this.services.delete(serviceId);
    }
  }

  private expire(entries: Map<string, Entry>): void {
    const cutoff = this.now() - this.limits.windowMs;
    for (const [id, entry] of entries) {
      if (entry.at >= cutoff) break;
      entries.delete(id);
    }
  }
}

/** The verdict reached on a message. */
export type Verdict = "accept" | "reject" | "ignore";

/** Verdicts by message id, bounded by count and age (oldest evicted first). */
export class VerdictCache {
  private readonly entries = new Map<string, { verdict: Verdict; at: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: Clock = Date.now,
  ) {}

  /** The verdict on `id`, if it was judged within the TTL. */
  get(id: string): Verdict | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    if (entry.at < this.now() - this.ttlMs) {
      this.entries.delete(id);
      return undefined;
    }
    return entry.verdict;
  }

  /** Record the verdict on `id`. */
  set(id: string, verdict: Verdict): void {
    this.entries.delete(id);
    this.entries.set(id, { verdict, at: this.now() });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }

  /** Drop expired verdicts. */
  sweep(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [id, entry] of this.entries) {
      if (entry.at >= cutoff) break;
      this.entries.delete(id);
    }
  }
}
