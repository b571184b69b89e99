/**
 * Prometheus metrics of the node, served at GET /metrics. Everything lives in one Registry
 * owned by this class (never prom-client's global one), so several nodes in one process
 * (tests, `wavs dev`) keep separate counts.
 */

import type { ErrorCode } from "@wavs-ts/errors";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Prefix of every metric WAVS-TS defines (the default process metrics keep their own names). */
export const METRIC_PREFIX = "wavs_";

// Component runs range from a millisecond (echo) to the 30 s default time limit and beyond.
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Options for `new Metrics()`. */
export interface MetricsOptions {
  /** Also collect prom-client's process metrics (CPU, memory, event loop lag, GC). Default true. */
  defaultMetrics?: boolean;
}

/** Terminal outcome of an execution, as counted. */
export type ExecutionOutcome = "succeeded" | "failed";

type WorkflowLabels = "service_id" | "workflow_id";

/** The node's metrics: counters, histograms and gauges the subsystems update. */
export class Metrics {
  readonly registry = new Registry();
  /** Executions that finished, by outcome. */
  readonly executionsTotal: Counter<WorkflowLabels | "status">;
  /** Wall time of component runs. */
  readonly executionDuration: Histogram<WorkflowLabels>;
  /** Fuel used by finished executions (metered components only). */
  readonly executionFuelTotal: Counter<WorkflowLabels>;
  /** Trigger firings handed to the dispatcher. */
  readonly triggersFiredTotal: Counter<WorkflowLabels | "trigger_type">;
  /** Errors the node reported, by stable code. */
  readonly errorsTotal: Counter<"code">;
  /** Items waiting in each bounded queue of the pipeline. */
  readonly queueDepth: Gauge<"queue">;
  /** Signed submissions produced. */
  readonly submissionsTotal: Counter<WorkflowLabels>;
  /** HTTP API requests answered, by route pattern (never the raw URL: ids would explode cardinality). */
  readonly httpRequestsTotal: Counter<"method" | "route" | "status">;

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    this.executionsTotal = new Counter({
      name: `${METRIC_PREFIX}executions_total`,
      help: "Component executions that finished, by service, workflow and status.",
      labelNames: ["service_id", "workflow_id", "status"],
      registers,
    });
    this.executionDuration = new Histogram({
      name: `${METRIC_PREFIX}execution_duration_seconds`,
      help: "Duration of component executions in seconds.",
      labelNames: ["service_id", "workflow_id"],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.executionFuelTotal = new Counter({
      name: `${METRIC_PREFIX}execution_fuel_total`,
      help: "Fuel used by finished component executions, by service and workflow.",
      labelNames: ["service_id", "workflow_id"],
      registers,
    });
    this.triggersFiredTotal = new Counter({
      name: `${METRIC_PREFIX}triggers_fired_total`,
      help: "Triggers fired, by service, workflow and trigger type.",
      labelNames: ["service_id", "workflow_id", "trigger_type"],
      registers,
    });
    this.errorsTotal = new Counter({
      name: `${METRIC_PREFIX}errors_total`,
      help: "Errors reported by the node, by WAVS error code.",
      labelNames: ["code"],
      registers,
    });
    this.queueDepth = new Gauge({
      name: `${METRIC_PREFIX}queue_depth`,
      help: "Items waiting in each pipeline queue.",
      labelNames: ["queue"],
      registers,
    });
    this.submissionsTotal = new Counter({
      name: `${METRIC_PREFIX}submissions_total`,
      help: "Signed submissions produced, by service and workflow.",
      labelNames: ["service_id", "workflow_id"],
      registers,
    });
    this.httpRequestsTotal = new Counter({
      name: `${METRIC_PREFIX}http_requests_total`,
      help: "HTTP API requests answered, by method, route pattern and status code.",
      labelNames: ["method", "route", "status"],
      registers,
    });
    // the event-loop delay is sampled every 500 ms, not prom-client's 10 ms: a 10 ms timer woke
    // an idle node 100 times a second, most of its idle CPU
    if (options.defaultMetrics ?? true)
      collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 500 });
  }

  /** Record a finished execution: its outcome and how long it ran. */
  executionFinished(e: {
    serviceId: string;
    workflowId: string;
    status: ExecutionOutcome;
    durationSeconds: number;
    fuelUsed?: number | undefined;
  }): void {
    const labels = { service_id: e.serviceId, workflow_id: e.workflowId };
    this.executionsTotal.inc({ ...labels, status: e.status });
    this.executionDuration.observe(labels, e.durationSeconds);
    if (e.fuelUsed !== undefined) this.executionFuelTotal.inc(labels, e.fuelUsed);
  }

  /** Record one trigger firing for a workflow. */
  triggerFired(e: { serviceId: string; workflowId: string; triggerType: string }): void {
    this.triggersFiredTotal.inc({
      service_id: e.serviceId,
      workflow_id: e.workflowId,
      trigger_type: e.triggerType,
    });
  }

  /** Count an error by its stable code. */
  error(code: ErrorCode): void {
    this.errorsTotal.inc({ code });
  }

  /** Set the current depth of a named queue. */
  setQueueDepth(queue: string, depth: number): void {
    this.queueDepth.set({ queue }, depth);
  }

  /** Record one signed submission for a workflow. */
  submission(e: { serviceId: string; workflowId: string }): void {
    this.submissionsTotal.inc({ service_id: e.serviceId, workflow_id: e.workflowId });
  }

  /** Record one answered HTTP request. */
  httpRequest(e: { method: string; route: string; status: number }): void {
    this.httpRequestsTotal.inc({ method: e.method, route: e.route, status: String(e.status) });
  }

  /** Content-Type of `text()`. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in the Prometheus text exposition format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
