/**
 * The loop a transaction manager runs (tx-manager.ts on EVM, cosmos-tx-manager.ts on Cosmos):
 * one step at a time; after a step with work out it sleeps `pollMs` (new work wakes it at
 * once), and with nothing queued or sent it sleeps until woken: an idle node spends no CPU and
 * no RPC calls here.
 */

/** See the module comment. */
export class SendLoop {
  private stopped = true;
  private done: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  /** Work arrived during a step: run the next one without waiting. */
  private dirty = false;

  constructor(
    private readonly options: {
      pollMs: number;
      /** One step; false when there is nothing queued or sent. */
      step: () => Promise<boolean>;
      /** A step threw (the loop goes on). */
      failed: (err: unknown) => void;
    },
  ) {}

  /** Whether the loop runs (started and not stopped). */
  get running(): boolean {
    return !this.stopped;
  }

  /** Start the loop (again after a stop). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.done = this.run();
  }

  /** Stop after the current step; resolves once it ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.done;
  }

  /** New work: run a step now (or right after the current one). */
  wake(): void {
    this.dirty = true;
    this.wakeUp?.();
  }

  /** More work than one step did: go on without waiting. */
  again(): void {
    this.dirty = true;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.dirty = false;
      let open = true;
      try {
        open = await this.options.step();
      } catch (err) {
        this.dirty = false;
        this.options.failed(err);
      }
      if (this.stopped) break;
      if (this.dirty) continue;
      await new Promise<void>((resolve) => {
        const timer = open ? setTimeout(done, this.options.pollMs) : undefined;
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wakeUp = done;
      });
      this.wakeUp = undefined;
    }
  }
}

/** The delay before retry number `attempts` (doubling from `initialBackoffMs` to `maxBackoffMs`). */
export function backoffMs(
  attempts: number,
  options: { initialBackoffMs: number; maxBackoffMs: number },
): number {
  return Math.min(options.maxBackoffMs, options.initialBackoffMs * 2 ** Math.min(attempts, 20));
}
