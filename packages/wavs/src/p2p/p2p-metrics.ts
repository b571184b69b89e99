/** Prometheus counters of the gossip layer, registered on the node's own registry. */
import { Counter, type Registry } from "prom-client";
import { METRIC_PREFIX } from "../metrics/index.js";

/** Where a peer's message came from. */
export type MessageSource = "gossip" | "catchup";

/** What happened to a message from a peer. */
export type MessageResult =
  | "accept"
  | "reject"
  | "ignore"
  | "duplicate"
  | "rate_limited"
  | "oversized"
  | "malformed"
  | "wrong_topic";

/** Counters of the p2p layer. */
export class P2pMetrics {
  /** Messages received from peers, by source and result. */
  readonly messagesTotal: Counter<"source" | "result">;
  /** Submissions this node published. */
  readonly publishedTotal: Counter;
  /** Connections closed because the peer had another one (see one-connection-per-peer.ts). */
  readonly duplicateConnectionsClosedTotal: Counter;

  constructor(registry: Registry) {
    // A second P2pMetrics on the same registry (a restarted node in one process) reuses them.
    this.messagesTotal =
      (registry.getSingleMetric(`${METRIC_PREFIX}p2p_messages_total`) as
        | Counter<"source" | "result">
        | undefined) ??
      new Counter({
        name: `${METRIC_PREFIX}p2p_messages_total`,
        help: "Submissions received from peers, by source (gossip, catchup) and result.",
        labelNames: ["source", "result"],
        registers: [registry],
      });
    this.publishedTotal =
      (registry.getSingleMetric(`${METRIC_PREFIX}p2p_published_total`) as Counter | undefined) ??
      new Counter({
        name: `${METRIC_PREFIX}p2p_published_total`,
        help: "Submissions this node published to its peers.",
        registers: [registry],
      });
    this.duplicateConnectionsClosedTotal =
      (registry.getSingleMetric(`${METRIC_PREFIX}p2p_duplicate_connections_closed_total`) as
        | Counter
        | undefined) ??
      new Counter({
        name: `${METRIC_PREFIX}p2p_duplicate_connections_closed_total`,
        help: "Connections to a peer closed because both ends had dialed (one is kept).",
        registers: [registry],
      });
  }
}
