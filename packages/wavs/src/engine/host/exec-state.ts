import type { KvStore } from "../../store/index.js";
import type { ExecContext, ExecLog } from "../exec-types.js";
import type { SyncBroker } from "./sync-broker.js";

/**
 * Mutable state shared by all host shims of one instance. The instance lives across executions
 * (snapshot and restore), so everything per execution is reached through `ctx`, and resources
 * remember the execution that created them: a handle kept in guest memory or in jco's handle
 * tables can never be used by a later execution (possibly of another service).
 */
export class ExecState {
  ctx: ExecContext | undefined;
  logs: ExecLog[] = [];
  private logBytes = 0;
  private logsTruncated = false;

  /** `store` is called at the first key-value call: most components never make one. */
  constructor(
    private readonly store: () => KvStore,
    private readonly syncBroker: SyncBroker,
  ) {}

  /** The key-value store; refused in a warm-up call, which must leave no trace. */
  get kv(): KvStore {
    this.refuseInWarmUp("the key-value store");
    return this.store();
  }

  /** Blocking calls to the main thread (HTTP, DNS, sleep); refused in a warm-up call. */
  get broker(): SyncBroker {
    this.refuseInWarmUp("HTTP, DNS and sleeping");
    return this.syncBroker;
  }

  private refuseInWarmUp(what: string): void {
    if (this.ctx?.warmUp) throw new Error(`${what} is not available in a warm-up call`);
  }

  /** Begin an execution. */
  begin(ctx: ExecContext): void {
    this.ctx = ctx;
    this.logs = [];
    this.logBytes = 0;
    this.logsTruncated = false;
  }

  /** End the execution: later calls through stale resources fail. */
  end(): ExecLog[] {
    const logs = this.logs;
    this.ctx = undefined;
    this.logs = [];
    return logs;
  }

  /** The running execution's context; throws (a trap) when called outside one. */
  current(): ExecContext {
    if (!this.ctx) throw new Error("host call outside of an execution");
    return this.ctx;
  }

  /** Id of the running execution, for resources to remember. */
  currentId(): number {
    return this.current().execId;
  }

  /** Throw (trap) if a resource of another execution is used. */
  check(execId: number): void {
    if (this.ctx?.execId !== execId)
      throw new Error("resource used outside the execution that created it");
  }

  /** Capture one log line, within the execution's log budget. */
  log(entry: ExecLog): void {
    const max = this.ctx?.maxLogBytes ?? 1 << 20;
    if (this.logsTruncated) return;
    this.logBytes += entry.message.length;
    if (this.logBytes > max) {
      this.logsTruncated = true;
      this.logs.push({
        level: "warn",
        source: "engine",
        message: `log output over ${max} bytes; the rest was dropped`,
      });
      return;
    }
    this.logs.push(entry);
  }
}
