/** Helpers of the p2p tests: submissions, nodes on 127.0.0.1, a raw gossipsub peer, waiting. */
// Must come first: libp2p needs Promise.withResolvers, missing on Node 20.
import "../../src/p2p/node20-compat.js";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { type GossipSub, gossipsub } from "@libp2p/gossipsub";
import { type Identify, identify } from "@libp2p/identify";
import type { Libp2p } from "@libp2p/interface";
import { tcp } from "@libp2p/tcp";
import { multiaddr } from "@multiformats/multiaddr";
import { createLibp2p } from "libp2p";
import { createLogger, silentLogger } from "../../src/internal/logger.js";
import type { Metrics } from "../../src/metrics/index.js";
import type { P2pNode, P2pTuning, PeerIdString, SubmissionVerdict } from "../../src/p2p/p2p-api.js";
import { createP2pNode } from "../../src/p2p/p2p-node.js";
import type { GossipSubmission, HexString } from "../../src/p2p/wire.js";

/** A service id used by the tests. */
export const SERVICE_A = "a".repeat(64);
/** A second service id. */
export const SERVICE_B = "b".repeat(64);

const hex = (n: number): HexString => `0x${randomBytes(n).toString("hex")}`;

/** A well-formed submission (the signature is random: the p2p layer does not check it). */
export function makeSubmission(
  serviceId = SERVICE_A,
  overrides: Partial<GossipSubmission> = {},
): GossipSubmission {
  const eventId = hex(20);
  const payload = hex(32);
  return {
    service_id: serviceId,
    workflow_id: "default",
    event_id: eventId,
    envelope: { event_id: eventId, ordering: `0x${"00".repeat(12)}`, payload },
    signature: hex(65),
    signer: hex(20),
    trigger_data: { raw: hex(4) },
    operator_response: { payload, ordering: null, event_id_salt: null },
    ...overrides,
  };
}

/** Short timers so meshes form and reconnects happen within a test. */
export const TEST_TUNING: Partial<P2pTuning> = {
  listenHost: "127.0.0.1",
  heartbeatIntervalMs: 100,
  reconnectIntervalMs: 250,
  gossipCheckIntervalMs: 250,
  catchup: { timeoutMs: 5000, maxResponseBytes: 8 * 1024 * 1024, maxResponseMessages: 5000 },
};

/** A node under test: the P2pNode plus what its validator saw. */
export interface TestNode {
  node: P2pNode;
  /** Every call of onSubmission, in order. */
  received: { message: GossipSubmission; from: PeerIdString }[];
  /** The peer key file (reuse it to restart with the same identity). */
  keyPath: string;
  /** A multiaddr other nodes can bootstrap from (with /p2p/<id>). */
  addr(): string;
  /** How many times onSubmission saw this event id. */
  count(eventId: string): number;
}

/** Temporary directories, removed by cleanup(). */
export class TempDirs {
  private readonly dirs: string[] = [];
  /** A new empty directory. */
  make(): string {
    const dir = mkdtempSync(join(tmpdir(), "wavs-p2p-"));
    this.dirs.push(dir);
    return dir;
  }
  /** Remove them all. */
  cleanup(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/** Options of startTestNode. */
export interface TestNodeOptions {
  keyPath: string;
  bootstrap?: string[];
  services?: string[];
  verdict?: (message: GossipSubmission, from: PeerIdString) => SubmissionVerdict;
  tuning?: Partial<P2pTuning>;
  metrics?: Metrics;
}

/** Start a remote-mode node on 127.0.0.1 (random port), subscribed to `services`. */
export async function startTestNode(options: TestNodeOptions): Promise<TestNode> {
  const received: TestNode["received"] = [];
  const verdict = options.verdict ?? (() => "accept" as const);
  const node = createP2pNode({
    config: {
      type: "remote",
      listen_port: (options as { port?: number }).port ?? 0,
      bootstrap_nodes: options.bootstrap ?? [],
    },
    logger:
      process.env.P2P_TEST_LOG === undefined
        ? silentLogger()
        : createLogger({ level: "debug", name: `p2p-${options.keyPath.slice(-20)}` }),
    peerKeyPath: options.keyPath,
    onSubmission: async (message, from) => {
      received.push({ message, from });
      return verdict(message, from);
    },
    tuning: { ...TEST_TUNING, ...options.tuning },
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
  });
  for (const s of options.services ?? [SERVICE_A]) node.subscribe(s);
  await node.start();
  return {
    node,
    received,
    keyPath: options.keyPath,
    addr: () => {
      const a = node.status().listen_addresses.find((x) => x.startsWith("/ip4/127.0.0.1/tcp/"));
      if (a === undefined) throw new Error("node has no loopback address");
      return a;
    },
    count: (eventId) => received.filter((r) => r.message.event_id === eventId).length,
  };
}

/** Poll `check` until it is true, failing after `timeoutMs`. */
export async function waitFor(
  check: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** Wait `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Number of peers subscribed to `serviceId` as a node sees it. */
export function topicPeers(node: P2pNode, serviceId: string): number {
  return node.status().topics.find((t) => t.service_id === serviceId)?.peers ?? 0;
}

/** A plain gossipsub peer that can publish arbitrary bytes (an attacker or a buggy node). */
export type RawPeer = Libp2p<{ identify: Identify; pubsub: GossipSub }>;

/** Start a raw gossipsub peer and connect it to `target`. */
export async function startRawPeer(target: string): Promise<RawPeer> {
  const peer = await createRawPeer();
  await peer.dial(multiaddr(target));
  return peer;
}

/** A raw gossipsub peer on 127.0.0.1, configured as our nodes' gossip is, connected to nobody. */
export async function createRawPeer(): Promise<RawPeer> {
  return createLibp2p({
    addresses: { listen: ["/ip4/127.0.0.1/tcp/0"] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      pubsub: gossipsub({
        heartbeatInterval: 100,
        allowPublishToZeroTopicPeers: true,
        // as our nodes: unsigned gossip (a signed message would be refused before validation)
        globalSignaturePolicy: "StrictNoSign",
        // A flood must be sent as fast as possible, not paced by the outbound buffer.
        maxOutboundBufferSize: 64 * 1024 * 1024,
      }),
    },
  });
}

/** The libp2p node inside a running P2pNode (tests reach past the interface to dial by hand). */
export function libp2pOf(node: P2pNode): Libp2p {
  const inner = (node as unknown as { node?: Libp2p }).node;
  if (inner === undefined) throw new Error("the p2p node is not running");
  return inner;
}

/**
 * A submission published by each reaches the other, twice: the second round cannot ride on a
 * catch-up started by the subscriptions re-sent when gossip was restored (a new connection, or
 * streams moved onto the kept one).
 */
export async function gossipBothWays(a: TestNode, b: TestNode): Promise<void> {
  for (let round = 0; round < 2; round++) {
    const fromA = makeSubmission();
    const fromB = makeSubmission();
    await a.node.publish(SERVICE_A, fromA);
    await b.node.publish(SERVICE_A, fromB);
    await waitFor(
      () => b.count(fromA.event_id) === 1 && a.count(fromB.event_id) === 1,
      `gossip both ways, round ${round + 1}`,
    );
  }
}
