/**
 * The gossip wire format of a signed submission: UTF-8 JSON `{"version": 1, "submission":
 * {...}}`, capped in size. Everything here is untrusted input from peers, so decoding never
 * throws: it reports why bytes were refused, and the caller penalises the sender.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { isServiceId, type ServiceId } from "../ids/index.js";
import { parseTraceparent } from "../internal/index.js";
import { isJsonObject, isWorkflowId, type JsonObject, U64_MAX } from "../service/index.js";

/** Version written in every message; a node refuses versions it does not know. */
export const WIRE_VERSION = 1;

/** Default cap on one encoded message (1 MiB); component payloads beyond it are not gossiped. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

/** Prefix of the gossipsub topic of a service: `wavs/submissions/<service_id>`. */
export const TOPIC_PREFIX = "wavs/submissions/";

/**
 * `0x`-prefixed hex text. A plain string (not a template type) so the aggregator's own
 * structurally equal submission type passes without casts; decoding checks the format.
 */
export type HexString = string;

/** A signed submission shared with the other operators of a service (plain JSON). */
export interface GossipSubmission {
  /** The service (64 lowercase hex, no 0x). */
  service_id: ServiceId;
  workflow_id: string;
  /** Event id: 0x + 20 bytes. */
  event_id: HexString;
  /** The envelope that was signed, as in the Solidity struct. */
  envelope: {
    /** 0x + 20 bytes; equal to `event_id`. */
    event_id: HexString;
    /** 0x + 12 bytes. */
    ordering: HexString;
    /** The component's payload, 0x hex. */
    payload: HexString;
  };
  /** 0x + 65 bytes `r || s || v`. */
  signature: HexString;
  /** The address that signed (0x + 20 bytes). */
  signer: HexString;
  /** Trigger data JSON in WAVS's form, as `triggerDataToJson` produces (either form is read). */
  trigger_data: JsonObject;
  /** What the operator component returned. */
  operator_response: {
    payload: HexString;
    /** The component's u64 ordering as a decimal string (JSON numbers lose u64 precision), or null. */
    ordering: string | null;
    /** 0x hex salt, or null when the component gave none. */
    event_id_salt: HexString | null;
  };
}

/** What publish() takes: a submission whose trigger data may be typed loosely by the caller. */
export type OutgoingSubmission = Omit<GossipSubmission, "trigger_data"> & { trigger_data: unknown };

const hexOfBytes = (n: number) =>
  z
    .string()
    .regex(new RegExp(`^0x[0-9a-fA-F]{${2 * n}}$`), `expected 0x and ${n} bytes of hex`)
    .transform((s): HexString => s);
const hexAny = z.string().regex(/^0x(?:[0-9a-fA-F]{2})*$/, "expected 0x-prefixed hex bytes");
const u64Decimal = z
  .string()
  .regex(/^(?:0|[1-9][0-9]{0,19})$/, "expected a decimal u64")
  .refine((s) => BigInt(s) <= U64_MAX, "expected a decimal u64");

const SubmissionSchema = z.object({
  service_id: z.string().refine(isServiceId, "expected 64 lowercase hex characters"),
  workflow_id: z.string().refine(isWorkflowId, "expected a workflow id"),
  event_id: hexOfBytes(20),
  envelope: z.object({
    event_id: hexOfBytes(20),
    ordering: hexOfBytes(12),
    payload: hexAny,
  }),
  signature: hexOfBytes(65),
  signer: hexOfBytes(20),
  trigger_data: z.custom<JsonObject>((v) => isJsonObject(v), "expected a JSON object"),
  operator_response: z.object({
    payload: hexAny,
    ordering: u64Decimal.nullable(),
    event_id_salt: hexAny.nullable(),
  }),
});

/** Why bytes from a peer were refused. */
export type DecodeFailure = "oversized" | "malformed" | "unknown_version";

/** Result of decoding bytes from a peer. */
export type DecodeResult =
  | { ok: true; submission: GossipSubmission; traceparent: string | undefined }
  | { ok: false; reason: DecodeFailure; detail: string };

