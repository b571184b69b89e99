/**
 * Relays a neighbour has already made. Gossipsub relays every message it receives to each of
 * its mesh peers but the one it came from. Operators of a service are usually all connected to
 * each other, and then every message reaches each node once from its publisher and once more
 * from every other node relaying it: half of what a node sends and receives under load are such
 * copies, each framed, encrypted and dropped by the seen cache (counted under `bench:e2e`).
 * Gossipsub cannot know which of its peers already have a message.
 *
 * So each node tells its gossip peers, over a stream of its own (`MESH_PROTOCOL`), which peers
 * its mesh holds on the topics they share, whenever that changes (looked at after every gossipsub
 * heartbeat) and once to every new peer. A message that came from peer P is then not relayed to
 * the peers P named for that topic: P sent it to them itself, publishing (to every topic peer,
 * more than its mesh) or relaying (to its mesh). A claim only concerns the peer that makes it,
 * over its own authenticated connection: a peer that lies can only keep the messages that pass
 * through it from spreading, which it could do anyway by not sending them.
 *
 * A claim can be stale: P lost a mesh peer Q (a connection dropped, a stream failed) and has not
 * said so yet. The relays skipped on P's word are kept for `makeUpMs`; when P's next announcement
 * leaves Q out, or P goes away, they are sent to Q then (a copy Q already has costs it a look-up
 * in its seen cache).
 */
import type { Connection, Libp2p, PeerId, Stream } from "@libp2p/interface";
import { z } from "zod";
import type { Logger } from "../internal/index.js";
import { errorMessage } from "../internal/index.js";
import { frame, readFrames } from "./catchup.js";
import { PeerRateLimiter } from "./rate-limit.js";

/** The protocol meshes are announced on. */
export const MESH_PROTOCOL = "/wavs/mesh/1.0.0";

/** Largest announcement accepted (64 topics of 256 peers fit). */
const MAX_ANNOUNCEMENT_BYTES = 64 * 1024;

/** How long skipped relays are kept to be made up, how many and how many bytes at most. */
const DEFAULT_MAKE_UP_MS = 60_000;
const MAX_SKIPPED = 4096;
const MAX_SKIPPED_BYTES = 16 * 1024 * 1024;

/** After a failed announcement (a peer that does not speak the protocol), wait this long. */
const RETRY_AFTER_FAILURE_MS = 60_000;

/** Announcements a peer may send us (meshes change on connects and disconnects, rarely). */
const ANNOUNCEMENT_LIMIT = { perSecond: 2, burst: 20 };

const AnnouncementSchema = z.object({
  version: z.literal(1),
  meshes: z.record(z.string().max(256), z.array(z.string().max(128)).max(1024)),
});

/** A message as gossipsub forwards it (its RPC form; topic and size are read here). */
interface RawMessage {
  topic: string;
  data?: Uint8Array | undefined;
}

/** The gossipsub methods and events used here; the relay hook is not in its public interface. */
export interface MeshPubsub {
  getTopics(): string[];
  getMeshPeers(topic: string): string[];
  getSubscribers(topic: string): PeerId[];
  addEventListener(type: "gossipsub:heartbeat", listener: () => void): void;
  removeEventListener(type: "gossipsub:heartbeat", listener: () => void): void;
}

type Forward = (
  msgIdStr: string,
  rawMsg: RawMessage,
  propagationSource?: string,
  excludePeers?: Set<string>,
) => void;

/** What the relay rule needs of the node. */
export interface RelaySkipDeps {
  node: Pick<
    Libp2p,
    "handle" | "unhandle" | "dialProtocol" | "addEventListener" | "removeEventListener"
  >;
  /** The node's gossipsub: every topic it subscribes to is a service topic, all announced. */
  pubsub: MeshPubsub;
  log: Logger;
  makeUpMs?: number | undefined;
  /** Counts relays skipped and made up. */
  onCount?(kind: "skipped" | "made_up", n: number): void;
}

interface Skipped {
  at: number;
  msgIdStr: string;
  rawMsg: RawMessage;
  source: string;
  peers: string[];
}

