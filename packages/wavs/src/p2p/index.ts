/** The p2p gossip layer of signed submissions (see docs/p2p.md). */
export {
  CATCHUP_PROTOCOL,
  type CatchupRequest,
  decodeCatchupRequest,
  encodeCatchupRequest,
  FrameLimitError,
  type FrameLimits,
  frame,
  readFrames,
} from "./catchup.js";
export { DisabledP2pNode } from "./disabled-p2p-node.js";
export {
  decodeLanding,
  encodeLanding,
  type GossipLanding,
  LANDING_TOPIC_PREFIX,
  landingTopicForService,
} from "./landing-wire.js";
export {
  DEFAULT_P2P_TUNING,
  type P2pNode,
  type P2pNodeOptions,
  type P2pStatus,
  type P2pTopicStatus,
  type P2pTuning,
  type PeerIdString,
  type PublishOutcome,
  type SubmissionValidator,
  type SubmissionVerdict,
} from "./p2p-api.js";
export { type MessageResult, type MessageSource, P2pMetrics } from "./p2p-metrics.js";
export { createP2pNode } from "./p2p-node.js";
export { loadOrCreatePeerKey } from "./peer-key.js";
export { PeerRateLimiter, type RateLimit, TokenBucket } from "./rate-limit.js";
export { type RecentLimits, RecentMessages, type Verdict, VerdictCache } from "./recent.js";
export {
  DEFAULT_MAX_MESSAGE_BYTES,
  type DecodeFailure,
  type DecodeResult,
  decodeSubmission,
  encodeSubmission,
  type GossipSubmission,
  type HexString,
  messageIdBytes,
  messageIdOf,
  messageIdToString,
  type OutgoingSubmission,
  serviceIdOfTopic,
  TOPIC_PREFIX,
  topicForService,
  WIRE_VERSION,
} from "./wire.js";
