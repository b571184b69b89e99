/**
 * Gossip of signed submissions between the operators of a service (js-libp2p: TCP, noise,
 * yamux, gossipsub; mDNS in local mode, a bootstrap list in remote mode).
 *
 * What arrives from a peer passes, in order: the gossipsub frame limit, the sender's token
 * bucket, the size cap, the JSON shape, the topic/service match, the verdict cache, and only
 * then `onSubmission` (the aggregator: known service, signature, envelope). Gossipsub relays
 * a message only after that validator said "accept". See docs/p2p.md.
 *
 * Over 400 lines on purpose: the libp2p node's lifecycle (start, topics, peers, bootstrap,
 * publishing) in one place; validation is message-judge.ts, catch-up catchup-exchange.ts.
 */
// Must come first: libp2p needs Promise.withResolvers, missing on Node 20.
import "./node20-compat.js";
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { type GossipSub, gossipsub, type Message } from "@libp2p/gossipsub";
import { type Identify, identify } from "@libp2p/identify";
import type { Libp2p, PeerInfo } from "@libp2p/interface";
import { mdns } from "@libp2p/mdns";
import { peerIdFromString } from "@libp2p/peer-id";
import { tcp } from "@libp2p/tcp";
import type { Multiaddr } from "@multiformats/multiaddr";
import { createLibp2p } from "libp2p";
import type { WavsConfig } from "../config/index.js";
import { isServiceId, type ServiceId } from "../ids/index.js";
import type { Logger } from "../internal/index.js";
import { errorMessage, WavsError } from "../internal/index.js";
import { CATCHUP_PROTOCOL } from "./catchup.js";
import { CatchupExchange } from "./catchup-exchange.js";
import { DisabledP2pNode } from "./disabled-p2p-node.js";
import { GossipKeeper } from "./gossip-keeper.js";
import {
  gossipLinkOf,
  hasOutboundStream,
  internalsOf,
  SUBMISSION_TOPIC_SCORE,
} from "./gossip-scoring.js";
import { encodeLanding, type GossipLanding, landingTopicForService } from "./landing-wire.js";
import { MessageJudge } from "./message-judge.js";
import { listenAddr, parseBootstrapAddr, peerIdOfAddr } from "./multiaddrs.js";
import { OneConnectionPerPeer } from "./one-connection-per-peer.js";
import type {
  P2pNode,
  P2pNodeOptions,
  P2pStatus,
  P2pTuning,
  PeerIdString,
  PublishOutcome,
} from "./p2p-api.js";
import { DEFAULT_P2P_TUNING } from "./p2p-api.js";
import { P2pMetrics } from "./p2p-metrics.js";
import { loadOrCreatePeerKey } from "./peer-key.js";
import { PresenceAnnouncer } from "./presence-announcer.js";
import { presenceTopicForService, serviceIdOfPresenceTopic } from "./presence-wire.js";
import { PeerRateLimiter } from "./rate-limit.js";
import { RecentMessages, VerdictCache } from "./recent.js";
import { type MeshPubsub, RelaySkip } from "./relay-skip.js";
import {
  decodeSubmission,
  encodeSubmission,
  messageIdBytes,
  messageIdOf,
  messageIdToString,
  type OutgoingSubmission,
  serviceIdOfTopic,
  topicForService,
} from "./wire.js";

/** Create the p2p layer for a config: a no-op one when p2p is disabled. */
export function createP2pNode(options: P2pNodeOptions): P2pNode {
  if (options.config.type === "disabled") return new DisabledP2pNode();
  return new GossipP2pNode(options, options.config);
}

type Services = { identify: Identify; pubsub: GossipSub };

/** How often expired verdicts, rate-limit buckets and recent messages are dropped. */
const SWEEP_INTERVAL_MS = 30_000;
/** Peers joining a presence topic within this window get one announcement of ours. */
const PRESENCE_COALESCE_MS = 100;

/** The gossipsub topics of a service: submissions, landings, presences. */
function topicsOf(serviceId: string): [string, string, string] {
  const id = serviceId as ServiceId;
  return [topicForService(id), landingTopicForService(id), presenceTopicForService(id)];
}

