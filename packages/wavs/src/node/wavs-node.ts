import { join } from "node:path";
import {
  Aggregator,
  type AggregatorOptions,
  aggregatorOptionsFromConfig,
} from "../aggregator/index.js";
import {
  redactConfig,
  toWitChainConfigs,
  type WavsConfig,
  type WitChainConfigs,
} from "../config/index.js";
import { createHandOver, Dispatcher, type DispatcherLimits } from "../dispatch/index.js";
import { Engine } from "../engine/index.js";
import {
  createHttpServer,
  type HttpAddress,
  type HttpServer,
  httpServerConfig,
} from "../http/index.js";
import type { LogBuffer, Logger, MetricsPush } from "../internal/index.js";
import {
  createEventTrace,
  createMetricsPush,
  deferredTrace,
  ERROR_CODES,
  type ErrorCode,
} from "../internal/index.js";
import { Metrics } from "../metrics/index.js";
import type { P2pNode, P2pTuning } from "../p2p/index.js";
import { ServiceRegistry } from "../registry/index.js";
import type { Service } from "../service/index.js";
import { type Db, ExecutionStore, KvStore, openDatabase, SubmissionStore } from "../store/index.js";
import { createTriggerManager, type TriggerManager } from "../triggers/index.js";
import { createNodeApi } from "./node-api-impl.js";
import { bridgeP2p } from "./p2p-bridge.js";

/** Everything the node is made of, for the API implementation and tests. */
export interface NodeParts {
  config: WavsConfig;
  logger: Logger;
  /** The node's recent log lines (GET /dev/logs), when its logger writes to one. */
  logs: LogBuffer | undefined;
  /** The chains as components see them; POST /dev/chains adds to it. */
  witChains: WitChainConfigs;
  version: string;
  db: Db;
  engine: Engine;
  registry: ServiceRegistry;
  executions: ExecutionStore;
  submissions: SubmissionStore;
  kv: KvStore;
  dispatcher: Dispatcher;
  aggregator: Aggregator;
  p2p: P2pNode;
  triggers: TriggerManager;
  metrics: Metrics;
}

/** The running operator node. */
export interface WavsNode {
  readonly parts: NodeParts;
  /** Start everything; resolves with the HTTP address once it listens. */
  start(): Promise<HttpAddress>;
  /**
   * Stop in reverse order: HTTP, triggers, dispatcher (running executions finish), aggregator,
   * registry, engine, store.
   */
  stop(): Promise<void>;
}

function triggersOf(service: Service) {
  return new Map([...service.workflows].map(([id, w]) => [id, w.trigger] as const));
}

/**
 * Assemble the operator node from its config: store, engine, service registry, dispatcher,
 * triggers and HTTP API. Every piece of state needed to resume lives in the store, so a node
 * killed at any moment picks up where it was on the next start.
 */
