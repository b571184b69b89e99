/**
 * The triggers subsystem: one watcher per configured chain (EVM or Cosmos), the cron scheduler, and the
 * index of which workflows listen to what. The node tells it which workflows each service
 * has (`setWorkflows`) and receives `TriggerEvent`s; resolving `onEvent` is the
 * acknowledgement that lets cursors move on.
 */
import {
  type CosmosChainConfig,
  chainConfig,
  cosmosChainKeys,
  type EvmChainConfig,
  evmChainKeys,
  type WavsConfig,
} from "../config/index.js";
import type { Logger } from "../internal/index.js";
import { WavsError } from "../internal/index.js";
import type { ServiceManager, Trigger } from "../service/index.js";
import type { Db } from "../store/index.js";
import { CursorStore } from "../store/index.js";
import { BlockIntervalAnchors } from "./block-interval.js";
import type { ChainWatcher, ChainWatcherStatus, HeadListener } from "./chain-follower.js";
import { CosmosChainWatcher } from "./cosmos-chain-watcher.js";
import { cosmosRpcFor } from "./cosmos-rpc.js";
import { CronScheduler, compileCronSchedule } from "./cron-trigger.js";
import { DEFAULT_MAX_LOG_RANGE, EvmChainWatcher } from "./evm-chain-watcher.js";
import { createEvmRpc, type EvmRpcOptions } from "./evm-rpc.js";
import type {
  ServiceUriUpdatedHandler,
  TriggerEvent,
  TriggerEventHandler,
} from "./trigger-event.js";
import { TriggerIndex } from "./trigger-index.js";

/** Options of `createTriggerManager`. */
export interface TriggerManagerOptions {
  db: Db;
  logger: Logger;
  config: WavsConfig;
  /** Receives every trigger event; resolve once it is durably recorded. */
  onEvent: TriggerEventHandler;
  /** Receives `ServiceURIUpdated` of watched service managers (awaited like onEvent). */
  onServiceUriUpdated?: ServiceUriUpdatedHandler | undefined;
  /** Told of each new head a chain watcher learns of. */
  onHead?: HeadListener | undefined;
  /** Largest block range per pass and per eth_getLogs call (default 1000). */
  maxLogRange?: number | undefined;
  /** Missed cron ticks fired per workflow after downtime (default 100). */
  cronCatchUpLimit?: number | undefined;
  /** Tuning of the RPC layer (retries, timeouts, request hook). */
  rpc?:
    | Pick<
        EvmRpcOptions,
        "maxAttempts" | "initialBackoffMs" | "maxBackoffMs" | "requestTimeoutMs" | "onRequest"
      >
    | undefined;
}

/** `/health` form of a chain's state. */
export type ChainHealth = "healthy" | { unhealthy: { error: string } };

/** The triggers subsystem. */
export interface TriggerManager {
  /** Start watching every configured chain and the cron schedules (catching up first). */
  start(): Promise<void>;
  /** Stop; resolves once the events being handed over have been. */
  stop(): Promise<void>;
  /**
   * Replace a service's workflows. A paused service (`active: false`) fires nothing; its cron
   * schedules restart from the time it is resumed. Throws WAVS_ERR_CHAIN_UNKNOWN for a chain
   * that is not configured and WAVS_ERR_SERVICE_INVALID for a bad cron schedule, changing
   * nothing. Call it for every stored service before `start()` so the first catch-up
   * includes them.
   */
  setWorkflows(serviceId: string, workflows: ReadonlyMap<string, Trigger>, active: boolean): void;
  /** Watch a chain added to the config while running (no-op before start: start watches it). */
  addChain(chain: string): void;
  /** Forget a service: its triggers, manager watch, anchors and cron ticks. */
  removeService(serviceId: string): void;
  /** Watch a service's manager for its URI updates (`ServiceURIUpdated` / `wavs-service-uri-updated`). */
  watchServiceManager(serviceId: string, manager: ServiceManager): void;
  /** Per-chain watcher state. */
  chainStatus(): Record<string, ChainWatcherStatus>;
  /** Per-chain state in the form of GET /health. */
  chainHealth(): Record<string, ChainHealth>;
}

interface ServiceEntry {
  workflows: ReadonlyMap<string, Trigger>;
  active: boolean;
}

function evmChain(config: WavsConfig, chain: string, where: string): EvmChainConfig {
  const entry = chain.startsWith("evm:")
    ? chainConfig(config, chain as `evm:${string}`)
    : undefined;
  if (entry === undefined) {
    throw new WavsError("WAVS_ERR_CHAIN_UNKNOWN", `${where}: chain '${chain}' is not configured`, {
      details: { chain, configured: evmChainKeys(config) },
      hint: `Add [default.chains.evm.${chain.slice(chain.indexOf(":") + 1)}] with ws_endpoints or http_endpoint to wavs.toml.`,
    });
  }
  return entry;
}

