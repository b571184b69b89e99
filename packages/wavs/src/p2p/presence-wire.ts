/**
 * The gossip wire format of an operator's presence (aggregator/operator-presence.ts): UTF-8
 * JSON `{"version": 1, "presence": {...}}` on the topic `wavs/presence/<service_id>`. A topic
 * of its own, like landings, so nodes that do not know it never judge (or penalise) these
 * messages. Decoding never throws: it says why bytes were refused.
 */
import { z } from "zod";
import { isServiceId, type ServiceId } from "../ids/index.js";
import { hexOfBytes, serviceIdAfter } from "./landing-wire.js";
import { type DecodeFailure, decodeVersioned, WIRE_VERSION } from "./wire.js";

/** Prefix of the gossipsub topic of a service's presences. */
export const PRESENCE_TOPIC_PREFIX = "wavs/presence/";

/** Largest encoded presence message; they are about 300 bytes. */
export const MAX_PRESENCE_BYTES = 1024;

/** A presence as it travels (checked shape; still a claim). */
export interface GossipPresence {
  service_id: ServiceId;
  signer: string;
  /** ms since the epoch. */
  at: number;
  signature: string;
}

const PresenceSchema = z.object({
  service_id: z.string().refine(isServiceId, "expected 64 lowercase hex characters"),
  signer: hexOfBytes(20),
  at: z.number().int().nonnegative(),
  signature: hexOfBytes(65),
});

/** Result of decoding a presence message from a peer. */
export type PresenceDecodeResult =
  | { ok: true; presence: GossipPresence }
  | { ok: false; reason: DecodeFailure; detail: string };

/** Encode a presence for the wire. */
export function encodePresence(presence: GossipPresence): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ version: WIRE_VERSION, presence }));
}

/** Decode and check a presence message; never throws. */
export function decodePresence(bytes: Uint8Array): PresenceDecodeResult {
  const decoded = decodeVersioned(bytes, MAX_PRESENCE_BYTES, "presence", PresenceSchema);
  return decoded.ok ? { ok: true, presence: decoded.value as GossipPresence } : decoded;
}

/** The presence topic of a service. */
export function presenceTopicForService(serviceId: ServiceId): string {
  return `${PRESENCE_TOPIC_PREFIX}${serviceId}`;
}

/** The service id of a presence topic, or undefined for any other topic. */
export function serviceIdOfPresenceTopic(topic: string): ServiceId | undefined {
  return serviceIdAfter(PRESENCE_TOPIC_PREFIX, topic);
}
