/**
 * The p2p layer as the node sees it: the interface both implementations keep (gossip and
 * disabled), what it reports, its tuning and its options.
 */
import type { WavsConfig } from "../config/index.js";
import type { Logger } from "../internal/index.js";
import type { Metrics } from "../metrics/index.js";
import type { GossipLanding } from "./landing-wire.js";
import type { GossipPresence } from "./presence-wire.js";
import type { RateLimit } from "./rate-limit.js";
import type { RecentLimits, Verdict } from "./recent.js";
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  type GossipSubmission,
  type OutgoingSubmission,
} from "./wire.js";

/** A libp2p peer id in its string form (`12D3KooW...`). */
export type PeerIdString = string;

/** The aggregator's answer on a submission from a peer. */
export type SubmissionVerdict = Verdict;

/**
 * Called once per distinct submission from a peer, before it is relayed. "accept": valid and
 * taken (it is relayed and served to peers catching up); "reject": provably bad (forged
 * signature, envelope that does not match; the sender is penalised); "ignore": cannot be
 * judged or not wanted now (unknown service, already burned; dropped without penalty).
 */
export type SubmissionValidator = (
  message: GossipSubmission,
  from: PeerIdString,
  /** The sender's trace context (W3C traceparent), when it sent one. */
  context?: { traceparent: string | undefined },
) => Promise<SubmissionVerdict>;

/** One subscribed topic in the status. */
export interface P2pTopicStatus {
  service_id: string;
  topic: string;
  /** Connected peers known to be subscribed to the topic. */
  peers: number;
}

/** What GET /p2p/status reports. */
export interface P2pStatus {
  enabled: boolean;
  peer_id: PeerIdString | null;
  listen_addresses: string[];
  connected_peers: PeerIdString[];
  /**
   * Ours: per connected peer, what gossipsub holds: the peer (`known`), and streams that can
   * still carry gossip each way; null when this gossipsub version's tables cannot be read. A
   * peer connected but not linked both ways hears us, or we it, no more (the gossip keeper
   * repairs it within three checks).
   */
  gossip_links: Record<
    PeerIdString,
    { known: boolean; outbound: boolean; inbound: boolean } | null
  >;
  topics: P2pTopicStatus[];
}

/** Result of a publish. */
export interface PublishOutcome {
  /** Peers the message was sent to directly (0 when no peer is subscribed yet). */
  recipients: number;
}

/** The gossip layer as the node uses it. */
export interface P2pNode {
  /** False for the disabled (no-op) implementation. */
  readonly enabled: boolean;
  /** Start listening, dialing and gossiping. */
  start(): Promise<void>;
  /** Stop everything; start() may be called again afterwards. */
  stop(): Promise<void>;
  /** Join the topic of a service (idempotent); catches up from peers on that topic. */
  subscribe(serviceId: string): void;
  /** Leave the topic of a service (idempotent) and forget its recent messages. */
  unsubscribe(serviceId: string): void;
  /** Share our own signed submission with the peers of the service. */
  /** `traceparent` (W3C) travels beside the submission so peers' spans can link to ours. */
  publish(
    serviceId: string,
    message: OutgoingSubmission,
    traceparent?: string,
  ): Promise<PublishOutcome>;
  /** Tell the peers of the service which transaction this node sent for a result. */
  publishLanding(serviceId: string, landing: GossipLanding): Promise<PublishOutcome>;
  /** Status for GET /p2p/status. */
  status(): P2pStatus;
}

/** Knobs with production defaults; tests shorten the timers. */
export interface P2pTuning {
  /** Address to listen on: "0.0.0.0" (default) or "127.0.0.1". */
  listenHost: string;
  /** Cap on one encoded submission. */
  maxMessageBytes: number;
  /** Per-peer limit on gossip messages reaching validation. */
  rateLimit: RateLimit;
  /** What is kept for catch-up. */
  recent: RecentLimits;
  /** Gossipsub heartbeat (mesh maintenance, gossip emission). */
  heartbeatIntervalMs: number;
  /** How often bootstrap peers we are not connected to are dialed again (remote mode). */
  reconnectIntervalMs: number;
  /** mDNS query interval (local mode). */
  mdnsIntervalMs: number;
  /** How often connected peers are checked for gossip streams both ways (gossip-keeper.ts). */
  gossipCheckIntervalMs: number;
  /** Catch-up: time limit of one exchange and the most one response may carry. */
  catchup: { timeoutMs: number; maxResponseBytes: number; maxResponseMessages: number };
  /** Per-peer limit on catch-up requests we serve. */
  catchupRequestLimit: RateLimit;
  /** This node re-announces its presence on a service's topic this long after joining it, then twice as long each time ... */
  presenceFirstRepeatMs: number;
  /** ... up to this interval. */
  presenceIntervalMs: number;
  /** Tell peers our gossip mesh and skip relays a peer already made (relay-skip.ts). */
  skipKnownRelays: boolean;
}

/** Production defaults. */
export const DEFAULT_P2P_TUNING: P2pTuning = {
  listenHost: "0.0.0.0",
  maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
  rateLimit: { perSecond: 100, burst: 200 },
  recent: { maxPerService: 1000, windowMs: 10 * 60_000 },
  heartbeatIntervalMs: 1000,
  reconnectIntervalMs: 5000,
  mdnsIntervalMs: 10_000,
  gossipCheckIntervalMs: 5000,
  catchup: { timeoutMs: 15_000, maxResponseBytes: 32 * 1024 * 1024, maxResponseMessages: 10_000 },
  catchupRequestLimit: { perSecond: 0.5, burst: 8 },
  presenceFirstRepeatMs: 1000,
  presenceIntervalMs: 10 * 60_000,
  skipKnownRelays: true,
};

/** Options of createP2pNode. */
export interface P2pNodeOptions {
  config: WavsConfig["p2p"];
  logger: Logger;
  /** File holding the libp2p private key (in the data dir); created on first start. */
  peerKeyPath: string;
  onSubmission: SubmissionValidator;
  /** Judges a peer's landing announcement (default: ignored). */
  onLanding?: (landing: GossipLanding, from: PeerIdString) => Promise<SubmissionVerdict>;
  /** Judges a peer's presence (default: ignored). */
  onPresence?: (presence: GossipPresence, from: PeerIdString) => Promise<SubmissionVerdict>;
  /** This node's presence for a service, signed now (none: this node does not announce itself). */
  presence?: (serviceId: string) => Promise<GossipPresence | undefined>;
  /** Overrides of DEFAULT_P2P_TUNING. */
  tuning?: Partial<P2pTuning>;
  /** The node's metrics; p2p counters are added to its registry. */
  metrics?: Metrics;
}
