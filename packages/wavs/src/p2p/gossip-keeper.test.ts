/**
 * The gossip keeper on real libp2p nodes on 127.0.0.1: gossipsub dropping a connected peer
 * (as it does when the stream it reads the peer from fails) is repaired, so is an inbound
 * stream gossipsub still lists after its peer stopped writing, and a peer that does not speak
 * gossipsub is left alone.
 */
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import type { GossipSub } from "@libp2p/gossipsub";
import { identify } from "@libp2p/identify";
import type { Libp2p, PeerId, Stream } from "@libp2p/interface";
import { tcp } from "@libp2p/tcp";
import { multiaddr } from "@multiformats/multiaddr";
import { createLibp2p } from "libp2p";
import { afterEach, describe, expect, it } from "vitest";
import {
  gossipBothWays,
  libp2pOf,
  makeSubmission,
  SERVICE_A,
  startTestNode,
  TempDirs,
  type TestNode,
  topicPeers,
  waitFor,
} from "../../test/helpers/p2p-harness.js";
import { Metrics } from "../metrics/index.js";
import type { GossipKeeper } from "./gossip-keeper.js";
import { gossipLinkOf } from "./gossip-scoring.js";
import type { P2pTuning } from "./p2p-api.js";

const dirs = new TempDirs();
const running: TestNode[] = [];
const plain: Libp2p[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((n) => n.node.stop()));
  await Promise.all(plain.splice(0).map((p) => p.stop()));
  dirs.cleanup();
});

async function start(metrics: Metrics, tuning?: Partial<P2pTuning>): Promise<TestNode> {
  const n = await startTestNode({
    keyPath: `${dirs.make()}/p2p-key`,
    metrics,
    ...(tuning === undefined ? {} : { tuning }),
  });
  running.push(n);
  return n;
}

/** Two nodes connected, each knowing the other subscribed to SERVICE_A. */
async function connectedPair(tuning?: Partial<P2pTuning>) {
  const metrics = [new Metrics(), new Metrics()] as const;
  const x = await start(metrics[0], tuning);
  const y = await start(metrics[1], tuning);
  await libp2pOf(x.node).dial(multiaddr(y.addr()));
  await waitFor(
    () => topicPeers(x.node, SERVICE_A) === 1 && topicPeers(y.node, SERVICE_A) === 1,
    "mesh",
  );
  return { x, y, metrics };
}

function pubsubOf(n: TestNode): GossipSub {
  return (libp2pOf(n.node) as Libp2p<{ pubsub: GossipSub }>).services.pubsub;
}

function peerIdOf(n: TestNode): PeerId {
  return libp2pOf(n.node).peerId;
}

/** The keeper inside a running node. */
function keeperOf(n: TestNode): GossipKeeper {
  const keeper = (n.node as unknown as { keeper?: GossipKeeper }).keeper;
  if (keeper === undefined) throw new Error("no gossip keeper in this node");
  return keeper;
}

/** wavs_p2p_gossip_repairs_total of a registry, by kind. */
async function repairs(metrics: Metrics): Promise<Record<string, number>> {
  const text = await metrics.registry.metrics();
  const out: Record<string, number> = { identify: 0, reconnect: 0 };
  for (const m of text.matchAll(/wavs_p2p_gossip_repairs_total\{kind="(\w+)"\} (\d+)/g))
    out[m[1]!] = Number(m[2]);
  return out;
}