/** A configured Cosmos chain the triggers can read (it has a CometBFT RPC endpoint). */
function cosmosChain(config: WavsConfig, chain: string, where: string): CosmosChainConfig {
  const id = chain.slice(chain.indexOf(":") + 1);
  const entry = chain.startsWith("cosmos:")
    ? chainConfig(config, chain as `cosmos:${string}`)
    : undefined;
  if (entry === undefined) {
    throw new WavsError("WAVS_ERR_CHAIN_UNKNOWN", `${where}: chain '${chain}' is not configured`, {
      details: { chain, configured: cosmosChainKeys(config) },
      hint: `Add [default.chains.cosmos.${id}] with bech32_prefix, rpc_endpoint, gas_price and gas_denom to wavs.toml.`,
    });
  }
  if (entry.rpc_endpoint === undefined) {
    throw new WavsError(
      "WAVS_ERR_CONFIG_INVALID",
      `${where}: chain '${chain}' has no rpc_endpoint`,
      {
        details: { chain },
        hint: `Triggers read Cosmos blocks over CometBFT RPC: set rpc_endpoint in [default.chains.cosmos.${id}].`,
      },
    );
  }
  return entry;
}

/** The configured chain of a trigger or manager, EVM or Cosmos. */
function watchedChain(config: WavsConfig, chain: string, where: string): void {
  if (chain.startsWith("cosmos:")) cosmosChain(config, chain, where);
  else evmChain(config, chain, where);
}

/** Whether this module fires the trigger (manual ones are fired by hand, and count as handled). */
function isWatched(trigger: Trigger): boolean {
  switch (trigger.type) {
    case "evm_contract_event":
    case "cosmos_contract_event":
    case "block_interval":
    case "cron":
    case "manual":
      return true;
    default:
      return false;
  }
}