/** Encode a submission for the wire; throws if it is larger than `maxBytes`. */
export function encodeSubmission(
  submission: OutgoingSubmission,
  maxBytes = DEFAULT_MAX_MESSAGE_BYTES,
  traceparent?: string,
): Uint8Array {
  // the trace context sits beside the submission, not in it: it is not signed, and nodes that
  // do not read it ignore it
  const message =
    traceparent === undefined
      ? { version: WIRE_VERSION, submission }
      : { version: WIRE_VERSION, submission, traceparent };
  const bytes = new TextEncoder().encode(JSON.stringify(message));
  if (bytes.length > maxBytes) {
    throw new RangeError(`encoded submission is ${bytes.length} bytes, over the ${maxBytes} cap`);
  }
  return bytes;
}

/**
 * Decode `{"version": 1, "<key>": {...}}` from a peer and check the body with `schema`; never
 * throws. Shared by every gossip message kind (submissions, landings).
 */
export function decodeVersioned<T>(
  bytes: Uint8Array,
  maxBytes: number,
  key: string,
  schema: z.ZodType<T>,
):
  | { ok: true; value: T; traceparent: string | undefined }
  | { ok: false; reason: DecodeFailure; detail: string } {
  if (bytes.length > maxBytes) {
    return { ok: false, reason: "oversized", detail: `${bytes.length} bytes > ${maxBytes}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return { ok: false, reason: "malformed", detail: "not UTF-8 JSON" };
  }
  if (!isJsonObject(json) || typeof json.version !== "number" || !Object.hasOwn(json, key)) {
    return { ok: false, reason: "malformed", detail: `no version/${key}` };
  }
  if (json.version !== WIRE_VERSION) {
    return { ok: false, reason: "unknown_version", detail: `version ${json.version}` };
  }
  const parsed = schema.safeParse(json[key]);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? "" : `${issue.path.join(".")}: ${issue.message}`;
    return { ok: false, reason: "malformed", detail: where };
  }
  // the sender's trace context: kept only when it is a W3C traceparent, never a reason to refuse
  const traceparent = parseTraceparent(json.traceparent) ? (json.traceparent as string) : undefined;
  return { ok: true, value: parsed.data, traceparent };
}

/** Decode and check bytes received from a peer; never throws. */
export function decodeSubmission(
  bytes: Uint8Array,
  maxBytes = DEFAULT_MAX_MESSAGE_BYTES,
): DecodeResult {
  const decoded = decodeVersioned(bytes, maxBytes, "submission", SubmissionSchema);
  return decoded.ok
    ? {
        ok: true,
        submission: decoded.value as GossipSubmission,
        traceparent: decoded.traceparent,
      }
    : decoded;
}

/** The gossipsub topic of a service. */
export function topicForService(serviceId: ServiceId): string {
  return `${TOPIC_PREFIX}${serviceId}`;
}

/** The service id of a submissions topic, or undefined for any other topic. */
export function serviceIdOfTopic(topic: string): ServiceId | undefined {
  if (!topic.startsWith(TOPIC_PREFIX)) return undefined;
  const id = topic.slice(TOPIC_PREFIX.length);
  return isServiceId(id) ? id : undefined;
}

/**
 * Message id: sha256 of the encoded bytes. Content addressing (instead of gossipsub's default
 * origin + sequence number) makes the same submission, re-sent by catch-up or republished
 * after a restart, one message everywhere, so every node judges it at most once.
 */
export function messageIdBytes(bytes: Uint8Array): Uint8Array {
  return createHash("sha256").update(bytes).digest();
}

/** Text form of a message id (base64url). */
export function messageIdToString(id: Uint8Array): string {
  return Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString("base64url");
}

/** The message id of encoded bytes, in text form. */
export function messageIdOf(bytes: Uint8Array): string {
  return messageIdToString(messageIdBytes(bytes));
}
