/**
 * What a peer's message must pass before the aggregator sees it, and before gossipsub relays
 * it: the sender's token bucket (floods are dropped unparsed), the size cap, the JSON shape,
 * the topic/service match, the verdict cache (one judgement per message id, shared by gossip
 * and catch-up), and only then the aggregator's own checks.
 */
import { type Message, TopicValidatorResult } from "@libp2p/gossipsub";
import type { PeerId } from "@libp2p/interface";
import type { Logger } from "../internal/index.js";
import { errorMessage } from "../internal/index.js";
import { FLOOD_PENALTY, toValidatorResult } from "./gossip-scoring.js";
import { decodeLanding, serviceIdOfLandingTopic } from "./landing-wire.js";
import type { P2pNodeOptions, P2pTuning } from "./p2p-api.js";
import type { MessageResult, MessageSource, P2pMetrics } from "./p2p-metrics.js";
import { decodePresence, serviceIdOfPresenceTopic } from "./presence-wire.js";
import type { PeerRateLimiter } from "./rate-limit.js";
import type { RecentMessages, Verdict, VerdictCache } from "./recent.js";
import { decodeSubmission, type GossipSubmission, messageIdOf, serviceIdOfTopic } from "./wire.js";

/** What the judge is given by the node. */
export interface MessageJudgeDeps {
  /** The services this node is subscribed to. */
  services: ReadonlySet<string>;
  tuning: P2pTuning;
  onSubmission: P2pNodeOptions["onSubmission"];
  onLanding: P2pNodeOptions["onLanding"];
  onPresence: P2pNodeOptions["onPresence"];
  limiter: PeerRateLimiter;
  verdicts: VerdictCache;
  recent: RecentMessages;
  log: Logger;
  metrics: P2pMetrics | undefined;
  /** Add a behaviour penalty to a peer's gossipsub score. */
  penalise(peer: string, amount: number): void;
}

/** See the module comment. */
export class MessageJudge {
  private readonly judging = new Map<string, Promise<Verdict>>();

  constructor(private readonly deps: MessageJudgeDeps) {}

  /** The landings topic's validator (see `validateClaim`). */
  validateLanding(peer: PeerId, msg: Message): Promise<TopicValidatorResult> {
    return this.validateClaim(peer, msg, {
      kind: "landing",
      serviceIdOf: serviceIdOfLandingTopic,
      decode: (bytes) => {
        const d = decodeLanding(bytes);
        return d.ok ? { ok: true, value: d.landing } : d;
      },
      judge: this.deps.onLanding,
    });
  }

  /** The presence topic's validator (see `validateClaim`). */
  validatePresence(peer: PeerId, msg: Message): Promise<TopicValidatorResult> {
    return this.validateClaim(peer, msg, {
      kind: "presence",
      serviceIdOf: serviceIdOfPresenceTopic,
      decode: (bytes) => {
        const d = decodePresence(bytes);
        return d.ok ? { ok: true, value: d.presence } : d;
      },
      judge: this.deps.onPresence,
    });
  }

  /**
   * A validator of a signed claim about a service (a landing, a presence): the same flood limit
   * as submissions, the shape, the topic/service match, one judgement per message, then the
   * aggregator's checks.
   */
  private async validateClaim<T extends { service_id: string }>(
    peer: PeerId,
    msg: Message,
    claim: {
      kind: string;
      serviceIdOf(topic: string): string | undefined;
      decode(bytes: Uint8Array): { ok: true; value: T } | { ok: false; detail: string };
      judge: ((value: T, from: string) => Promise<Verdict>) | undefined;
    },
  ): Promise<TopicValidatorResult> {
    const from = peer.toString();
    const serviceId = claim.serviceIdOf(msg.topic);
    if (serviceId === undefined || !this.deps.services.has(serviceId))
      return TopicValidatorResult.Ignore;
    if (!this.deps.limiter.take(from)) {
      this.deps.penalise(from, FLOOD_PENALTY);
      return TopicValidatorResult.Ignore;
    }
    const decoded = claim.decode(msg.data);
    if (!decoded.ok || decoded.value.service_id !== serviceId) {
      this.deps.log.debug(
        { peer: from, detail: decoded.ok ? "wrong topic" : decoded.detail },
        `bad ${claim.kind}`,
      );
      return TopicValidatorResult.Reject;
    }
    const id = messageIdOf(msg.data);
    const known = this.deps.verdicts.get(id);
    if (known !== undefined) return toValidatorResult(known);
    let verdict: Verdict = "ignore";
    try {
      verdict = (await claim.judge?.(decoded.value, from)) ?? "ignore";
    } catch (err) {
      this.deps.log.warn({ peer: from, err: errorMessage(err) }, `${claim.kind} validator failed`);
    }
    this.deps.verdicts.set(id, verdict);
    return toValidatorResult(verdict);
  }

