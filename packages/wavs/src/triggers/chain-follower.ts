/**
 * What every chain watcher shares: a sync loop that runs passes (catch-up included) with
 * backoff while the chain fails, and a head loop that keeps a new-heads subscription open,
 * falling back to polling whenever it is down. A watcher supplies `pass()` (process every
 * block up to the head it knows) and, when it has sockets, `subscribeHeads`.
 */
import type { Logger } from "../internal/index.js";
import { errorMessage } from "../internal/index.js";
import type { CursorStore } from "../store/index.js";
import { type BlockIntervalFire, blockIntervalEvent } from "./block-interval.js";
import type { TriggerEventHandler } from "./trigger-event.js";

/** How a watcher learns about new heads right now. */
export type HeadMode = "ws" | "polling" | "stopped";

/** What a watcher reports for /health and logs. */
export interface ChainWatcherStatus {
  chain: string;
  mode: HeadMode;
  healthy: boolean;
  /** The last error, while unhealthy. */
  error?: string | undefined;
  /** Latest head seen. */
  head?: bigint | undefined;
  /** Last fully processed block. */
  cursor?: bigint | undefined;
}

/** A new-heads subscription. */
export interface HeadSubscription {
  /** The endpoint that serves it (redacted). */
  endpoint: string;
  unsubscribe(): void;
}

/**
 * Subscribes to new heads; `onDrop` is called once if the subscription is lost. `header` is
 * what the node pushed with the height, when the chain's watcher uses it (`headPushed`).
 */
export type SubscribeHeads<H = never> = (
  onHead: (height: bigint, header?: H) => void,
  onDrop: (error: Error) => void,
) => Promise<HeadSubscription>;

/** Thrown inside a pass when stop() was called; the cursor is left where it was. */
export class Stopped extends Error {}

/** A wake-up signal with a timeout. */
export class Signal {
  private waiter: (() => void) | undefined;
  private pending = false;

  /** Wake the waiter, or the next one to wait. */
  notify(): void {
    if (this.waiter) this.waiter();
    else this.pending = true;
  }

  /** Resolve on the next notify, or after `ms`. */
  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiter = done;
    });
  }
}

/** Told of each higher head a watcher learns of (pushed or polled): chain key and height. */
export type HeadListener = (chain: string, height: bigint) => void;

/** A chain watcher as its owner sees it, whatever the chain family. */
export interface ChainWatcher {
  start(): void;
  stop(): Promise<void>;
  poke(): void;
  status(): ChainWatcherStatus;
}

/** Loop settings of a follower. */
export interface ChainFollowerOptions<H = never> {
  chain: string;
  logger: Logger;
  /** Holds the chain's cursor (read when the follower starts). */
  store: CursorStore;
  /** Receives every trigger event; resolve once it is durably recorded. */
  onEvent: TriggerEventHandler;
  /** Polling period while no socket delivers heads. */
  pollMs: number;
  /** With a live socket, still poll this often in case heads stop coming (default 30 s). */
  wsSafetyPollMs?: number | undefined;
  /** New-heads subscription; absent when the chain has no socket endpoint. */
  subscribeHeads?: SubscribeHeads<H> | undefined;
  onHead?: HeadListener | undefined;
}

/** The loops of one chain watcher; subclasses implement `pass()`. */
export abstract class ChainFollower<H = never> implements ChainWatcher {
  protected readonly chain: string;
  protected readonly log: Logger;
  protected stopped = true;
  /** Highest head announced by the subscription since the last pass took it. */
  protected notifiedHead: bigint | undefined;
  protected head: bigint | undefined;
  protected cursor: bigint | undefined;
  protected readonly store: CursorStore;
  protected readonly onEvent: TriggerEventHandler;
  private readonly pollMs: number;
  private readonly wsSafetyPollMs: number;
  private readonly subscribeHeads: SubscribeHeads<H> | undefined;
  private readonly onHead: HeadListener | undefined;
  private readonly syncSignal = new Signal();
  private readonly headSignal = new Signal();
  private loops: Promise<unknown> | undefined;
  private mode: HeadMode = "stopped";
  private error: string | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(options: ChainFollowerOptions<H>) {
    this.chain = options.chain;
    this.log = options.logger.child({ chain: options.chain });
    this.store = options.store;
    this.onEvent = options.onEvent;
    this.pollMs = options.pollMs;
    this.wsSafetyPollMs = options.wsSafetyPollMs ?? 30_000;
    this.subscribeHeads = options.subscribeHeads;
    this.onHead = options.onHead;
  }

