/**
 * Which workflows listen to what: (chain, address, topic0) -> subscribers for contract events
 * (for Cosmos, the event type without its `wasm-` prefix stands in for topic0),
 * and per-chain block-interval and cron lists. Only active services are in the index. Lookups
 * are three hash-map reads, so matching a log costs the same with 10 or 10,000 services.
 */
import { toEventSelector } from "viem";
import type { Trigger, TriggerOf } from "../service/index.js";

/** A workflow listening to something. */
export interface WorkflowSubscriber {
  kind: "workflow";
  serviceId: string;
  workflowId: string;
  trigger: Trigger;
}

/** A service manager watched for `ServiceURIUpdated(string)`. */
export interface ManagerSubscriber {
  kind: "manager";
  serviceId: string;
}

/** Whoever a matching log is for. */
export type LogSubscriber = WorkflowSubscriber | ManagerSubscriber;

/** A block-interval workflow. */
export interface BlockIntervalSubscriber {
  serviceId: string;
  workflowId: string;
  trigger: TriggerOf<"block_interval">;
}

/** A cron workflow. */
export interface CronSubscriber {
  serviceId: string;
  workflowId: string;
  trigger: TriggerOf<"cron">;
}

/** The address and topic0 lists to ask a chain's node for. */
export interface LogFilterLists {
  addresses: string[];
  topic0s: string[];
}

interface ChainEntry {
  // address -> topic0 -> subscribers; lists are replaced, never mutated, so a caller may keep
  // iterating one while the index changes.
  logs: Map<string, Map<string, readonly LogSubscriber[]>>;
  blockIntervals: Map<string, BlockIntervalSubscriber>;
  filter: LogFilterLists | undefined;
}

interface LogKey {
  chain: string;
  address: string;
  topic0: string;
}

const NONE: readonly LogSubscriber[] = [];

/** The topic0 of `ServiceURIUpdated(string)`. */
export const SERVICE_URI_UPDATED_TOPIC: string = toEventSelector("ServiceURIUpdated(string)");

/** The event a Cosmos service manager emits when its service URI changes. */
export const COSMOS_SERVICE_URI_UPDATED = "wavs-service-uri-updated";

/**
 * The index key of a Cosmos event type. A contract's custom events reach the chain as
 * `wasm-<type>`; triggers may name either spelling, so both sides drop the prefix.
 */
export function cosmosEventKey(eventType: string): string {
  return eventType.startsWith("wasm-") ? eventType.slice(5) : eventType;
}

/** The index of triggers. */
export class TriggerIndex {
  private readonly chains = new Map<string, ChainEntry>();
  private readonly crons = new Map<string, CronSubscriber>();
  // What each service put in, so removing it touches only its own entries.
  private readonly byService = new Map<
    string,
    { logs: LogKey[]; blockIntervals: { chain: string; key: string }[]; crons: string[] }
  >();
  private readonly managers = new Map<string, LogKey>();
  private changes = 0;

  /** Bumped on every change; a reader compares it to see whether its snapshot is stale. */
  get version(): number {
    return this.changes;
  }

  /** Replace the workflows of a service (pass an empty map to remove them). */
  setService(serviceId: string, workflows: ReadonlyMap<string, Trigger>): void {
    this.removeWorkflows(serviceId);
    const mine = {
      logs: [] as LogKey[],
      blockIntervals: [] as { chain: string; key: string }[],
      crons: [] as string[],
    };
    for (const [workflowId, trigger] of workflows) {
      switch (trigger.type) {
        case "evm_contract_event": {
          const key = {
            chain: trigger.chain,
            address: trigger.address.toLowerCase(),
            topic0: trigger.event_hash.toLowerCase(),
          };
          this.addLog(key, { kind: "workflow", serviceId, workflowId, trigger });
          mine.logs.push(key);
          break;
        }
        case "cosmos_contract_event": {
          const key = {
            chain: trigger.chain,
            address: trigger.address.toLowerCase(),
            topic0: cosmosEventKey(trigger.event_type),
          };
          this.addLog(key, { kind: "workflow", serviceId, workflowId, trigger });
          mine.logs.push(key);
          break;
        }
        case "block_interval": {
          const key = `${serviceId}/${workflowId}`;
          this.chain(trigger.chain).blockIntervals.set(key, { serviceId, workflowId, trigger });
          mine.blockIntervals.push({ chain: trigger.chain, key });
          break;
        }
        case "cron": {
          const key = `${serviceId}/${workflowId}`;
          this.crons.set(key, { serviceId, workflowId, trigger });
          mine.crons.push(key);
          break;
        }
        default:
          // manual is fired by hand; the other kinds are not watched by this module.
          break;
      }
    }
    if (mine.logs.length + mine.blockIntervals.length + mine.crons.length > 0) {
      this.byService.set(serviceId, mine);
    }
    this.changes++;
  }