  /** The topic validator: runs before gossipsub delivers or relays anything. */
  async validateGossip(peer: PeerId, msg: Message): Promise<TopicValidatorResult> {
    const from = peer.toString();
    const serviceId = serviceIdOfTopic(msg.topic);
    if (serviceId === undefined || !this.deps.services.has(serviceId)) {
      this.count("gossip", "wrong_topic");
      return TopicValidatorResult.Ignore;
    }
    // Floods are dropped before any parsing. Ignore (not Reject) so that honest peers
    // relaying the same message later are not blamed; the flooder gets a behaviour penalty.
    if (!this.deps.limiter.take(from)) {
      this.deps.penalise(from, FLOOD_PENALTY);
      this.count("gossip", "rate_limited");
      return TopicValidatorResult.Ignore;
    }
    const verdict = await this.judge(msg.data, from, "gossip", (id) => id === serviceId);
    return toValidatorResult(verdict);
  }

  /**
   * Decode, check and (once per message id) ask the aggregator. Shared by gossip and
   * catch-up so both paths apply the same rules. `expected` says which services the
   * sender may send here (the topic's, or those asked for in catch-up).
   */
  async judge(
    bytes: Uint8Array,
    from: string,
    source: MessageSource,
    expected: (serviceId: string) => boolean,
  ): Promise<Verdict> {
    const decoded = decodeSubmission(bytes, this.deps.tuning.maxMessageBytes);
    if (!decoded.ok) {
      this.count(source, decoded.reason === "oversized" ? "oversized" : "malformed");
      this.deps.log.debug(
        { peer: from, reason: decoded.reason, detail: decoded.detail },
        "bad message",
      );
      return "reject";
    }
    const serviceId = decoded.submission.service_id;
    if (!expected(serviceId)) {
      this.count(source, "wrong_topic");
      return "reject";
    }
    // Unsubscribed while the message was in flight: not the sender's fault.
    if (!this.deps.services.has(serviceId)) return "ignore";
    const id = messageIdOf(bytes);
    const known = this.deps.verdicts.get(id) ?? this.judging.get(id);
    if (known !== undefined) {
      this.count(source, "duplicate");
      return known;
    }
    const pending = this.ask(decoded.submission, from, decoded.traceparent);
    // The same message may arrive by gossip and catch-up at once: one validator call.
    this.judging.set(id, pending);
    let verdict: Verdict;
    try {
      verdict = await pending;
    } finally {
      this.judging.delete(id);
    }
    this.deps.verdicts.set(id, verdict);
    if (verdict === "accept") this.deps.recent.add(serviceId, id, bytes);
    this.count(source, verdict);
    return verdict;
  }

  private async ask(
    submission: GossipSubmission,
    from: string,
    traceparent: string | undefined,
  ): Promise<Verdict> {
    try {
      const answer = await this.deps.onSubmission(submission, from, { traceparent });
      return answer === "accept" || answer === "reject" ? answer : "ignore";
    } catch (err) {
      // A failing validator is our problem, not the peer's: drop without penalty.
      this.deps.log.warn({ peer: from, err: errorMessage(err) }, "submission validator failed");
      return "ignore";
    }
  }

  private count(source: MessageSource, result: MessageResult): void {
    this.deps.metrics?.messagesTotal.inc({ source, result });
  }
}
