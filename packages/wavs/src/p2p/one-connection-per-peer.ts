/**
 * One connection per peer. Two nodes that dial each other at the same moment (each lists the
 * other as a bootstrap peer, or each found the other by mDNS) end up with two connections, and
 * libp2p keeps both: every per-connection cost (keep-alive pings both ways, yamux windows, the
 * encryption of each frame) is then paid twice for as long as they run. Both ends pick the same
 * connection to keep without a word exchanged, the one dialed by the peer whose id sorts first,
 * and close the others.
 *
 * Gossipsub keeps its stream to a peer on one connection and does not move it when that
 * connection closes: without a stream, nothing we publish reaches the peer again. So after a
 * close the kept connection is identified again until gossipsub has its stream: libp2p tells
 * gossipsub the peer is connected there, gossipsub opens its stream on it if it has none, and
 * the peer's subscriptions, arriving again, start a catch-up that closes any gap. Should that
 * fail, the gossip keeper (gossip-keeper.ts) finds the peer without streams and reconnects it.
 */
import type { Connection, Libp2p, PeerId } from "@libp2p/interface";
import type { Logger } from "../internal/index.js";
import { errorMessage } from "../internal/index.js";

/** The connection both ends of `connections` (to one peer) keep, or none when it is unclear. */
export function connectionToKeep(
  self: string,
  remote: string,
  connections: readonly Connection[],
): Connection | undefined {
  const open = connections.filter((c) => c.status === "open");
  if (open.length < 2) return open[0];
  // Both ends agree on who the first peer is, so on which direction to keep.
  const direction = self < remote ? "outbound" : "inbound";
  const candidates = open.filter((c) => c.direction === direction);
  // Several dialed the same way (a redial): the first opened. Neither way: leave them be.
  return candidates.sort((a, b) => (a.timeline.open ?? 0) - (b.timeline.open ?? 0))[0];
}

/** What the rule needs of the libp2p node. */
export type DedupedNode = Pick<
  Libp2p,
  "peerId" | "getConnections" | "addEventListener" | "removeEventListener"
>;

/** What OneConnectionPerPeer is given. */
export interface OneConnectionPerPeerDeps {
  node: DedupedNode;
  /** Identify the peer again on a connection (libp2p then tells the topologies, gossipsub's too). */
  identify(connection: Connection): Promise<unknown>;
  /** Whether gossipsub has its outbound stream to the peer (undefined: cannot tell). */
  hasGossipStream(peer: string): boolean | undefined;
  log: Logger;
  /** Told how many connections were just closed as duplicates. */
  onClosed?(count: number): void;
}

/** See the module comment; `start()` before the node starts dialing. */
export class OneConnectionPerPeer {
  private readonly pending = new Set<string>();
  private stopped = false;
  private readonly onOpen = (event: CustomEvent<Connection>) =>
    void this.settle(event.detail.remotePeer);

  constructor(private readonly deps: OneConnectionPerPeerDeps) {}

  /** Watch new connections, and settle the peers already connected. */
  start(): void {
    this.stopped = false;
    this.deps.node.addEventListener("connection:open", this.onOpen);
    for (const c of this.deps.node.getConnections()) void this.settle(c.remotePeer);
  }

  /** Stop watching. */
  stop(): void {
    this.stopped = true;
    this.deps.node.removeEventListener("connection:open", this.onOpen);
  }

  /** Close the connections to `peer` the rule does not keep; move gossip onto the kept one. */
  private async settle(peer: PeerId): Promise<void> {
    const key = peer.toString();
    // one settlement per peer at a time: a third connection opening meanwhile is seen by the loop
    if (this.pending.has(key)) return;
    this.pending.add(key);
    try {
      while (!this.stopped) {
        const connections = this.deps.node.getConnections(peer);
        const keep = connectionToKeep(this.deps.node.peerId.toString(), key, connections);
        const extra = connections.filter((c) => c !== keep && c.status === "open");
        if (keep === undefined || extra.length === 0) return;
        this.deps.log.debug(
          { peer: key, kept: keep.direction, closing: extra.length },
          "closing duplicate connections to a peer",
        );
        await Promise.all(
          extra.map((c) =>
            c.close().catch((err: unknown) => {
              c.abort(err instanceof Error ? err : new Error(String(err)));
            }),
          ),
        );
        this.deps.onClosed?.(extra.length);
        await this.restoreGossip(key, keep);
      }
    } finally {
      this.pending.delete(key);
    }
  }

  /** Identify again on `keep` until gossipsub has its stream to the peer (a few tries). */
  private async restoreGossip(peer: string, keep: Connection): Promise<void> {
    for (let attempt = 0; attempt < RESTORE_TRIES; attempt++) {
      if (keep.status !== "open" || this.stopped) return;
      await this.deps.identify(keep).catch((err: unknown) => {
        // a concurrent identify of the same connection is refused by the peer; try again
        this.deps.log.debug({ peer, attempt, err: errorMessage(err) }, "identify again failed");
      });
      // gossipsub opens the stream from a queue after identify: give it a moment
      await sleep(RESTORE_BACKOFF_MS * 2 ** attempt);
      if (this.deps.hasGossipStream(peer) !== false) return;
    }
    if (keep.status === "open" && !this.stopped) {
      this.deps.log.warn(
        { peer },
        "no gossip stream to a peer after closing a duplicate connection; the gossip keeper will reconnect it",
      );
    }
  }
}

/** How many times the kept connection is identified again, and the first pause between. */
const RESTORE_TRIES = 6;
const RESTORE_BACKOFF_MS = 100;

/** A pause that does not keep the process alive. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());