/** The libp2p implementation. */
class GossipP2pNode implements P2pNode {
  readonly enabled = true;
  private readonly tuning: P2pTuning;
  private readonly log: Logger;
  private readonly metrics: P2pMetrics | undefined;
  private readonly services = new Set<string>();
  private readonly limiter: PeerRateLimiter;
  private readonly catchupLimiter: PeerRateLimiter;
  private readonly recent: RecentMessages;
  private readonly verdicts: VerdictCache;
  private readonly judge: MessageJudge;
  private readonly catchup: CatchupExchange;
  private readonly presence: PresenceAnnouncer;
  private readonly bootstrap: Multiaddr[];
  /** Peer id learned by dialing a bootstrap address that did not name one. */
  private readonly bootstrapPeerIds = new Map<string, string>();
  private node: Libp2p<Services> | undefined;
  private dedupe: OneConnectionPerPeer | undefined;
  private keeper: GossipKeeper | undefined;
  private relays: RelaySkip | undefined;
  private starting: Promise<void> | undefined;
  private timers: NodeJS.Timeout[] = [];
  private dialing = false;

  constructor(
    private readonly options: P2pNodeOptions,
    private readonly mode: Exclude<WavsConfig["p2p"], { type: "disabled" }>,
  ) {
    this.tuning = { ...DEFAULT_P2P_TUNING, ...options.tuning };
    this.log = options.logger.child({ subsystem: "p2p" });
    this.metrics =
      options.metrics === undefined ? undefined : new P2pMetrics(options.metrics.registry);
    this.limiter = new PeerRateLimiter(this.tuning.rateLimit);
    this.catchupLimiter = new PeerRateLimiter(this.tuning.catchupRequestLimit);
    this.recent = new RecentMessages(this.tuning.recent);
    // Verdicts outlive the catch-up window so a message served late is still recognised.
    this.verdicts = new VerdictCache(
      Math.max(10_000, this.tuning.recent.maxPerService * 20),
      this.tuning.recent.windowMs * 2,
    );
    this.bootstrap = mode.type === "remote" ? mode.bootstrap_nodes.map(parseBootstrapAddr) : [];
    const penalise = (peer: string, amount: number) => this.penalise(peer, amount);
    this.judge = new MessageJudge({
      services: this.services,
      tuning: this.tuning,
      onSubmission: options.onSubmission,
      onLanding: options.onLanding,
      onPresence: options.onPresence,
      limiter: this.limiter,
      verdicts: this.verdicts,
      recent: this.recent,
      log: this.log,
      metrics: this.metrics,
      penalise,
    });
    this.presence = new PresenceAnnouncer({
      services: this.services,
      sign: options.presence,
      publish: (topic, bytes) => this.publishOwn(topic, bytes),
      firstRepeatMs: this.tuning.presenceFirstRepeatMs,
      intervalMs: this.tuning.presenceIntervalMs,
      coalesceMs: PRESENCE_COALESCE_MS,
      log: this.log,
    });
    this.catchup = new CatchupExchange({
      node: () => this.node,
      services: this.services,
      tuning: this.tuning,
      judge: this.judge,
      recent: this.recent,
      catchupLimiter: this.catchupLimiter,
      log: this.log,
      penalise,
    });
  }

  /** Create the libp2p node, listen, join the subscribed topics and dial bootstrap peers. */
  async start(): Promise<void> {
    if (this.node !== undefined) return;
    this.starting ??= this.doStart().finally(() => {
      this.starting = undefined;
    });
    await this.starting;
  }