export function createWavsNode(options: {
  config: WavsConfig;
  logger: Logger;
  version: string;
  hostEnv?: Record<string, string | undefined>;
  /** Where `logger` also writes, for GET /dev/logs (see internal/log-buffer.ts). */
  logs?: LogBuffer;
  limits?: Partial<DispatcherLimits>;
  /** P2P tuning (listen host, timers); defaults suit production. */
  p2pTuning?: Partial<P2pTuning>;
  /**
   * Aggregator tuning over the config's `aggregator` table (grace period, TTL, transaction
   * manager); for tests.
   */
  aggregator?: Partial<AggregatorOptions>;
}): WavsNode {
  const { config, logger, version } = options;
  const db = openDatabase(join(config.data, "wavs.db"));
  const engine = new Engine({
    dataDir: config.data,
    logger,
    poolSize: config.engine_pool_size,
    maxMemoryMb: config.max_memory_mb,
    maxFuel: config.max_wasm_fuel,
    ...(config.max_execution_seconds === undefined
      ? {}
      : { maxExecutionSeconds: config.max_execution_seconds }),
    hostEnv: options.hostEnv ?? process.env,
  });
  const metrics = new Metrics();
  // spans go nowhere until start() has loaded the exporter (only when an endpoint is set)
  const trace = deferredTrace();
  const registry = new ServiceRegistry({
    db,
    engine,
    logger,
    config,
    mnemonic: config.signing_mnemonic,
    registrationTimeoutMs: config.registration_timeout_ms,
  });
  const executions = new ExecutionStore(db);
  const submissions = new SubmissionStore(db);
  const limits: DispatcherLimits = {
    maxPending: 10_000,
    perServiceConcurrency: config.engine_pool_size * 2,
    concurrency: config.engine_pool_size * 2,
    maxPayloadBytes: 16 << 20,
    ...options.limits,
  };
  const configured = aggregatorOptionsFromConfig(config.aggregator);
  // one object: POST /dev/chains adds a chain for the dispatcher and the aggregator at once
  const witChains = toWitChainConfigs(config);
  const aggregator = new Aggregator(
    { db, engine, registry, config, logger, witChains, trace },
    {
      maxPayloadBytes: limits.maxPayloadBytes,
      ...configured,
      ...options.aggregator,
      tx: { ...configured.tx, ...options.aggregator?.tx },
    },
  );
  const dispatcher = new Dispatcher(
    {
      engine,
      executions,
      logger: logger.child({ subsystem: "dispatcher" }),
      chains: witChains,
      resolve(serviceId, workflowId) {
        const service = registry.get(serviceId)?.service;
        const workflow = service?.workflows.get(workflowId);
        return service && workflow ? { service, workflow } : undefined;
      },
      submit: createHandOver({ registry, submissions, aggregator, metrics, logger, trace }),
      trace,
      onFinished(e) {
        metrics.executionFinished({
          serviceId: e.serviceId,
          workflowId: e.workflowId,
          status: e.status === "succeeded" ? "succeeded" : "failed",
          durationSeconds: e.durationMs / 1000,
          fuelUsed: e.fuelUsed,
        });
        if (e.errorCode && e.errorCode in ERROR_CODES) metrics.error(e.errorCode as ErrorCode);
        metrics.setQueueDepth("executions", dispatcher.depth.queued + dispatcher.depth.running);
      },
    },
    limits,
  );
  const triggers = createTriggerManager({
    db,
    logger,
    config,
    async onEvent(event) {
      metrics.triggerFired({
        serviceId: event.serviceId,
        workflowId: event.workflowId,
        triggerType: event.data.type,
      });
      await dispatcher.enqueue(event);
    },
    onHead: (chain) => aggregator.headSeen(chain),
    onServiceUriUpdated(serviceId) {
      // not awaited: fetching the new definition must not hold up the chain's other events;
      // the registry runs updates of one service one at a time
      registry.update(serviceId).catch((err: unknown) => {
        logger.error(
          { service_id: serviceId, err: (err as Error).message },
          "live service update failed",
        );
      });
    },
  });
  const parts: NodeParts = {
    config,
    logger,
    logs: options.logs,
    witChains,
    version,
    db,
    engine,
    registry,
    executions,
    submissions,
    kv: new KvStore(db),
    dispatcher,
    aggregator,
    triggers,
    metrics,
    p2p: bridgeP2p({
      config,
      logger,
      metrics,
      aggregator,
      registry,
      trace,
      ...(options.p2pTuning ? { tuning: options.p2pTuning } : {}),
    }),
  };

  const follow = (serviceId: string) => {
    const entry = registry.get(serviceId);
    if (!entry) return;
    // watch the manager first: a workflow on an unconfigured chain must not cost live updates
    triggers.watchServiceManager(serviceId, entry.service.manager);
    triggers.setWorkflows(serviceId, triggersOf(entry.service), entry.service.status === "active");
  };
  registry.on("added", follow);
  registry.on("updated", follow);
  registry.on("removed", (serviceId) => triggers.removeService(serviceId));

  let http: HttpServer | undefined;
  let metricsPush: MetricsPush | undefined;
  return {
    parts,
    async start() {
      await registry.start();
      // the operator's address tells its spans and metrics apart from other operators'
      const instance = registry.operatorAddress() ?? `${config.host}:${config.port}`;
      const traceEndpoint = config.otlp_endpoint ?? config.jaeger;
      if (traceEndpoint !== undefined) {
        trace.use(await createEventTrace({ endpoint: traceEndpoint, instance, version, logger }));
      }
      if (config.prometheus !== undefined) {
        metricsPush = createMetricsPush({
          url: config.prometheus,
          instance,
          intervalMs: config.prometheus_push_interval_ms,
          text: () => metrics.text(),
          contentType: metrics.contentType,
          logger,
        });
        metricsPush.start();
      }
      for (const entry of registry.list()) {
        try {
          follow(entry.serviceId);
        } catch (err) {
          // one broken service (say, its chain was removed from the config) must not stop the node
          logger.error(
            { service_id: entry.serviceId, err: (err as Error).message },
            "service triggers not started",
          );
        }
      }
      aggregator.start();
      await parts.p2p.start();
      for (const entry of registry.list()) parts.p2p.subscribe(entry.serviceId);
      dispatcher.start();
      await triggers.start();
      http = createHttpServer({
        api: createNodeApi(parts),
        logger,
        config: httpServerConfig(config),
        redactedConfig: () => redactConfig(config),
        metrics,
        version,
      });
      return http.start();
    },
    async stop() {
      await http?.stop();
      await triggers.stop();
      await dispatcher.stop();
      await parts.p2p.stop();
      await aggregator.stop();
      await registry.stop();
      await engine.stop();
      db.close();
      await metricsPush?.stop();
      await trace.stop();
    },
  };
}
