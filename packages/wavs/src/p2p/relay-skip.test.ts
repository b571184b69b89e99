/**
 * Relay skipping between real libp2p nodes on 127.0.0.1 (gossipsub as the node configures it,
 * unsigned, heartbeat 100 ms): what reaches each peer is counted as it arrives, duplicates
 * included, before gossipsub's seen cache drops them.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createRawPeer, type RawPeer, sleep, waitFor } from "../../test/helpers/p2p-harness.js";
import { silentLogger } from "../internal/index.js";
import { MESH_PROTOCOL, type MeshPubsub, RelaySkip } from "./relay-skip.js";

const TOPIC = "wavs/submissions/relay-skip-test";

interface Peer {
  node: RawPeer;
  id: string;
  relays: RelaySkip | undefined;
  /** Every message that arrived, by data, duplicates included. */
  arrivals: Map<string, number>;
  /** Peers this one silently stops sending to (a stream that died without anyone noticing). */
  deaf: Set<string>;
  counts: { skipped: number; made_up: number };
  /** Mesh announcements this peer tried to send. */
  announcements: number;
}

const peers: Peer[] = [];

afterEach(async () => {
  for (const p of peers.splice(0)) {
    await p.relays?.stop();
    await p.node.stop();
  }
});

async function peer(skip = true): Promise<Peer> {
  const node = await createRawPeer();
  const p: Peer = {
    node,
    id: node.peerId.toString(),
    relays: undefined,
    arrivals: new Map(),
    deaf: new Set(),
    counts: { skipped: 0, made_up: 0 },
    announcements: 0,
  };
  const dialProtocol = node.dialProtocol.bind(node);
  node.dialProtocol = ((target, protocols, options) => {
    if (protocols === MESH_PROTOCOL) p.announcements += 1;
    return dialProtocol(target, protocols, options);
  }) as typeof node.dialProtocol;
  // count arrivals before the seen cache; drop what this peer "cannot" send any more
  const internals = node.services.pubsub as unknown as {
    handleReceivedMessage(from: unknown, msg: { data?: Uint8Array }): Promise<void>;
    sendRpc(id: string, rpc: unknown): boolean;
  };
  const received = internals.handleReceivedMessage.bind(internals);
  internals.handleReceivedMessage = (from, msg) => {
    const key = new TextDecoder().decode(msg.data);
    p.arrivals.set(key, (p.arrivals.get(key) ?? 0) + 1);
    return received(from, msg);
  };
  const sendRpc = internals.sendRpc.bind(internals);
  internals.sendRpc = (id, rpc) => (p.deaf.has(id) ? true : sendRpc(id, rpc));
  if (skip) {
    p.relays = new RelaySkip({
      node,
      pubsub: node.services.pubsub as unknown as MeshPubsub,
      log: silentLogger(),
      onCount: (kind, n) => {
        p.counts[kind] += n;
      },
    });
    await p.relays.start();
  }
  node.services.pubsub.subscribe(TOPIC);
  peers.push(p);
  return p;
}

async function connect(a: Peer, b: Peer): Promise<void> {
  await a.node.dial(b.node.getMultiaddrs()[0]!);
}

function meshOf(p: Peer): string[] {
  return (p.node.services.pubsub as unknown as MeshPubsub).getMeshPeers(TOPIC);
}

/** Three peers connected to each other, each mesh announced to the other two. */
async function fullMesh(): Promise<[Peer, Peer, Peer]> {
  const all: [Peer, Peer, Peer] = [await peer(), await peer(), await peer()];
  const [a, b, c] = all;
  await connect(a, b);
  await connect(a, c);
  await connect(b, c);
  for (const p of all)
    await settled(
      p,
      2,
      all.filter((o) => o !== p),
    );
  return all;
}

/** Wait until `p`'s mesh holds `n` peers and `watchers` heard `p` say so. */
async function settled(p: Peer, n: number, watchers: Peer[]): Promise<void> {
  await waitFor(() => meshOf(p).length === n, `${n} mesh peers`);
  await waitFor(
    () => watchers.every((w) => w.relays?.claimed(p.id, TOPIC)?.size === n - 1),
    "the mesh announced",
  );
}

async function publish(p: Peer, text: string): Promise<void> {
  await p.node.services.pubsub.publish(TOPIC, new TextEncoder().encode(text));
}

/** Heartbeats enough for any relay still coming to arrive. */
const relaysDone = () => sleep(500);

describe("relay skipping", () => {
  it("three connected peers: each message reaches each peer once, no relay", async () => {
    const [a, b, c] = await fullMesh();
    for (const [from, i] of [
      [a, 1],
      [b, 2],
      [c, 3],
    ] as const) {
      await publish(from, `m${i}`);
    }
    await waitFor(() => [a, b, c].every((p) => p.arrivals.size === 2), "every message delivered");
    await relaysDone();
    for (const p of [a, b, c]) expect([...p.arrivals.values()]).toEqual([1, 1]);
    expect(a.counts.skipped + b.counts.skipped + c.counts.skipped).toBe(6);
  });

  it("without the rule the same network relays every message once more to each peer", async () => {
    const [a, b, c] = [await peer(false), await peer(false), await peer(false)];
    await connect(a, b);
    await connect(a, c);
    await connect(b, c);
    for (const p of [a, b, c]) await waitFor(() => meshOf(p).length === 2, "mesh");
    await publish(a, "m");
    await waitFor(() => b.arrivals.get("m") === 2 && c.arrivals.get("m") === 2, "relays");
  });

  it("relays to a peer the source does not reach (a line)", async () => {
    const [a, b, c] = [await peer(), await peer(), await peer()];
    await connect(a, b);
    await connect(b, c);
    await settled(a, 1, [b]);
    await settled(b, 2, [a, c]);
    await publish(a, "from a");
    await publish(c, "from c");
    await waitFor(
      () => c.arrivals.get("from a") === 1 && a.arrivals.get("from c") === 1,
      "relayed through b",
    );
    expect(b.counts.skipped).toBe(0);
  });

  it("makes up the relays it skipped when the source's word turns out stale", async () => {
    const [a, b, c] = await fullMesh();
    // a's link to c dies silently: a still names c in its mesh, and b skips c on its word
    a.deaf.add(c.id);
    await publish(a, "lost on the way");
    await waitFor(() => b.arrivals.get("lost on the way") === 1, "b has it");
    await relaysDone();
    expect(c.arrivals.has("lost on the way")).toBe(false);
    expect(b.counts.skipped).toBe(1);
    // a finds out (here: the connection closes), says so, and b sends what it skipped
    await a.node.hangUp(c.node.peerId);
    await waitFor(() => c.arrivals.get("lost on the way") === 1, "the skipped relay made up");
    expect(b.counts.made_up).toBe(1);
  });

  it("asks a peer that does not speak the protocol once, not at every heartbeat", async () => {
    const [a, plain] = [await peer(), await peer(false)];
    await connect(a, plain);
    await waitFor(() => meshOf(a).length === 1, "mesh");
    await waitFor(() => a.announcements === 1, "one announcement tried");
    await sleep(600); // six heartbeats
    expect(a.announcements).toBe(1);
    // and it still relays to it, unaffected
    const c = await peer();
    await connect(c, a);
    await waitFor(() => meshOf(a).length === 2, "mesh of two");
    await publish(c, "via a");
    await waitFor(() => plain.arrivals.get("via a") === 1, "relayed to the plain peer");
  });
});