/** See the module comment. */
export class RelaySkip {
  /** What each peer said its mesh holds, by topic. */
  private readonly meshes = new Map<string, Map<string, Set<string>>>();
  /** The announcement last delivered to each peer. */
  private readonly sent = new Map<string, string>();
  private readonly sending = new Set<string>();
  /** When an announcement to a peer last failed. */
  private readonly failed = new Map<string, number>();
  private skipped: Skipped[] = [];
  private skippedBytes = 0;
  private readonly limiter = new PeerRateLimiter(ANNOUNCEMENT_LIMIT);
  private forward: Forward | undefined;
  private readonly makeUpMs: number;
  private readonly onHeartbeat = () => this.announce();
  private readonly onDisconnect = (event: CustomEvent<PeerId>) =>
    this.forget(event.detail.toString());

  constructor(private readonly deps: RelaySkipDeps) {
    this.makeUpMs = deps.makeUpMs ?? DEFAULT_MAKE_UP_MS;
  }

  /**
   * Hook gossipsub's relaying and start announcing. Without the hook (a gossipsub version that
   * moved it) nothing is announced: peers then relay to us as before.
   */
  async start(): Promise<void> {
    const target = this.deps.pubsub as unknown as {
      forwardMessage?: unknown;
      getMeshPeers?: unknown;
    };
    if (typeof target.forwardMessage !== "function" || typeof target.getMeshPeers !== "function") {
      this.deps.log.warn("gossipsub has no relay hook here; every message is relayed");
      return;
    }
    const original = (target.forwardMessage as Forward).bind(this.deps.pubsub);
    this.forward = original;
    target.forwardMessage = ((msgIdStr, rawMsg, source, exclude) =>
      original(
        msgIdStr,
        rawMsg,
        source,
        this.exclusions(msgIdStr, rawMsg, source, exclude),
      )) as Forward;
    await this.deps.node.handle(
      MESH_PROTOCOL,
      (stream, connection) => this.receive(stream, connection),
      {
        maxInboundStreams: 2,
        maxOutboundStreams: 4,
      },
    );
    this.deps.pubsub.addEventListener("gossipsub:heartbeat", this.onHeartbeat);
    this.deps.node.addEventListener("peer:disconnect", this.onDisconnect);
  }

  /** Stop announcing; what peers said is dropped. */
  async stop(): Promise<void> {
    this.deps.pubsub.removeEventListener("gossipsub:heartbeat", this.onHeartbeat);
    this.deps.node.removeEventListener("peer:disconnect", this.onDisconnect);
    await this.deps.node.unhandle(MESH_PROTOCOL).catch(() => {});
    this.meshes.clear();
    this.sent.clear();
    this.failed.clear();
    this.skipped = [];
    this.skippedBytes = 0;
  }

  /** What `peer` last said its mesh holds on `topic` (undefined: nothing heard). */
  claimed(peer: string, topic: string): ReadonlySet<string> | undefined {
    return this.meshes.get(peer)?.get(topic);
  }

  /** Peers not to relay a message from `source` to: `exclude` and the peers `source` reaches. */
  private exclusions(
    msgIdStr: string,
    rawMsg: RawMessage,
    source: string | undefined,
    exclude: Set<string> | undefined,
  ): Set<string> | undefined {
    if (source === undefined) return exclude;
    const theirs = this.meshes.get(source)?.get(rawMsg.topic);
    if (theirs === undefined || theirs.size === 0) return exclude;
    const peers = this.deps.pubsub
      .getMeshPeers(rawMsg.topic)
      .filter((p) => p !== source && theirs.has(p) && exclude?.has(p) !== true);
    if (peers.length === 0) return exclude;
    const now = Date.now();
    this.skipped.push({ at: now, msgIdStr, rawMsg, source, peers });
    this.skippedBytes += rawMsg.data?.length ?? 0;
    // oldest first: drop what is too old or over the bounds (shift is cheap on V8's arrays)
    while (
      this.skipped[0]!.at < now - this.makeUpMs ||
      this.skipped.length > MAX_SKIPPED ||
      this.skippedBytes > MAX_SKIPPED_BYTES
    ) {
      this.skippedBytes -= this.skipped.shift()!.rawMsg.data?.length ?? 0;
      if (this.skipped.length === 0) break;
    }
    this.deps.onCount?.("skipped", peers.length);
    const out = new Set(exclude);
    for (const p of peers) out.add(p);
    return out;
  }

