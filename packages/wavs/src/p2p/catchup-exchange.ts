/**
 * The catch-up protocol's two ends: a node that joins a topic or meets a peer asks it for the
 * service's recent accepted submissions (bounded in time, bytes and count) and judges each one
 * as if gossiped; a node asked serves what it accepted recently, rate limited per peer.
 * Misbehaviour (a rejected message, an over-limit frame) is charged to the peer's score here,
 * since gossipsub scores only what it relays.
 */
import type { Connection, Libp2p, PeerId, Stream } from "@libp2p/interface";
import type { Logger } from "../internal/index.js";
import { errorMessage } from "../internal/index.js";
import {
  CATCHUP_PROTOCOL,
  decodeCatchupRequest,
  encodeCatchupRequest,
  FrameLimitError,
  frame,
  MAX_CATCHUP_REQUEST_BYTES,
  readFrames,
} from "./catchup.js";
import { FLOOD_PENALTY } from "./gossip-scoring.js";
import type { MessageJudge } from "./message-judge.js";
import type { P2pTuning } from "./p2p-api.js";
import type { PeerRateLimiter } from "./rate-limit.js";
import type { RecentMessages } from "./recent.js";

/** What the exchange is given by the node. */
export interface CatchupExchangeDeps {
  /** The running libp2p node, if any. */
  node(): Pick<Libp2p, "dialProtocol"> | undefined;
  services: ReadonlySet<string>;
  tuning: P2pTuning;
  judge: MessageJudge;
  recent: RecentMessages;
  catchupLimiter: PeerRateLimiter;
  log: Logger;
  /** Add a behaviour penalty to a peer's gossipsub score. */
  penalise(peer: string, amount: number): void;
}

/** See the module comment. */
export class CatchupExchange {
  constructor(private readonly deps: CatchupExchangeDeps) {}

  /** Ask `peer` for its recent submissions of `serviceIds` and judge each one. */
  async catchUpFrom(peer: PeerId, serviceIds: string[]): Promise<void> {
    const node = this.deps.node();
    if (node === undefined || serviceIds.length === 0) return;
    const from = peer.toString();
    const { timeoutMs, maxResponseBytes, maxResponseMessages } = this.deps.tuning.catchup;
    const signal = AbortSignal.timeout(timeoutMs);
    let stream: Stream;
    try {
      stream = await node.dialProtocol(peer, CATCHUP_PROTOCOL, { signal });
    } catch (err) {
      this.deps.log.debug({ peer: from, err: errorMessage(err) }, "catch-up: cannot open a stream");
      return;
    }
    const onAbort = () => stream.abort(new Error("catch-up timed out"));
    signal.addEventListener("abort", onAbort, { once: true });
    const requested = new Set(serviceIds);
    let received = 0;
    let accepted = 0;
    try {
      stream.send(frame(encodeCatchupRequest({ service_ids: serviceIds })));
      await stream.close({ signal });
      const frames = readFrames(stream, {
        maxFrameBytes: this.deps.tuning.maxMessageBytes,
        maxTotalBytes: maxResponseBytes + 4 * maxResponseMessages,
        maxFrames: maxResponseMessages,
      });
      for await (const bytes of frames) {
        received += 1;
        const verdict = await this.deps.judge.judge(bytes, from, "catchup", (id) =>
          requested.has(id),
        );
        // Gossipsub scores only what it relays; catch-up misbehaviour is charged here.
        if (verdict === "reject") this.deps.penalise(from, FLOOD_PENALTY);
        if (verdict === "accept") accepted += 1;
      }
    } catch (err) {
      this.abort(stream, from, err, "catch-up stopped");
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
    if (received > 0) {
      this.deps.log.debug({ peer: from, received, accepted }, "caught up from peer");
    }
  }

  /** End a failed exchange: an over-limit frame is the peer's fault and costs it score. */
  private abort(stream: Stream, from: string, err: unknown, what: string): void {
    if (err instanceof FrameLimitError) this.deps.penalise(from, FLOOD_PENALTY);
    this.deps.log.debug({ peer: from, err: errorMessage(err) }, what);
    stream.abort(err instanceof Error ? err : new Error(String(err)));
  }

  /** Serve a catch-up request: the recent accepted submissions of the asked services. */
  async serve(stream: Stream, connection: Connection): Promise<void> {
    const from = connection.remotePeer.toString();
    if (!this.deps.catchupLimiter.take(from)) {
      this.deps.penalise(from, FLOOD_PENALTY);
      stream.abort(new Error("catch-up requests rate limited"));
      return;
    }
    const { timeoutMs, maxResponseBytes, maxResponseMessages } = this.deps.tuning.catchup;
    const signal = AbortSignal.timeout(timeoutMs);
    const onAbort = () => stream.abort(new Error("catch-up timed out"));
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      let request: ReturnType<typeof decodeCatchupRequest>;
      const frames = readFrames(stream, {
        maxFrameBytes: MAX_CATCHUP_REQUEST_BYTES,
        maxTotalBytes: MAX_CATCHUP_REQUEST_BYTES + 4,
        maxFrames: 1,
      });
      for await (const bytes of frames) request = decodeCatchupRequest(bytes);
      if (request === undefined) throw new FrameLimitError("not a catch-up request");
      let bytesSent = 0;
      let messagesSent = 0;
      outer: for (const serviceId of new Set(request.service_ids)) {
        if (!this.deps.services.has(serviceId)) continue;
        for (const bytes of this.deps.recent.recent(serviceId)) {
          if (bytesSent + bytes.length > maxResponseBytes || messagesSent >= maxResponseMessages) {
            break outer;
          }
          bytesSent += bytes.length;
          messagesSent += 1;
          if (!stream.send(frame(bytes))) await stream.onDrain({ signal });
        }
      }
      await stream.close({ signal });
      this.deps.log.debug({ peer: from, messages: messagesSent }, "served catch-up");
    } catch (err) {
      this.abort(stream, from, err, "catch-up request failed");
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }
}
