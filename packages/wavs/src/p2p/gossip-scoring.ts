/**
 * How gossipsub judges peers here: the score parameters of a submissions topic, the penalty
 * for floods and bad catch-up frames, the verdict mapping, and access to the parts the
 * library's public interface leaves out (scores, and whether it has its stream to a peer).
 */
import { type GossipSub, type GossipsubOpts, TopicValidatorResult } from "@libp2p/gossipsub";
import type { GossipLink } from "./gossip-keeper.js";
import type { Verdict } from "./recent.js";

export type TopicScoreParams = NonNullable<GossipsubOpts["scoreParams"]["topics"]>[string];

/**
 * The parts of the gossipsub implementation the public interface leaves out: peer scores (to
 * penalise what the validator alone cannot) and mesh peers (status). Checked at runtime so an
 * upgrade that moves them degrades to "no extra penalty" instead of crashing.
 */
export interface GossipInternals {
  score: {
    params: { topics: Record<string, TopicScoreParams> };
    addPenalty(peer: string, penalty: number, label: string): void;
    score(peer: string): number;
  };
}

/** The scoring internals of `pubsub`, or undefined when a version moved them. */
export function internalsOf(pubsub: GossipSub): GossipInternals | undefined {
  const score = (pubsub as unknown as Partial<GossipInternals>).score;
  return score !== undefined &&
    typeof score.addPenalty === "function" &&
    typeof score.score === "function" &&
    typeof score.params?.topics === "object"
    ? (pubsub as unknown as GossipInternals)
    : undefined;
}

/**
 * Score parameters of a submissions topic. Only P4 (invalid deliveries) counts: traffic per
 * service is low and bursty, so the delivery-rate terms (P2, P3) would punish honest peers
 * of quiet services. Each rejected message costs -10 x count^2 and decays by 10 %/s.
 */
export const SUBMISSION_TOPIC_SCORE: TopicScoreParams = {
  topicWeight: 1,
  timeInMeshWeight: 0,
  timeInMeshQuantum: 1000,
  timeInMeshCap: 1,
  firstMessageDeliveriesWeight: 0,
  firstMessageDeliveriesDecay: 0.5,
  firstMessageDeliveriesCap: 1,
  meshMessageDeliveriesWeight: 0,
  meshMessageDeliveriesDecay: 0.5,
  meshMessageDeliveriesCap: 1,
  meshMessageDeliveriesThreshold: 1,
  meshMessageDeliveriesWindow: 10,
  meshMessageDeliveriesActivation: 5000,
  meshFailurePenaltyWeight: 0,
  meshFailurePenaltyDecay: 0.5,
  invalidMessageDeliveriesWeight: -10,
  invalidMessageDeliveriesDecay: 0.9,
};

/** Behaviour penalty added per message dropped by the rate limit or a bad catch-up frame. */
export const FLOOD_PENALTY = 1;

/** A verdict as gossipsub's validator result. */
export function toValidatorResult(verdict: Verdict): TopicValidatorResult {
  switch (verdict) {
    case "accept":
      return TopicValidatorResult.Accept;
    case "reject":
      return TopicValidatorResult.Reject;
    case "ignore":
      return TopicValidatorResult.Ignore;
  }
}

/** Whether gossipsub has its outbound stream to `peer`; undefined when a version moved it. */
export function hasOutboundStream(pubsub: GossipSub, peer: string): boolean | undefined {
  return gossipLinkOf(pubsub, peer)?.outbound;
}

/**
 * What gossipsub holds for `peer`: whether it knows it, and its streams both ways (everything
 * we publish goes out on one, the peer's messages come in on the other); undefined when a
 * version moved those tables.
 */
export function gossipLinkOf(pubsub: GossipSub, peer: string): GossipLink | undefined {
  const tables = pubsub as unknown as {
    peers?: unknown;
    streamsOutbound?: unknown;
    streamsInbound?: unknown;
  };
  const { peers, streamsOutbound, streamsInbound } = tables;
  if (!(peers instanceof Map && streamsOutbound instanceof Map && streamsInbound instanceof Map))
    return undefined;
  return {
    known: peers.has(peer),
    outbound: liveStream(streamsOutbound.get(peer), "write"),
    inbound: liveStream(streamsInbound.get(peer), "read"),
  };
}

/**
 * Whether a stream gossipsub holds can still carry gossip its way. Gossipsub forgets an
 * outbound stream when it closes, but keeps an inbound one whose peer stopped writing (its
 * connection closed as a duplicate, the peer's end closed): the table then says "linked" while
 * nothing arrives, and the peer's subscriptions, gone with the old stream, never come back. A
 * stream of a shape this does not know counts as live (never act blind).
 */
function liveStream(entry: unknown, end: "read" | "write"): boolean {
  if (entry === undefined) return false;
  const raw = (entry as { rawStream?: unknown }).rawStream as
    | { status?: unknown; readStatus?: unknown; writeStatus?: unknown; remoteWriteStatus?: unknown }
    | undefined;
  if (raw === undefined || typeof raw.status !== "string") return true;
  if (raw.status !== "open") return false;
  return end === "read"
    ? raw.readStatus !== "closed" && raw.remoteWriteStatus !== "closed"
    : raw.writeStatus !== "closed";
}