  private async doStart(): Promise<void> {
    const privateKey = await loadOrCreatePeerKey(this.options.peerKeyPath);
    const t = this.tuning;
    const node = await createLibp2p<Services>({
      privateKey,
      start: false,
      addresses: { listen: [listenAddr(t.listenHost, this.mode.listen_port)] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      peerDiscovery: this.mode.type === "local" ? [mdns({ interval: t.mdnsIntervalMs })] : [],
      services: {
        identify: identify(),
        pubsub: gossipsub({
          heartbeatInterval: t.heartbeatIntervalMs,
          emitSelf: false,
          // Unsigned gossip: every submission carries its operator's own signature, checked
          // before anything is relayed, so a libp2p signature per message (signed by the
          // sender, verified by every receiver) added CPU and no trust.
          globalSignaturePolicy: "StrictNoSign",
          // Our own submission goes to our aggregator directly; no peers yet is not an error.
          allowPublishToZeroTopicPeers: true,
          ignoreDuplicatePublishError: true,
          // Content ids (see wire.ts messageIdOf): must match messageIdOf(bytes).
          msgIdFn: (msg: Message) => messageIdBytes(msg.data),
          msgIdToStrFn: messageIdToString,
          // Frames far beyond the cap are cut at the stream decoder, before any parsing.
          maxInboundDataLength: t.maxMessageBytes + 64 * 1024,
          // No IDONTWANT: a receiver sends one to its other mesh peers when a message arrives,
          // but they got it from the publisher at the same moment and relay it before the
          // IDONTWANT is read. Counted under load (3 operators): it stopped 3.6 % of relays and
          // was itself as many messages as the relays, each framed, encrypted and multiplexed.
          idontwantMinDataSize: Number.MAX_SAFE_INTEGER,
          scoreParams: {
            behaviourPenaltyWeight: -10,
            behaviourPenaltyThreshold: 0,
            behaviourPenaltyDecay: 0.9,
            decayInterval: 1000,
            decayToZero: 0.01,
          },
        }),
      },
    });
    await node.handle(
      CATCHUP_PROTOCOL,
      (stream, connection) => this.catchup.serve(stream, connection),
      {
        maxInboundStreams: 4,
        maxOutboundStreams: 16,
      },
    );
    // Catch up when a peer's subscriptions reach us. Gossipsub sends them on its outbound
    // stream as soon as that opens, and anything the peer published before then could not
    // reach us but is already in its recent store: asking now closes that gap exactly.
    node.services.pubsub.addEventListener("subscription-change", (event) => {
      const wanted = event.detail.subscriptions.flatMap((s) => {
        const serviceId = s.subscribe ? serviceIdOfTopic(s.topic) : undefined;
        return serviceId !== undefined && this.services.has(serviceId) ? [serviceId] : [];
      });
      if (wanted.length > 0) void this.catchup.catchUpFrom(event.detail.peerId, wanted);
      // a peer joined a service's presence topic: tell it we run the service too
      for (const s of event.detail.subscriptions) {
        const serviceId = s.subscribe ? serviceIdOfPresenceTopic(s.topic) : undefined;
        if (serviceId !== undefined && this.services.has(serviceId)) this.presence.soon(serviceId);
      }
    });
    node.addEventListener("peer:discovery", (event) => this.onDiscovery(event.detail));
    const dedupe = new OneConnectionPerPeer({
      node,
      identify: (connection) => node.services.identify.identify(connection),
      hasGossipStream: (peer) => hasOutboundStream(node.services.pubsub, peer),
      log: this.log,
      onClosed: (count) => this.metrics?.duplicateConnectionsClosedTotal.inc(count),
    });
    dedupe.start();
    this.dedupe = dedupe;
    const keeper = new GossipKeeper({
      node,
      protocols: node.services.pubsub.protocols,
      link: (peer) => gossipLinkOf(node.services.pubsub, peer),
      identify: (connection) => node.services.identify.identify(connection),
      intervalMs: t.gossipCheckIntervalMs,
      log: this.log,
      onRepair: (kind) => this.metrics?.gossipRepairsTotal.inc({ kind }),
    });
    this.keeper = keeper;
    node.addEventListener("peer:connect", (event) =>
      this.log.debug({ peer: event.detail.toString() }, "peer connected"),
    );
    node.addEventListener("peer:disconnect", (event) =>
      this.log.debug({ peer: event.detail.toString() }, "peer disconnected"),
    );
    try {
      await node.start();
    } catch (err) {
      await Promise.resolve(node.stop()).catch(() => {});
      throw new WavsError(
        "WAVS_ERR_P2P_LISTEN_FAILED",
        `p2p could not start: ${errorMessage(err)}`,
        {
          details: { listen: listenAddr(t.listenHost, this.mode.listen_port) },
          hint: "Pick a free p2p listen_port, or stop the other process using it.",
          cause: err,
        },
      );
    }
    this.node = node;
    for (const serviceId of this.services) this.join(node, serviceId);
    keeper.start();
    if (t.skipKnownRelays) {
      const relays = new RelaySkip({
        node,
        // the implementation's mesh and relay hook are not in its public interface
        pubsub: node.services.pubsub as unknown as MeshPubsub,
        log: this.log,
        onCount: (kind, n) =>
          kind === "skipped"
            ? this.metrics?.relaysSkippedTotal.inc(n)
            : this.metrics?.relaysMadeUpTotal.inc(n),
      });
      await relays.start();
      this.relays = relays;
    }
    this.timers = [
      setInterval(() => this.sweep(), SWEEP_INTERVAL_MS),
      ...(this.bootstrap.length > 0
        ? [setInterval(() => void this.dialBootstrap(), t.reconnectIntervalMs)]
        : []),
    ];
    for (const timer of this.timers) timer.unref();
    void this.dialBootstrap();
    this.log.info(
      {
        peer_id: node.peerId.toString(),
        mode: this.mode.type,
        listen: node.getMultiaddrs().map((a) => a.toString()),
      },
      "p2p started",
    );
  }

  /** Stop libp2p and the timers; messages kept for catch-up are kept for a restart. */
  async stop(): Promise<void> {
    await this.starting?.catch(() => {});
    const node = this.node;
    if (node === undefined) return;
    this.node = undefined;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.presence.stop();
    this.dedupe?.stop();
    this.dedupe = undefined;
    this.keeper?.stop();
    this.keeper = undefined;
    await this.relays?.stop();
    this.relays = undefined;
    await node.stop();
    this.log.info("p2p stopped");
  }

  /** Join the topic of a service and ask the peers on it for its recent submissions. */
  subscribe(serviceId: string): void {
    if (!isServiceId(serviceId)) {
      throw new WavsError(
        "WAVS_ERR_INPUT_INVALID",
        `not a service id: ${String(serviceId).slice(0, 80)}`,
      );
    }
    if (this.services.has(serviceId)) return;
    this.services.add(serviceId);
    const node = this.node;
    if (node === undefined) return;
    this.join(node, serviceId);
  }

  /** Leave the topics of a service. */
  unsubscribe(serviceId: string): void {
    if (!this.services.delete(serviceId)) return;
    this.recent.dropService(serviceId);
    this.presence.left(serviceId);
    const node = this.node;
    if (node === undefined) return;
    for (const topic of topicsOf(serviceId)) {
      node.services.pubsub.unsubscribe(topic);
      node.services.pubsub.topicValidators.delete(topic);
      const internals = internalsOf(node.services.pubsub);
      if (internals !== undefined) delete internals.score.params.topics[topic];
    }
  }

  /** Publish a landing announcement of ours on the service's landings topic. */
  async publishLanding(serviceId: string, landing: GossipLanding): Promise<PublishOutcome> {
    const node = this.node;
    if (node === undefined) {
      throw new WavsError("WAVS_ERR_P2P_NOT_RUNNING", "p2p is not started", {
        hint: "Call start() first.",
      });
    }
    return this.publishOwn(landingTopicForService(serviceId), encodeLanding(landing), node);
  }

  /** Publish a message of ours (judged accepted already, so a copy relayed back is not judged). */
  private async publishOwn(
    topic: string,
    bytes: Uint8Array,
    node = this.node,
  ): Promise<PublishOutcome> {
    if (node === undefined) return { recipients: 0 };
    this.verdicts.set(messageIdOf(bytes), "accept");
    const result = await node.services.pubsub.publish(topic, bytes);
    return { recipients: result.recipients.length };
  }

  /** Publish our own submission; it is also kept for peers that catch up later. */
  async publish(
    serviceId: string,
    message: OutgoingSubmission,
    traceparent?: string,
  ): Promise<PublishOutcome> {
    const node = this.node;
    if (node === undefined) {
      throw new WavsError("WAVS_ERR_P2P_NOT_RUNNING", "p2p is not started", {
        hint: "Call start() first.",
      });
    }
    if (message.service_id !== serviceId) {
      throw new WavsError(
        "WAVS_ERR_INTERNAL",
        `submission of service ${message.service_id} published on service ${serviceId}`,
      );
    }
    let bytes: Uint8Array;
    try {
      bytes = encodeSubmission(message, this.tuning.maxMessageBytes, traceparent);
    } catch (err) {
      throw new WavsError("WAVS_ERR_P2P_MESSAGE_TOO_LARGE", errorMessage(err), {
        details: { service_id: serviceId, event_id: message.event_id },
        hint: "The payload is too large to gossip; operators of this service cannot aggregate it.",
      });
    }
    // Peers reject (and penalise us for) a malformed message: check ours the way they will.
    const check = decodeSubmission(bytes, this.tuning.maxMessageBytes);
    if (!check.ok) {
      throw new WavsError("WAVS_ERR_INTERNAL", `refusing to gossip a malformed submission`, {
        details: { service_id: serviceId, reason: check.reason, detail: check.detail },
      });
    }
    const id = messageIdOf(bytes);
    // Our own message: never validated by us, and served to peers catching up.
    this.verdicts.set(id, "accept");
    this.recent.add(serviceId, id, bytes);
    const result = await node.services.pubsub.publish(topicForService(serviceId), bytes);
    this.metrics?.publishedTotal.inc();
    return { recipients: result.recipients.length };
  }

  /** Current identity, addresses, peers and topics. */
  status(): P2pStatus {
    const node = this.node;
    if (node === undefined) {
      return {
        enabled: true,
        peer_id: null,
        listen_addresses: [],
        connected_peers: [],
        gossip_links: {},
        topics: [...this.services].map((service_id) => ({
          service_id,
          topic: topicForService(service_id),
          peers: 0,
        })),
      };
    }
    const peers = node.getPeers().map((p) => p.toString());
    return {
      enabled: true,
      peer_id: node.peerId.toString(),
      listen_addresses: node.getMultiaddrs().map((a) => a.toString()),
      connected_peers: peers,
      gossip_links: Object.fromEntries(
        peers.map((p) => [p, gossipLinkOf(node.services.pubsub, p) ?? null]),
      ),
      topics: [...this.services].map((service_id) => {
        const topic = topicForService(service_id);
        return { service_id, topic, peers: node.services.pubsub.getSubscribers(topic).length };
      }),
    };
  }

  /**
   * Subscribe on gossipsub with our validators and scoring for the service's three topics; ask
   * the peers already on it for its recent submissions (those we learn of later trigger catch-up
   * through their subscription, see doStart) and tell them we are here.
   */
  private join(node: Libp2p<Services>, serviceId: string): void {
    const pubsub = node.services.pubsub;
    const internals = internalsOf(pubsub);
    const [submissions, landings, presences] = topicsOf(serviceId);
    const topics = [
      { topic: submissions, validate: this.judge.validateGossip },
      { topic: landings, validate: this.judge.validateLanding },
      { topic: presences, validate: this.judge.validatePresence },
    ];
    for (const { topic, validate } of topics) {
      if (internals !== undefined)
        internals.score.params.topics[topic] = { ...SUBMISSION_TOPIC_SCORE };
      pubsub.topicValidators.set(topic, (peer, msg) => validate.call(this.judge, peer, msg));
      pubsub.subscribe(topic);
    }
    for (const peer of pubsub.getSubscribers(submissions)) {
      void this.catchup.catchUpFrom(peer, [serviceId]);
    }
    if (pubsub.getSubscribers(presences).length > 0) this.presence.soon(serviceId);
    this.presence.joined(serviceId);
  }

  /** Dial the bootstrap addresses we are not connected to (remote mode; runs periodically). */
  private async dialBootstrap(): Promise<void> {
    const node = this.node;
    if (node === undefined || this.dialing) return;
    this.dialing = true;
    try {
      const self = node.peerId.toString();
      await Promise.all(
        this.bootstrap.map(async (addr) => {
          const key = addr.toString();
          let peer = peerIdOfAddr(addr) ?? this.bootstrapPeerIds.get(key);
          if (peer === undefined) {
            // connected already, by its own dial? Then a dial of ours would only open a second
            // connection, closed at once (one-connection-per-peer.ts), and fail, again and again
            peer = await this.connectedPeerListeningAt(node, key);
            if (peer !== undefined) this.bootstrapPeerIds.set(key, peer);
          }
          if (peer === self) return;
          if (peer !== undefined && node.getConnections(peerIdFromString(peer)).length > 0) return;
          try {
            const connection = await node.dial(addr, {
              signal: AbortSignal.timeout(Math.max(1000, this.tuning.reconnectIntervalMs)),
            });
            this.bootstrapPeerIds.set(key, connection.remotePeer.toString());
          } catch (err) {
            this.log.debug({ addr: key, err: errorMessage(err) }, "bootstrap dial failed");
          }
        }),
      );
    } finally {
      this.dialing = false;
    }
  }

  /** The connected peer whose listen addresses (as identify told them) include `addr`. */
  private async connectedPeerListeningAt(
    node: Libp2p<Services>,
    addr: string,
  ): Promise<string | undefined> {
    for (const peer of node.getPeers()) {
      const known = await node.peerStore.get(peer).catch(() => undefined);
      if (known?.addresses.some((a) => a.multiaddr.toString().split("/p2p/")[0] === addr)) {
        return peer.toString();
      }
    }
    return undefined;
  }

  /** Local mode: mDNS found a peer; dial it unless already connected. */
  private onDiscovery(peer: PeerInfo): void {
    const node = this.node;
    if (node === undefined || node.getConnections(peer.id).length > 0) return;
    node.dial(peer.id).catch((err: unknown) => {
      this.log.debug(
        { peer: peer.id.toString(), err: errorMessage(err) },
        "discovered peer dial failed",
      );
    });
  }

  private penalise(peer: string, amount: number): void {
    const node = this.node;
    if (node === undefined) return;
    internalsOf(node.services.pubsub)?.score.addPenalty(peer, amount, "wavs_p2p");
  }

  private sweep(): void {
    this.limiter.sweep();
    this.catchupLimiter.sweep();
    this.recent.sweep();
    this.verdicts.sweep();
  }

  /** Gossipsub score of a connected peer (tests and diagnostics). */
  peerScore(peer: PeerIdString): number | undefined {
    const node = this.node;
    return node === undefined ? undefined : internalsOf(node.services.pubsub)?.score.score(peer);
  }
}