  /**
   * Watch a service's manager for its URI-updated event (replacing an earlier watch):
   * `ServiceURIUpdated(string)` on EVM, `wavs-service-uri-updated` on Cosmos.
   */
  watchManager(serviceId: string, chain: string, address: string): void {
    this.unwatchManager(serviceId);
    const topic0 = chain.startsWith("cosmos:")
      ? cosmosEventKey(COSMOS_SERVICE_URI_UPDATED)
      : SERVICE_URI_UPDATED_TOPIC;
    const key = { chain, address: address.toLowerCase(), topic0 };
    this.addLog(key, { kind: "manager", serviceId });
    this.managers.set(serviceId, key);
    this.changes++;
  }

  /** Stop watching a service's manager. */
  unwatchManager(serviceId: string): void {
    const key = this.managers.get(serviceId);
    if (!key) return;
    this.managers.delete(serviceId);
    this.removeLog(key, (s) => s.kind === "manager" && s.serviceId === serviceId);
    this.changes++;
  }

  /** Remove everything of a service: workflows and manager watch. */
  removeService(serviceId: string): void {
    this.removeWorkflows(serviceId);
    this.unwatchManager(serviceId);
    this.changes++;
  }

  /**
   * Subscribers of a log; address and topic0 in any case. Lowercase input (what the RPC layer
   * produces) takes the fast path: no string is built per lookup.
   */
  lookupLog(chain: string, address: string, topic0: string): readonly LogSubscriber[] {
    const logs = this.chains.get(chain)?.logs;
    if (logs === undefined) return NONE;
    let byAddress = logs.get(address);
    if (byAddress === undefined) {
      const lower = address.toLowerCase();
      if (lower === address) return NONE;
      byAddress = logs.get(lower);
      if (byAddress === undefined) return NONE;
    }
    const hit = byAddress.get(topic0);
    if (hit !== undefined) return hit;
    const lower = topic0.toLowerCase();
    return lower === topic0 ? NONE : (byAddress.get(lower) ?? NONE);
  }

  /** Addresses and topic0s with subscribers on a chain (cached until the next change). */
  logFilter(chain: string): LogFilterLists {
    const entry = this.chains.get(chain);
    if (entry === undefined) return { addresses: [], topic0s: [] };
    if (entry.filter === undefined) {
      const topics = new Set<string>();
      for (const byTopic of entry.logs.values()) for (const t of byTopic.keys()) topics.add(t);
      entry.filter = { addresses: [...entry.logs.keys()], topic0s: [...topics] };
    }
    return entry.filter;
  }

  /** Block-interval workflows of a chain. */
  blockIntervals(chain: string): BlockIntervalSubscriber[] {
    return [...(this.chains.get(chain)?.blockIntervals.values() ?? [])];
  }

  /** Every cron workflow. */
  cronSubscribers(): CronSubscriber[] {
    return [...this.crons.values()];
  }

  /** Chains that have any log or block-interval subscriber. */
  chainKeys(): string[] {
    return [...this.chains.keys()];
  }

  private chain(key: string): ChainEntry {
    let entry = this.chains.get(key);
    if (entry === undefined) {
      entry = { logs: new Map(), blockIntervals: new Map(), filter: undefined };
      this.chains.set(key, entry);
    }
    return entry;
  }