  /** Process every block up to the head (catching up from the cursor); throw to retry. */
  protected abstract pass(): Promise<void>;

  /** A header the subscription pushed, before the pass it wakes; kept by watchers that use it. */
  protected headPushed(_header: H): void {}

  /** A head learned (pushed, or read by a pass): kept when higher, and told to `onHead`. */
  protected sawHead(height: bigint): void {
    if (this.head !== undefined && height <= this.head) return;
    this.head = height;
    this.onHead?.(this.chain, height);
  }

  /** Start following the chain (catching up from the cursor first). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.mode = "polling";
    this.cursor = this.store.cursor(this.chain)?.number;
    const loops = [this.syncLoop()];
    if (this.subscribeHeads) loops.push(this.headLoop(this.subscribeHeads));
    this.loops = Promise.all(loops);
  }

  /** Stop; resolves once the event being handed over (if any) has been and the loops ended. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.syncSignal.notify();
    this.headSignal.notify();
    await this.loops;
    this.loops = undefined;
    this.mode = "stopped";
  }

  /** Ask for a pass now (e.g. after new triggers were registered). */
  poke(): void {
    this.syncSignal.notify();
  }

  /** Current state, for /health. */
  status(): ChainWatcherStatus {
    return {
      chain: this.chain,
      mode: this.mode,
      healthy: this.error === undefined,
      error: this.error,
      head: this.head,
      cursor: this.cursor,
    };
  }

  /** Hand over a block-interval firing. */
  protected async emitFire(fire: BlockIntervalFire): Promise<void> {
    if (this.stopped) throw new Stopped();
    await this.onEvent(blockIntervalEvent(this.chain, fire));
  }

  /** Take the head the subscription announced, if any, for this pass. */
  protected takeNotifiedHead(): bigint | undefined {
    const notified = this.notifiedHead;
    this.notifiedHead = undefined;
    return notified;
  }

  private async syncLoop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        await this.pass();
        if (this.error !== undefined) this.log.info("chain reachable again");
        this.error = undefined;
        failures = 0;
      } catch (err) {
        if (this.stopped || err instanceof Stopped) break;
        failures++;
        this.error = errorMessage(err);
        this.log.warn({ err, failures }, "chain pass failed; retrying");
        await this.syncSignal.wait(
          Math.min(10_000, Math.max(this.pollMs, 250) * 2 ** (failures - 1)),
        );
        continue;
      }
      await this.syncSignal.wait(this.mode === "ws" ? this.wsSafetyPollMs : this.pollMs);
    }
  }

  private async headLoop(subscribeHeads: SubscribeHeads<H>): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let dropped: (error: Error) => void = () => {};
      const lost = new Promise<Error>((resolve) => {
        dropped = resolve;
      });
      try {
        const subscription = await subscribeHeads(
          (n, header) => {
            if (header !== undefined) this.headPushed(header);
            this.sawHead(n);
            if (this.notifiedHead === undefined || n > this.notifiedHead) this.notifiedHead = n;
            this.syncSignal.notify();
          },
          (error) => dropped(error),
        );
        if (this.stopped) {
          subscription.unsubscribe();
          break;
        }
        this.unsubscribe = subscription.unsubscribe;
        this.mode = "ws";
        failures = 0;
        this.log.info({ endpoint: subscription.endpoint }, "following new heads over WebSocket");
        // Catch up from the cursor: blocks may have come while we were not subscribed.
        this.syncSignal.notify();
        const error = await Promise.race([
          lost,
          this.headSignal.wait(2 ** 31 - 1).then(() => undefined),
        ]);
        // Release the losing wait (and its timer) when the socket dropped.
        if (error !== undefined) this.headSignal.notify();
        this.unsubscribe = undefined;
        if (this.stopped) break;
        this.mode = "polling";
        this.log.warn({ err: error }, "WebSocket dropped; polling over HTTP until it is back");
      } catch (err) {
        if (this.stopped) break;
        this.mode = "polling";
        failures++;
        this.log.warn({ err, failures }, "cannot subscribe to new heads; polling meanwhile");
      }
      this.syncSignal.notify();
      await this.headSignal.wait(Math.min(30_000, Math.max(this.pollMs, 500) * 2 ** failures));
    }
  }
}
