/**
 * Gossip to every connected peer, kept. Gossipsub drops a peer from all its tables when the
 * stream it reads the peer from fails (a reset, a decode error of the framing), but leaves the
 * connection open; nothing tells it the peer is still there, and the peer, whose own tables
 * are intact, keeps writing to a stream nobody reads. The two nodes stay connected and never
 * hear each other again: signatures stop reaching aggregators, with every link looking up.
 *
 * So every `intervalMs` the keeper compares the open connections with what gossipsub knows.
 * A gossip peer found without its streams at two checks in a row is identified again (libp2p
 * then tells gossipsub, which opens its outbound stream); still without them at the next
 * check, its connections are closed and it is dialed again, which both ends handle as a new
 * peer: fresh streams, subscriptions exchanged, and a catch-up that closes the gap. Resets of
 * one peer are spaced out, twice as long each time, so a peer that cannot be healed costs a
 * dial now and then, not a loop.
 */
import type { Connection, Libp2p, PeerId } from "@libp2p/interface";
import type { Logger } from "../internal/index.js";
import { errorMessage } from "../internal/index.js";

/** What gossipsub holds for a peer (undefined: a version moved its tables). */
export interface GossipLink {
  /** The peer is in gossipsub's tables. */
  known: boolean;
  /** The stream everything we publish to the peer goes through. */
  outbound: boolean;
  /** The stream the peer's messages and subscriptions come in on. */
  inbound: boolean;
}

/** What the keeper needs of the libp2p node. */
export type KeptNode = Pick<Libp2p, "getConnections" | "peerStore" | "dial">;

/** What GossipKeeper is given. */
export interface GossipKeeperDeps {
  node: KeptNode;
  /** Protocol ids of gossipsub: a peer that lists none of them is not a gossip peer. */
  protocols: readonly string[];
  /** What gossipsub holds for `peer`. */
  link(peer: string): GossipLink | undefined;
  /** Identify the peer again on a connection (libp2p then tells gossipsub). */
  identify(connection: Connection): Promise<unknown>;
  /** Time between checks. */
  intervalMs: number;
  log: Logger;
  /** Told of each repair: "identify" (streams reopened) or "reconnect" (connection reset). */
  onRepair?(kind: "identify" | "reconnect"): void;
}

/** A peer seen without its gossip streams. */
interface Unhealthy {
  /** Checks in a row that found it so. */
  checks: number;
  /** Resets so far (spacing the next one). */
  resets: number;
  /** No reset before this time. */
  notBefore: number;
}

/** See the module comment; `start()` once the node runs. */
export class GossipKeeper {
  private readonly unhealthy = new Map<string, Unhealthy>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(private readonly deps: GossipKeeperDeps) {}

  /** Check every `intervalMs`. */
  start(): void {
    this.timer ??= setInterval(() => void this.check(), this.deps.intervalMs);
    this.timer.unref();
  }

  /** Stop checking. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.unhealthy.clear();
  }

  /** One pass over the connected peers (the timer's; tests call it too). */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const byPeer = new Map<string, { peer: PeerId; open: Connection[] }>();
      for (const c of this.deps.node.getConnections()) {
        if (c.status !== "open" || c.limits !== undefined) continue;
        const key = c.remotePeer.toString();
        const entry = byPeer.get(key) ?? { peer: c.remotePeer, open: [] };
        entry.open.push(c);
        byPeer.set(key, entry);
      }
      for (const key of this.unhealthy.keys()) if (!byPeer.has(key)) this.unhealthy.delete(key);
      for (const [key, { peer, open }] of byPeer) {
        const link = this.deps.link(key);
        if (link === undefined) return; // cannot tell: never act blind
        if (link.known && link.outbound && link.inbound) {
          this.unhealthy.delete(key);
          continue;
        }
        await this.repair(key, peer, open);
      }
    } finally {
      this.checking = false;
    }
  }

  /** Count one more bad check of `key`; identify at the second, reset from the third. */
  private async repair(key: string, peer: PeerId, open: Connection[]): Promise<void> {
    const state = this.unhealthy.get(key) ?? { checks: 0, resets: 0, notBefore: 0 };
    this.unhealthy.set(key, state);
    state.checks++;
    // the first sighting may be a connection still being set up: wait one interval
    if (state.checks < 2 || !(await this.speaksGossip(peer))) return;
    if (state.checks === 2) {
      this.deps.log.debug(
        { peer: key },
        "no gossip streams to a connected peer; identifying again",
      );
      this.deps.onRepair?.("identify");
      await this.deps.identify(open[0]!).catch((err: unknown) => {
        this.deps.log.debug({ peer: key, err: errorMessage(err) }, "identify again failed");
      });
      return;
    }
    if (Date.now() < state.notBefore) return;
    state.resets++;
    state.checks = 0;
    state.notBefore =
      Date.now() + Math.min(MAX_RESET_SPACING_MS, this.deps.intervalMs * 2 ** state.resets);
    this.deps.log.warn(
      { peer: key, resets: state.resets },
      "gossip with a connected peer was lost; reconnecting to it",
    );
    this.deps.onRepair?.("reconnect");
    await Promise.all(open.map((c) => c.close().catch((err: unknown) => c.abort(asError(err)))));
    // the dial uses the addresses identify stored; when it fails, the bootstrap redial or the
    // peer's own dial brings it back
    await this.deps.node.dial(peer).catch((err: unknown) => {
      this.deps.log.debug({ peer: key, err: errorMessage(err) }, "dial after reset failed");
    });
  }

  /** Whether the peer announced a gossipsub protocol (a peer that did not is left alone). */
  private async speaksGossip(peer: PeerId): Promise<boolean> {
    try {
      const { protocols } = await this.deps.node.peerStore.get(peer);
      return protocols.some((p) => this.deps.protocols.includes(p));
    } catch {
      return false; // not identified yet
    }
  }
}

/** The longest wait between two resets of one peer. */
const MAX_RESET_SPACING_MS = 5 * 60_000;

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));
