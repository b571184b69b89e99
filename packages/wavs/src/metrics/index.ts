/**
 * The node's Prometheus metrics. Apart from `internal/` because prom-client (and the
 * OpenTelemetry API it loads) would otherwise be part of every command's start.
 */
export { METRIC_PREFIX, Metrics } from "./metrics.js";
