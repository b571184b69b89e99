/**
 * `/wavs/catchup/1.0.0`: a peer that (re)connects asks each neighbour for the submissions it
 * accepted recently, so an operator that was down or late still sees the signatures
 * gossiped while it was away. Pull, not push: the node that missed messages knows it did.
 *
 * Framing: every frame is a 4-byte big-endian length then that many bytes. The requester
 * sends one frame (JSON `{"version": 1, "service_ids": [...]}`) and closes its side; the
 * responder answers with one frame per message (the gossip wire bytes, unchanged) and closes.
 */
import { z } from "zod";
import { isServiceId } from "../ids/index.js";
import { WavsError } from "../internal/index.js";

/** Protocol id of catch-up. */
export const CATCHUP_PROTOCOL = "/wavs/catchup/1.0.0";

/** Largest request accepted (a few thousand service ids). */
export const MAX_CATCHUP_REQUEST_BYTES = 256 * 1024;

/** What a requester asks for. */
export interface CatchupRequest {
  service_ids: string[];
}

const RequestSchema = z.object({
  version: z.literal(1),
  service_ids: z.array(z.string().refine(isServiceId)).max(4096),
});

/** A chunk as streams yield it: Uint8Array or a Uint8ArrayList, both have `subarray()`. */
export interface Chunk {
  subarray(): Uint8Array;
}

/** Prefix `bytes` with its 4-byte big-endian length. */
export function frame(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length, false);
  out.set(bytes, 4);
  return out;
}

/** The request bytes (unframed). */
export function encodeCatchupRequest(request: CatchupRequest): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ version: 1, ...request }));
}

/** Parse a request; undefined when it is not one. */
export function decodeCatchupRequest(bytes: Uint8Array): CatchupRequest | undefined {
  try {
    const parsed = RequestSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    return parsed.success ? { service_ids: parsed.data.service_ids } : undefined;
  } catch {
    return undefined;
  }
}

/** Thrown when a peer's frames break the limits; the peer is penalised. */
export class FrameLimitError extends WavsError {
  override readonly name = "FrameLimitError";
  constructor(message: string) {
    super("WAVS_ERR_P2P_PEER_LIMITS", message);
  }
}

/** Limits on what a peer may send us over one stream. */
export interface FrameLimits {
  /** Largest single frame. */
  maxFrameBytes: number;
  /** Largest total over the stream. */
  maxTotalBytes: number;
  /** Most frames over the stream. */
  maxFrames: number;
}

/**
 * Split a byte stream into frames. Chunks are queued and copied once, so a response of
 * many small chunks costs linear time.
 */
export async function* readFrames(
  source: AsyncIterable<Chunk>,
  limits: FrameLimits,
): AsyncGenerator<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let queued = 0;
  let total = 0;
  let frames = 0;
  let want: number | undefined;

  const take = (n: number): Uint8Array => {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const head = chunks[0]!;
      const used = Math.min(head.length, n - filled);
      out.set(head.subarray(0, used), filled);
      filled += used;
      if (used === head.length) chunks.shift();
      else chunks[0] = head.subarray(used);
    }
    queued -= n;
    return out;
  };

  for await (const chunk of source) {
    const bytes = chunk.subarray();
    total += bytes.length;
    if (total > limits.maxTotalBytes)
      throw new FrameLimitError(`more than ${limits.maxTotalBytes} bytes`);
    chunks.push(bytes);
    queued += bytes.length;
    for (;;) {
      if (want === undefined) {
        if (queued < 4) break;
        const header = take(4);
        want = new DataView(header.buffer).getUint32(0, false);
        if (want > limits.maxFrameBytes) throw new FrameLimitError(`frame of ${want} bytes`);
      }
      if (queued < want) break;
      frames += 1;
      if (frames > limits.maxFrames)
        throw new FrameLimitError(`more than ${limits.maxFrames} frames`);
      yield take(want);
      want = undefined;
    }
  }
  if (want !== undefined || queued > 0) throw new FrameLimitError("stream ended inside a frame");
}