  /** Tell each gossip peer our mesh, when it differs from what it last heard from us. */
  private announce(): void {
    const { pubsub } = this.deps;
    const topics = pubsub.getTopics();
    const peersOf = new Map<string, { id: PeerId; topics: string[] }>();
    for (const topic of topics) {
      for (const id of pubsub.getSubscribers(topic)) {
        const key = id.toString();
        const entry = peersOf.get(key) ?? { id, topics: [] };
        entry.topics.push(topic);
        peersOf.set(key, entry);
      }
    }
    const meshOf = new Map(topics.map((t) => [t, pubsub.getMeshPeers(t).sort()]));
    const now = Date.now();
    for (const [peer, { id, topics: shared }] of peersOf) {
      if (this.sending.has(peer)) continue;
      if ((this.failed.get(peer) ?? 0) > now - RETRY_AFTER_FAILURE_MS) continue;
      const meshes: Record<string, string[]> = {};
      for (const topic of shared) meshes[topic] = meshOf.get(topic)!.filter((p) => p !== peer);
      const text = JSON.stringify({ version: 1, meshes });
      if (this.sent.get(peer) !== text) void this.send(id, text);
    }
  }

  private async send(id: PeerId, text: string): Promise<void> {
    const peer = id.toString();
    this.sending.add(peer);
    const signal = AbortSignal.timeout(5000);
    try {
      const stream = await this.deps.node.dialProtocol(id, MESH_PROTOCOL, { signal });
      stream.send(frame(new TextEncoder().encode(text)));
      await stream.close({ signal });
      this.sent.set(peer, text);
      this.failed.delete(peer);
    } catch (err) {
      // tried again later: `sent` still holds the last one delivered, and a peer that does not
      // speak the protocol (it then relays to us as before) is not asked every heartbeat
      this.failed.set(peer, Date.now());
      this.deps.log.debug({ peer, err: errorMessage(err) }, "mesh announcement not delivered");
    } finally {
      this.sending.delete(peer);
    }
  }

  /** A peer's announcement: its meshes replace what it said before. */
  private async receive(stream: Stream, connection: Connection): Promise<void> {
    const from = connection.remotePeer.toString();
    if (!this.limiter.take(from)) {
      stream.abort(new Error("mesh announcements rate limited"));
      return;
    }
    try {
      let parsed: z.infer<typeof AnnouncementSchema> | undefined;
      const frames = readFrames(stream, {
        maxFrameBytes: MAX_ANNOUNCEMENT_BYTES,
        maxTotalBytes: MAX_ANNOUNCEMENT_BYTES + 4,
        maxFrames: 1,
      });
      for await (const bytes of frames) {
        const result = AnnouncementSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
        if (result.success) parsed = result.data;
      }
      await stream.close();
      if (parsed === undefined) throw new Error("not a mesh announcement");
      // read after the peer went away: kept, it would speak for the peer's next connection
      if (connection.status !== "open") return;
      const meshes = new Map(
        Object.entries(parsed.meshes)
          .slice(0, 64)
          .map(([topic, peers]) => [topic, new Set(peers)] as const),
      );
      this.meshes.set(from, meshes);
      this.makeUp(from, (topic, peer) => meshes.get(topic)?.has(peer) !== true);
    } catch (err) {
      this.deps.log.debug({ peer: from, err: errorMessage(err) }, "mesh announcement refused");
      stream.abort(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** A peer went away: nothing it said holds, and the relays skipped on its word are made up. */
  private forget(peer: string): void {
    this.sent.delete(peer);
    this.failed.delete(peer);
    this.limiter.sweep();
    if (!this.meshes.delete(peer)) return;
    this.makeUp(peer, () => true);
  }

  /** Send the relays skipped on `source`'s word to the peers `missed` says may lack them. */
  private makeUp(source: string, missed: (topic: string, peer: string) => boolean): void {
    const forward = this.forward;
    if (forward === undefined) return;
    const now = Date.now();
    let made = 0;
    for (const s of this.skipped) {
      if (s.source !== source || s.at < now - this.makeUpMs) continue;
      const owed = s.peers.filter((p) => missed(s.rawMsg.topic, p));
      if (owed.length === 0) continue;
      s.peers = s.peers.filter((p) => !owed.includes(p));
      const others = new Set(
        this.deps.pubsub
          .getSubscribers(s.rawMsg.topic)
          .map(String)
          .filter((p) => !owed.includes(p)),
      );
      // no propagation source: the score already counted this delivery
      forward(s.msgIdStr, s.rawMsg, undefined, others);
      made += owed.length;
    }
    if (made > 0) {
      this.deps.onCount?.("made_up", made);
      this.deps.log.debug({ peer: source, relays: made }, "skipped relays made up");
    }
  }
}