/** Create the triggers subsystem. */
export function createTriggerManager(options: TriggerManagerOptions): TriggerManager {
  const { db, config } = options;
  const logger = options.logger.child({ subsystem: "triggers" });
  const store = new CursorStore(db);
  const index = new TriggerIndex();
  const anchors = new BlockIntervalAnchors(store);
  const services = new Map<string, ServiceEntry>();
  const watchers = new Map<string, ChainWatcher>();
  // RPC clients to close on stop
  const closers: (() => void)[] = [];
  let started = false;

  // Drop what was computed before a service was paused, changed or removed.
  const deliver = async (event: TriggerEvent): Promise<void> => {
    const entry = services.get(event.serviceId);
    if (!entry?.active || entry.workflows.get(event.workflowId) !== event.trigger) return;
    await options.onEvent(event);
  };

  const cron = new CronScheduler({
    store,
    logger,
    catchUpLimit: options.cronCatchUpLimit,
    emit: (subscriber, tickMs) =>
      deliver({
        serviceId: subscriber.serviceId,
        workflowId: subscriber.workflowId,
        trigger: subscriber.trigger,
        data: { type: "cron", trigger_time: BigInt(tickMs) * 1_000_000n },
      }),
  });

  const validate = (workflows: ReadonlyMap<string, Trigger>) => {
    for (const [workflowId, trigger] of workflows) {
      const where = `workflow '${workflowId}'`;
      if (trigger.type === "evm_contract_event") {
        evmChain(config, trigger.chain, where);
      } else if (trigger.type === "cosmos_contract_event") {
        cosmosChain(config, trigger.chain, where);
      } else if (trigger.type === "block_interval") {
        watchedChain(config, trigger.chain, where);
      } else if (trigger.type === "cron") {
        compileCronSchedule(trigger.schedule, where);
      }
    }
  };

  // what every watcher shares: the stores, the index, and where events go
  const shared = () => ({
    store,
    index,
    anchors,
    logger,
    onEvent: deliver,
    onServiceUriUpdated: options.onServiceUriUpdated,
    onHead: options.onHead,
  });

  /** The watcher of a configured Cosmos chain (none without CometBFT RPC: warned). */
  const cosmosWatcher = (chain: string): ChainWatcher | undefined => {
    const chainCfg = chainConfig(config, chain as `cosmos:${string}`);
    if (chainCfg?.rpc_endpoint === undefined) {
      logger.warn({ chain }, "Cosmos chain without rpc_endpoint: its triggers cannot be watched");
      return undefined;
    }
    const rpc = cosmosRpcFor(chain, chainCfg, { logger, ...options.rpc });
    closers.push(() => rpc.close());
    return new CosmosChainWatcher({
      chain,
      rpc,
      ...shared(),
      pollIntervalMs: chainCfg.poll_interval_ms,
      maxBlockRange: chainCfg.max_block_range,
    });
  };

  /** The watcher of a configured EVM chain. */
  const evmWatcher = (chain: string): ChainWatcher => {
    const chainCfg = evmChain(config, chain, "chains");
    // WebSocket first: a call over the open socket costs a fraction of an HTTP request's CPU
    // (here ~0.15 ms against ~0.5 - 1 ms, on both sides); HTTP takes over when sockets fail
    const endpoints = [
      ...chainCfg.ws_endpoints,
      ...(chainCfg.http_endpoint === undefined ? [] : [chainCfg.http_endpoint]),
    ];
    const rpc = createEvmRpc({ chain, endpoints, logger, ...options.rpc });
    closers.push(() => rpc.close());
    return new EvmChainWatcher({
      chain,
      config: chainCfg,
      rpc,
      ...shared(),
      // an explicit option (tests) wins over the chain's configured range
      maxLogRange: options.maxLogRange ?? chainCfg.max_log_range ?? DEFAULT_MAX_LOG_RANGE,
    });
  };

  /** Start watching a configured chain. */
  const watch = (chain: string) => {
    const watcher = chain.startsWith("cosmos:") ? cosmosWatcher(chain) : evmWatcher(chain);
    if (watcher === undefined) return;
    watchers.set(chain, watcher);
    watcher.start();
  };

  return {
    async start() {
      if (started) return;
      started = true;
      for (const chain of [...evmChainKeys(config), ...cosmosChainKeys(config)]) watch(chain);
      cron.start();
    },

    addChain(chain) {
      // a chain added to the config of a running node (POST /dev/chains)
      if (started && !watchers.has(chain)) watch(chain);
    },

    async stop() {
      if (!started) return;
      started = false;
      const stopping = [cron.stop(), ...[...watchers.values()].map((w) => w.stop())];
      // Closing the clients cuts requests in flight short, so stopping does not wait for
      // timeouts or backoff; the watchers already know they are stopping.
      for (const close of closers) close();
      await Promise.all(stopping);
      closers.length = 0;
      watchers.clear();
    },

    setWorkflows(serviceId, workflows, active) {
      validate(workflows);
      const previous = services.get(serviceId);
      const snapshot = new Map(workflows);
      for (const [workflowId, old] of previous?.workflows ?? []) {
        const now = snapshot.get(workflowId);
        if (old.type === "cron" && now?.type !== "cron") {
          cron.remove(serviceId, workflowId);
          store.deleteCronTick(serviceId, workflowId);
        }
        if (old.type === "block_interval" && now?.type !== "block_interval") {
          anchors.forget(serviceId, workflowId);
        }
      }
      services.set(serviceId, { workflows: snapshot, active });
      index.setService(serviceId, active ? snapshot : new Map());
      for (const [workflowId, trigger] of snapshot) {
        if (trigger.type !== "cron") continue;
        if (active) {
          cron.set({ serviceId, workflowId, trigger });
        } else {
          // Ticks of a pause are not caught up: resuming starts from the time of resuming.
          cron.remove(serviceId, workflowId);
          store.deleteCronTick(serviceId, workflowId);
        }
      }
      const unwatched = [...snapshot]
        .filter(([, t]) => !isWatched(t))
        .map(([w, t]) => `${w} (${t.type})`);
      if (unwatched.length > 0) {
        logger.warn({ serviceId, unwatched }, "these triggers are not watched by this node");
      }
      for (const watcher of watchers.values()) watcher.poke();
    },

    removeService(serviceId) {
      const previous = services.get(serviceId);
      for (const [workflowId, trigger] of previous?.workflows ?? []) {
        if (trigger.type === "cron") cron.remove(serviceId, workflowId);
      }
      services.delete(serviceId);
      index.removeService(serviceId);
      anchors.forgetService(serviceId);
      store.forgetService(serviceId);
    },

    watchServiceManager(serviceId, manager) {
      watchedChain(config, manager.chain, "service manager");
      index.watchManager(serviceId, manager.chain, manager.address);
    },

    chainStatus() {
      const out: Record<string, ChainWatcherStatus> = {};
      for (const [chain, watcher] of watchers) out[chain] = watcher.status();
      return out;
    },

    chainHealth() {
      const out: Record<string, ChainHealth> = {};
      for (const [chain, watcher] of watchers) {
        const s = watcher.status();
        out[chain] = s.healthy ? "healthy" : { unhealthy: { error: s.error ?? "unknown" } };
      }
      return out;
    },
  };
}
