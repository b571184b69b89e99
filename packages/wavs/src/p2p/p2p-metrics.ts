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
  /** Connected peers whose gossip streams were found missing and restored (gossip-keeper.ts). */
  readonly gossipRepairsTotal: Counter<"kind">;
  /** Relays not made because the peer a message came from had sent it on (relay-skip.ts). */
  readonly relaysSkippedTotal: Counter;
  /** Skipped relays sent after all, once the peer's word turned out stale. */
  readonly relaysMadeUpTotal: Counter;

  constructor(registry: Registry) {
    this.messagesTotal = counterOn(
      registry,
      "p2p_messages_total",
      "Submissions received from peers, by source (gossip, catchup) and result.",
      ["source", "result"],
    );
    this.publishedTotal = counterOn(
      registry,
      "p2p_published_total",
      "Submissions this node published to its peers.",
    );
    this.duplicateConnectionsClosedTotal = counterOn(
      registry,
      "p2p_duplicate_connections_closed_total",
      "Connections to a peer closed because both ends had dialed (one is kept).",
    );
    this.gossipRepairsTotal = counterOn(
      registry,
      "p2p_gossip_repairs_total",
      "Connected peers found without gossip streams, by repair: identify (streams reopened) or reconnect (connection reset).",
      ["kind"],
    );
    this.relaysSkippedTotal = counterOn(
      registry,
      "p2p_relays_skipped_total",
      "Gossip relays not made: the peer the message came from said it had sent it to that peer.",
    );
    this.relaysMadeUpTotal = counterOn(
      registry,
      "p2p_relays_made_up_total",
      "Skipped gossip relays sent after all: the peer's word turned out stale (it lost that peer).",
    );
  }
}

/**
 * The counter `name` of the registry, made when it has none: a second P2pMetrics on the same
 * registry (a restarted node in one process) reuses the first one's counters.
 */
function counterOn<L extends string = never>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[] = [],
): Counter<L> {
  const full = `${METRIC_PREFIX}${name}`;
  return (
    (registry.getSingleMetric(full) as Counter<L> | undefined) ??
    new Counter({ name: full, help, labelNames, registers: [registry] })
  );
}