describe("gossip keeper", () => {
  it("reconnects a peer gossipsub dropped on a read error; gossip flows both ways, the gap is caught up", async () => {
    const { x, y, metrics } = await connectedPair();
    const connection = libp2pOf(x.node).getConnections(peerIdOf(y))[0];

    // what gossipsub does when the stream it reads a peer from fails: the peer leaves all its
    // tables, the connection stays, and the peer keeps writing to a stream nobody reads
    (
      pubsubOf(x) as unknown as { handlePeerReadStreamError(err: Error, peer: PeerId): void }
    ).handlePeerReadStreamError(new Error("stream reset (test)"), peerIdOf(y));
    expect(topicPeers(x.node, SERVICE_A)).toBe(0);
    const duringTheGap = makeSubmission();
    await y.node.publish(SERVICE_A, duringTheGap);

    await waitFor(
      () => topicPeers(x.node, SERVICE_A) === 1 && topicPeers(y.node, SERVICE_A) === 1,
      "both ends subscribed again",
    );
    // restored through a new connection, caught up from y's recent messages
    expect(connection?.status).not.toBe("open");
    await waitFor(() => x.count(duringTheGap.event_id) === 1, "the gap caught up");
    await gossipBothWays(x, y);
    // either end may reset the connection first: y finds its read from x ended too
    const reconnects =
      ((await repairs(metrics[0])).reconnect ?? 0) + ((await repairs(metrics[1])).reconnect ?? 0);
    expect(reconnects).toBeGreaterThanOrEqual(1);
  });

  it("reopens a missing outbound stream by identifying again, without a reconnect", async () => {
    // checks by hand only: the timer would race the steps below
    const { x, y, metrics } = await connectedPair({ gossipCheckIntervalMs: 3_600_000 });
    const yId = peerIdOf(y).toString();
    // a reset of the stream x publishes on (y, reading it, drops x from its tables too)
    const streams = (
      pubsubOf(x) as unknown as { streamsOutbound: Map<string, { rawStream: Stream }> }
    ).streamsOutbound;
    streams.get(yId)?.rawStream.abort(new Error("stream reset (test)"));
    await waitFor(() => gossipLinkOf(pubsubOf(x), yId)?.outbound === false, "stream closed");
    const connection = libp2pOf(x.node).getConnections(peerIdOf(y))[0];

    await keeperOf(x).check(); // first sighting: may be a connection being set up
    expect(await repairs(metrics[0])).toEqual({ identify: 0, reconnect: 0 });
    await keeperOf(x).check(); // second: identify again
    await waitFor(() => gossipLinkOf(pubsubOf(x), yId)?.outbound === true, "stream reopened");
    await keeperOf(x).check(); // healthy: nothing more
    expect(await repairs(metrics[0])).toEqual({ identify: 1, reconnect: 0 });
    expect(connection?.status).toBe("open");
    await gossipBothWays(x, y);
  });

  it("sees an inbound stream whose peer stopped writing as lost, and reconnects the peer", async () => {
    // checks by hand only: the timer would race the steps below
    const { x, y, metrics } = await connectedPair({ gossipCheckIntervalMs: 3_600_000 });
    const xId = peerIdOf(x).toString();
    const yId = peerIdOf(y).toString();
    // y's end of the stream x reads y from closes cleanly (as when the connection it ran on is
    // closed as a duplicate): x's read ends without an error, and gossipsub keeps the entry
    const yOut = (pubsubOf(y) as unknown as { streamsOutbound: Map<string, { rawStream: Stream }> })
      .streamsOutbound;
    await yOut.get(xId)?.rawStream.close();
    const xIn = (pubsubOf(x) as unknown as { streamsInbound: Map<string, unknown> }).streamsInbound;
    await waitFor(() => gossipLinkOf(pubsubOf(x), yId)?.inbound === false, "x's read ended");
    expect(xIn.has(yId)).toBe(true); // still in gossipsub's table: only the stream says it

    await keeperOf(x).check(); // first sighting
    await keeperOf(x).check(); // second: identify (reopens nothing of y's)
    await keeperOf(x).check(); // third: reconnect
    expect((await repairs(metrics[0])).reconnect).toBe(1);
    await waitFor(
      () => topicPeers(x.node, SERVICE_A) === 1 && topicPeers(y.node, SERVICE_A) === 1,
      "both ends subscribed again",
    );
    await gossipBothWays(x, y);
  });

  it("leaves a connected peer that does not speak gossipsub alone", async () => {
    const metrics = new Metrics();
    const x = await start(metrics, { gossipCheckIntervalMs: 3_600_000 });
    const other = await createLibp2p({
      addresses: { listen: ["/ip4/127.0.0.1/tcp/0"] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: { identify: identify() },
    });
    plain.push(other);
    const connection = await other.dial(multiaddr(x.addr()));
    await waitFor(
      () => libp2pOf(x.node).getConnections(other.peerId).length === 1,
      "the plain peer connected",
    );
    // identified, so the keeper can tell it is not a gossip peer
    await libp2pOf(x.node).peerStore.get(other.peerId);
    for (let i = 0; i < 4; i++) await keeperOf(x).check();
    expect(await repairs(metrics)).toEqual({ identify: 0, reconnect: 0 });
    expect(connection.status).toBe("open");
  });
});
