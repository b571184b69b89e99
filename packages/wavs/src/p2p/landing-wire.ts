/**
 * The gossip wire format of a landing announcement (aggregator/landing-announcement.ts): UTF-8
 * JSON `{"version": 1, "landing": {...}}` on the topic `wavs/landings/<service_id>`. A topic of
 * its own, so nodes that only know submissions are not subscribed to it and never judge (or
 * penalise) these messages. Decoding never throws: it says why bytes were refused.
 */
import { z } from "zod";
import { isServiceId, type ServiceId } from "../ids/index.js";
import { isChainKey } from "../service/index.js";
import { type DecodeFailure, decodeVersioned, WIRE_VERSION } from "./wire.js";

/** Prefix of the gossipsub topic of a service's landings. */
export const LANDING_TOPIC_PREFIX = "wavs/landings/";

/** Longest `tx_raw` carried (hex characters, 0x included): transactions up to ~16 KiB. */
export const MAX_LANDING_RAW_HEX = 32 * 1024;

/** Largest encoded landing message: a few hundred bytes, and the signed transaction if carried. */
export const MAX_LANDING_BYTES = 4096 + MAX_LANDING_RAW_HEX;

/** A landing announcement as it travels (checked shape; still a claim). */
export interface GossipLanding {
  service_id: ServiceId;
  event_id: string;
  chain: string;
  handler: string;
  tx_hash: string;
  signer: string;
  signature: string;
  /** The signed transaction (EVM), whose hash is `tx_hash`; optional. */
  tx_raw?: string | undefined;
}

/** A zod string of `0x` and `n` bytes of hex. */
export const hexOfBytes = (n: number) =>
  z.string().regex(new RegExp(`^0x[0-9a-fA-F]{${2 * n}}$`), `expected 0x and ${n} bytes of hex`);

/** A handler on either chain family: 0x and 20 bytes (EVM), or a bech32 address (Cosmos). */
const handlerAddress = z
  .string()
  .regex(
    /^(0x[0-9a-fA-F]{40}|[a-z0-9]{1,83}1[02-9ac-hj-np-z]{38,90})$/,
    "expected 0x and 20 bytes of hex, or a bech32 address",
  );
/** A transaction hash: 0x and 32 bytes (EVM), or 64 upper-case hex characters (CometBFT). */
const txHash = z
  .string()
  .regex(
    /^(0x[0-9a-fA-F]{64}|[0-9A-F]{64})$/,
    "expected 0x and 32 bytes of hex, or 64 upper-case hex characters",
  );

const LandingSchema = z.object({
  service_id: z.string().refine(isServiceId, "expected 64 lowercase hex characters"),
  event_id: hexOfBytes(20),
  chain: z.string().refine(isChainKey, "expected a chain key (namespace:id)"),
  handler: handlerAddress,
  tx_hash: txHash,
  signer: hexOfBytes(20),
  signature: hexOfBytes(65),
  tx_raw: z
    .string()
    .max(MAX_LANDING_RAW_HEX)
    .regex(/^0x(?:[0-9a-fA-F]{2})+$/, "expected 0x and whole bytes of hex")
    .optional(),
});

/** Result of decoding a landing message from a peer. */
export type LandingDecodeResult =
  | { ok: true; landing: GossipLanding }
  | { ok: false; reason: DecodeFailure; detail: string };

/**
 * Encode a landing announcement for the wire; a signed transaction longer than
 * {@link MAX_LANDING_RAW_HEX} is left out (receivers then look the transaction up).
 */
export function encodeLanding(landing: GossipLanding): Uint8Array {
  const { tx_raw, ...rest } = landing;
  const fits = tx_raw !== undefined && tx_raw.length <= MAX_LANDING_RAW_HEX ? { tx_raw } : {};
  return new TextEncoder().encode(
    JSON.stringify({ version: WIRE_VERSION, landing: { ...rest, ...fits } }),
  );
}

/** Decode and check a landing message; never throws. */
export function decodeLanding(bytes: Uint8Array): LandingDecodeResult {
  const decoded = decodeVersioned(bytes, MAX_LANDING_BYTES, "landing", LandingSchema);
  return decoded.ok ? { ok: true, landing: decoded.value as GossipLanding } : decoded;
}

/** The landings topic of a service. */
export function landingTopicForService(serviceId: ServiceId): string {
  return `${LANDING_TOPIC_PREFIX}${serviceId}`;
}

/** The service id of a landings topic, or undefined for any other topic. */
export function serviceIdOfLandingTopic(topic: string): ServiceId | undefined {
  return serviceIdAfter(LANDING_TOPIC_PREFIX, topic);
}

/** The service id after `prefix` in a topic, or undefined when the topic has another prefix. */
export function serviceIdAfter(prefix: string, topic: string): ServiceId | undefined {
  if (!topic.startsWith(prefix)) return undefined;
  const id = topic.slice(prefix.length);
  return isServiceId(id) ? id : undefined;
}