  private addLog(key: LogKey, subscriber: LogSubscriber): void {
    const entry = this.chain(key.chain);
    let byTopic = entry.logs.get(key.address);
    if (byTopic === undefined) {
      byTopic = new Map();
      entry.logs.set(key.address, byTopic);
    }
    byTopic.set(key.topic0, [...(byTopic.get(key.topic0) ?? NONE), subscriber]);
    entry.filter = undefined;
  }

  private removeLog(key: LogKey, match: (s: LogSubscriber) => boolean): void {
    const entry = this.chains.get(key.chain);
    const byTopic = entry?.logs.get(key.address);
    const list = byTopic?.get(key.topic0);
    if (!entry || !byTopic || !list) return;
    const rest = list.filter((s) => !match(s));
    if (rest.length > 0) byTopic.set(key.topic0, rest);
    else byTopic.delete(key.topic0);
    if (byTopic.size === 0) entry.logs.delete(key.address);
    entry.filter = undefined;
    this.dropIfEmpty(key.chain, entry);
  }

  private removeWorkflows(serviceId: string): void {
    const mine = this.byService.get(serviceId);
    if (!mine) return;
    this.byService.delete(serviceId);
    for (const key of mine.logs) {
      this.removeLog(key, (s) => s.kind === "workflow" && s.serviceId === serviceId);
    }
    for (const { chain, key } of mine.blockIntervals) {
      const entry = this.chains.get(chain);
      entry?.blockIntervals.delete(key);
      if (entry) this.dropIfEmpty(chain, entry);
    }
    for (const key of mine.crons) this.crons.delete(key);
  }

  private dropIfEmpty(chain: string, entry: ChainEntry): void {
    if (entry.logs.size === 0 && entry.blockIntervals.size === 0) this.chains.delete(chain);
  }
}

/**
 * Micro-benchmark of log matching: registers `n` contract-event triggers (one per service,
 * distinct addresses) and times lookups, half hits and half misses.
 */
export function benchTriggerLookup(n: number, durationMs = 300): { lookupsPerSecond: number } {
  const index = new TriggerIndex();
  const hex = (i: number, width: number) => i.toString(16).padStart(width, "0");
  const topics = [0, 1, 2, 3].map((t) => `0x${hex(t + 0xabc, 64)}`);
  const addresses: string[] = [];
  for (let i = 0; i < n; i++) {
    const address = `0x${hex(i * 2654435761, 40)}`;
    addresses.push(address);
    const trigger: Trigger = {
      type: "evm_contract_event",
      address: address as `0x${string}`,
      chain: "evm:1",
      event_hash: topics[i % topics.length] as `0x${string}`,
    };
    index.setService(hex(i, 64), new Map([["default", trigger]]));
  }
  // Queries as the RPC layer hands them over (lowercase, fresh strings): half hits, half
  // unknown addresses, and every eighth one in checksum-like upper case (the slow path).
  const queries: { address: string; topic0: string }[] = [];
  for (let i = 0; i < 4096; i++) {
    const k = (i * 7919) % Math.max(1, n);
    const known = i % 2 === 0;
    const address = known ? (addresses[k] as string) : `0x${hex(i + 0xdead0000, 40)}`;
    const cased = i % 8 === 0 ? `0x${address.slice(2).toUpperCase()}` : address;
    queries.push({
      address: JSON.parse(JSON.stringify(cased)) as string,
      topic0: JSON.parse(JSON.stringify(topics[k % topics.length])) as string,
    });
  }
  let lookups = 0;
  let hits = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < durationMs) {
    for (const q of queries) hits += index.lookupLog("evm:1", q.address, q.topic0).length;
    lookups += queries.length;
    elapsed = performance.now() - start;
  }
  if (n > 0 && hits === 0) throw new Error("benchmark lookups matched nothing");
  return { lookupsPerSecond: Math.round((lookups / elapsed) * 1000) };
}
