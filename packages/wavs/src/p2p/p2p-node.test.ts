/**
 * Real libp2p nodes on 127.0.0.1 in remote mode (bootstrap lists; no mDNS, since multicast
 * may be unavailable). Timers are shortened through the tuning options.
 */
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  libp2pOf,
  makeSubmission,
  SERVICE_A,
  SERVICE_B,
  sleep,
  startRawPeer,
  startTestNode,
  TEST_TUNING,
  TempDirs,
  type TestNode,
  topicPeers,
  waitFor,
} from "../../test/helpers/p2p-harness.js";
import { silentLogger } from "../internal/logger.js";
import { Metrics } from "../metrics/index.js";
import type { P2pNode } from "./p2p-api.js";
import { createP2pNode } from "./p2p-node.js";
import { encodeSubmission, topicForService } from "./wire.js";

const dirs = new TempDirs();
const running: { stop(): Promise<void> | void }[] = [];

async function node(options: Parameters<typeof startTestNode>[0]): Promise<TestNode> {
  const n = await startTestNode(options);
  running.push(n.node);
  return n;
}

function keyPath(): string {
  return join(dirs.make(), "p2p-key");
}

/** Start a node again with its key on the port of its old address, subscribed to SERVICE_A. */
async function restartAt(key: string, addr: string, bootstrap: string[]): Promise<P2pNode> {
  const n = createP2pNode({
    config: { type: "remote", listen_port: Number(addr.split("/")[4]), bootstrap_nodes: bootstrap },
    logger: silentLogger(),
    peerKeyPath: key,
    onSubmission: async () => "accept",
    tuning: TEST_TUNING,
  });
  running.push(n);
  n.subscribe(SERVICE_A);
  await n.start();
  return n;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((n) => n.stop()));
  dirs.cleanup();
});

describe("p2p gossip", () => {
  it("three nodes form a mesh; a message reaches every other node exactly once", async () => {
    const a = await node({ keyPath: keyPath() });
    const b = await node({ keyPath: keyPath(), bootstrap: [a.addr()] });
    const c = await node({ keyPath: keyPath(), bootstrap: [a.addr(), b.addr()] });
    for (const n of [a, b, c]) await waitFor(() => topicPeers(n.node, SERVICE_A) === 2, "mesh");

    const m1 = makeSubmission();
    const outcome = await a.node.publish(SERVICE_A, m1);
    expect(outcome.recipients).toBe(2);
    await waitFor(() => b.count(m1.event_id) === 1 && c.count(m1.event_id) === 1, "delivery");

    const m2 = makeSubmission();
    await c.node.publish(SERVICE_A, m2);
    await waitFor(() => a.count(m2.event_id) === 1 && b.count(m2.event_id) === 1, "delivery");

    // Several heartbeats of relaying and gossip later, still once each; never to the author.
    await sleep(600);
    expect([b.count(m1.event_id), c.count(m1.event_id), a.count(m1.event_id)]).toEqual([1, 1, 0]);
    expect([a.count(m2.event_id), b.count(m2.event_id), c.count(m2.event_id)]).toEqual([1, 1, 0]);
    expect(b.received.find((r) => r.message.event_id === m1.event_id)?.message).toEqual(m1);
    // `from` is the peer that handed it over: the author, or c relaying it.
    expect([a.node.status().peer_id, c.node.status().peer_id]).toContain(
      b.received.find((r) => r.message.event_id === m1.event_id)?.from,
    );
  });

  it("three connected nodes stop relaying to each other once their meshes are announced", async () => {
    const metrics = [0, 1, 2].map(() => new Metrics({ defaultMetrics: false }));
    const a = await node({ keyPath: keyPath(), metrics: metrics[0] });
    const b = await node({ keyPath: keyPath(), bootstrap: [a.addr()], metrics: metrics[1] });
    const c = await node({
      keyPath: keyPath(),
      bootstrap: [a.addr(), b.addr()],
      metrics: metrics[2],
    });
    for (const n of [a, b, c]) await waitFor(() => topicPeers(n.node, SERVICE_A) === 2, "mesh");
    const skipped = async () => {
      let sum = 0;
      for (const m of metrics) {
        const line = (await m.registry.metrics()).match(/^wavs_p2p_relays_skipped_total (\d+)$/m);
        sum += Number(line?.[1] ?? 0);
      }
      return sum;
    };
    // each node's mesh reaches the others at a heartbeat (100 ms here): publish until the
    // receivers skip their relays, every message still reaching both peers once
    const sent: string[] = [];
    const deadline = Date.now() + 10_000;
    while ((await skipped()) < 2) {
      if (Date.now() > deadline) throw new Error("timed out waiting for relays to be skipped");
      const m = makeSubmission();
      sent.push(m.event_id);
      await a.node.publish(SERVICE_A, m);
      await waitFor(() => b.count(m.event_id) === 1 && c.count(m.event_id) === 1, "delivery");
      await sleep(50);
    }
    await sleep(300);
    for (const id of sent) expect([b.count(id), c.count(id), a.count(id)]).toEqual([1, 1, 0]);
  });

  it("does not relay a message the validator rejects", async () => {
    // A line: a - b - c. c can only hear a's messages through b.
    const a = await node({ keyPath: keyPath() });
    const b = await node({
      keyPath: keyPath(),
      bootstrap: [a.addr()],
      verdict: (m) => (m.operator_response.payload === "0xdead" ? "reject" : "accept"),
    });
    const c = await node({ keyPath: keyPath(), bootstrap: [b.addr()] });
    await waitFor(() => topicPeers(a.node, SERVICE_A) === 1, "a sees b");
    await waitFor(() => topicPeers(c.node, SERVICE_A) === 1, "c sees b");
    expect(a.node.status().connected_peers).not.toContain(c.node.status().peer_id);

    const bad = makeSubmission(SERVICE_A, {
      operator_response: { payload: "0xdead", ordering: null, event_id_salt: null },
    });
    await a.node.publish(SERVICE_A, bad);
    await waitFor(() => b.count(bad.event_id) === 1, "b judges the bad message");
    const good = makeSubmission();
    await a.node.publish(SERVICE_A, good);
    await waitFor(() => c.count(good.event_id) === 1, "the good message is relayed");
    await sleep(500);
    expect(c.count(bad.event_id)).toBe(0);
    expect(b.count(bad.event_id)).toBe(1);
    // The sender of an invalid message loses score with b (gossipsub P4).
    const scored = b.node as P2pNode & { peerScore(p: string): number | undefined };
    expect(scored.peerScore(a.node.status().peer_id ?? "")).toBeLessThan(0);
  });

  it("rate-limits a flooding peer before the validator and penalises it", async () => {
    const burst = 20;
    const a = await node({
      keyPath: keyPath(),
      tuning: { rateLimit: { perSecond: 1, burst } },
    });
    const raw = await startRawPeer(a.addr());
    running.push(raw);
    const topic = topicForService(SERVICE_A);
    await waitFor(
      () => raw.services.pubsub.getSubscribers(topic).some((p) => p.equals(raw.getPeers()[0])),
      "raw peer sees the subscription",
    );
    const started = Date.now();
    const flood = Array.from({ length: 300 }, () => encodeSubmission(makeSubmission()));
    await Promise.all(flood.map((bytes) => raw.services.pubsub.publish(topic, bytes)));
    await waitFor(() => a.received.length >= burst, "the burst is validated");
    await sleep(500);
    const elapsedS = (Date.now() - started) / 1000;
    expect(a.received.length).toBeGreaterThanOrEqual(burst);
    expect(a.received.length).toBeLessThanOrEqual(burst + Math.ceil(elapsedS));
    const score = (a.node as P2pNode & { peerScore(p: string): number | undefined }).peerScore(
      raw.peerId.toString(),
    );
    expect(score).toBeLessThan(0);
  });

  it("rejects oversized and malformed messages without calling the validator", async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const a = await node({ keyPath: keyPath(), tuning: { maxMessageBytes: 4096 }, metrics });
    const raw = await startRawPeer(a.addr());
    running.push(raw);
    const topic = topicForService(SERVICE_A);
    await waitFor(() => raw.services.pubsub.getSubscribers(topic).length === 1, "subscription");

    const big = makeSubmission(SERVICE_A, {
      envelope: {
        event_id: `0x${"11".repeat(20)}`,
        ordering: `0x${"00".repeat(12)}`,
        payload: `0x${"ab".repeat(4000)}`,
      },
    });
    const enc = new TextEncoder();
    const wrongService = makeSubmission(SERVICE_B);
    const bad: Uint8Array[] = [
      encodeSubmission(big, 1 << 20),
      enc.encode("not json"),
      new Uint8Array([0xff, 0xfe, 0x00]),
      enc.encode(JSON.stringify({ version: 2, submission: makeSubmission() })),
      enc.encode(
        JSON.stringify({ version: 1, submission: { ...makeSubmission(), signature: "0x12" } }),
      ),
      enc.encode(JSON.stringify({ version: 1, submission: wrongService })),
    ];
    for (const bytes of bad) await raw.services.pubsub.publish(topic, bytes);
    const good = makeSubmission();
    await raw.services.pubsub.publish(topic, encodeSubmission(good));
    await waitFor(() => a.count(good.event_id) === 1, "the good message");
    await sleep(200);
    expect(a.received.map((r) => r.message.event_id)).toEqual([good.event_id]);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/wavs_p2p_messages_total\{source="gossip",result="oversized"\} 1/);
    expect(text).toMatch(/wavs_p2p_messages_total\{source="gossip",result="malformed"\} 4/);
    expect(text).toMatch(/wavs_p2p_messages_total\{source="gossip",result="wrong_topic"\} 1/);
    expect(text).toMatch(/wavs_p2p_messages_total\{source="gossip",result="accept"\} 1/);
  });

  it("a node that starts later catches up on recent submissions, once each", async () => {
    const a = await node({ keyPath: keyPath() });
    const b = await node({ keyPath: keyPath(), bootstrap: [a.addr()] });
    await waitFor(() => topicPeers(a.node, SERVICE_A) === 1, "mesh");
    const sent = [makeSubmission(), makeSubmission(), makeSubmission()];
    for (const m of sent) await a.node.publish(SERVICE_A, m);
    await waitFor(() => b.received.length === 3, "b has them");
    // Another service's messages are not served to a node that did not ask for them.
    b.node.subscribe(SERVICE_B);
    await b.node.publish(SERVICE_B, makeSubmission(SERVICE_B));

    // c learns them from both a (its own) and b (accepted): judged once each.
    const metrics = new Metrics({ defaultMetrics: false });
    const c = await node({ keyPath: keyPath(), bootstrap: [a.addr(), b.addr()], metrics });
    await waitFor(() => c.received.length >= 3, "catch-up");
    await sleep(500);
    expect(c.received.map((r) => r.message.event_id).sort()).toEqual(
      sent.map((m) => m.event_id).sort(),
    );
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/wavs_p2p_messages_total\{source="catchup",result="accept"\} 3/);
    expect(text).toMatch(/wavs_p2p_messages_total\{source="catchup",result="duplicate"\} 3/);

    // A service subscribed after connecting is caught up too.
    c.node.subscribe(SERVICE_B);
    await waitFor(() => c.received.length === 4, "catch-up of the new service");
    expect(c.received[3]?.message.service_id).toBe(SERVICE_B);
  });

  it("a restarted node keeps its peer id and catches up on what it missed", async () => {
    const a = await node({ keyPath: keyPath() });
    const bKey = keyPath();
    const b1 = await node({ keyPath: bKey, bootstrap: [a.addr()] });
    const bId = b1.node.status().peer_id;
    await waitFor(() => topicPeers(a.node, SERVICE_A) === 1, "mesh");
    await b1.node.stop();
    await waitFor(() => a.node.status().connected_peers.length === 0, "b gone");

    const missed = makeSubmission();
    expect((await a.node.publish(SERVICE_A, missed)).recipients).toBe(0);

    const metrics = new Metrics({ defaultMetrics: false });
    const b2 = await node({ keyPath: bKey, bootstrap: [a.addr()], metrics });
    expect(b2.node.status().peer_id).toBe(bId);
    await waitFor(() => b2.count(missed.event_id) === 1, "catch-up after restart");
    expect(b2.received[0]?.from).toBe(a.node.status().peer_id);
    expect(await metrics.registry.metrics()).toMatch(
      /wavs_p2p_messages_total\{source="catchup",result="accept"\} 1/,
    );
  });

  it("keeps dialing a bootstrap peer until it comes up", async () => {
    const aKey = keyPath();
    const a1 = await node({ keyPath: aKey });
    const aAddr = a1.addr();
    await a1.node.stop();
    const b = await node({ keyPath: keyPath(), bootstrap: [aAddr] });
    await sleep(600);
    expect(b.node.status().connected_peers).toEqual([]);
    // a comes back on the same port with the same key: b reconnects on its own.
    await restartAt(aKey, aAddr, []);
    await waitFor(() => b.node.status().connected_peers.length === 1, "reconnect");
  });

  it("does not dial a bootstrap address whose peer already dialed it (a second connection)", async () => {
    const aKey = keyPath();
    const a1 = await node({ keyPath: aKey });
    const aAddr = a1.addr();
    const aPeer = a1.node.status().peer_id;
    await a1.node.stop();
    // b lists a without its peer id, and a is down: b's only dial (at start) fails
    const b = await node({
      keyPath: keyPath(),
      bootstrap: [aAddr.split("/p2p/")[0]!],
      tuning: { reconnectIntervalMs: 3_600_000 },
    });
    const opened: string[] = [];
    libp2pOf(b.node).addEventListener("connection:open", (e) => opened.push(e.detail.direction));
    // a comes back on its port and dials b
    await restartAt(aKey, aAddr, [b.addr()]);
    await waitFor(() => topicPeers(b.node, SERVICE_A) === 1, "a's dial");
    expect(opened).toEqual(["inbound"]);
    // b's next rounds of bootstrap dialing find a connected, by the address a listens on
    const dialBootstrap = (b.node as unknown as { dialBootstrap(): Promise<void> }).dialBootstrap;
    for (let round = 0; round < 2; round++) await dialBootstrap.call(b.node);
    expect(opened).toEqual(["inbound"]);
    expect(b.node.status().connected_peers).toEqual([aPeer]);
  });

  it("reports its status", async () => {
    const a = await node({ keyPath: keyPath() });
    const b = await node({ keyPath: keyPath(), bootstrap: [a.addr()] });
    await waitFor(() => topicPeers(b.node, SERVICE_A) === 1, "mesh");
    const status = b.node.status();
    expect(status.enabled).toBe(true);
    expect(status.peer_id).toMatch(/^12D3KooW/);
    expect(status.listen_addresses.some((x) => x.startsWith("/ip4/127.0.0.1/tcp/"))).toBe(true);
    expect(status.listen_addresses.every((x) => x.endsWith(`/p2p/${status.peer_id}`))).toBe(true);
    expect(status.connected_peers).toEqual([a.node.status().peer_id]);
    expect(status.gossip_links).toEqual({
      [a.node.status().peer_id!]: { known: true, outbound: true, inbound: true },
    });
    expect(status.topics).toEqual([
      { service_id: SERVICE_A, topic: `wavs/submissions/${SERVICE_A}`, peers: 1 },
    ]);
    b.node.unsubscribe(SERVICE_A);
    expect(b.node.status().topics).toEqual([]);
    await waitFor(() => topicPeers(a.node, SERVICE_A) === 0, "a sees the unsubscribe");
  });

  it("fails clearly on a corrupt key file and on a port in use", async () => {
    const bad = keyPath();
    writeFileSync(bad, "not a key");
    const options = {
      logger: silentLogger(),
      onSubmission: async () => "accept" as const,
      tuning: TEST_TUNING,
    };
    const n1 = createP2pNode({
      ...options,
      config: { type: "remote", listen_port: 0, bootstrap_nodes: [] },
      peerKeyPath: bad,
    });
    await expect(n1.start()).rejects.toMatchObject({ code: "WAVS_ERR_P2P_KEY_INVALID" });

    expect(() =>
      createP2pNode({
        ...options,
        config: { type: "remote", listen_port: 0, bootstrap_nodes: ["/ip4/nope/tcp/1"] },
        peerKeyPath: keyPath(),
      }),
    ).toThrow(/not a multiaddr/);

    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const n2 = createP2pNode({
        ...options,
        config: { type: "remote", listen_port: port, bootstrap_nodes: [] },
        peerKeyPath: keyPath(),
      });
      await expect(n2.start()).rejects.toMatchObject({ code: "WAVS_ERR_P2P_LISTEN_FAILED" });
      await expect(n2.publish(SERVICE_A, makeSubmission())).rejects.toMatchObject({
        code: "WAVS_ERR_P2P_NOT_RUNNING",
      });
    } finally {
      server.close();
    }
  });

  it("refuses to publish a malformed submission (peers would penalise us)", async () => {
    const a = await node({ keyPath: keyPath() });
    const bad = { ...makeSubmission(), signature: "0x1234" };
    await expect(a.node.publish(SERVICE_A, bad)).rejects.toMatchObject({
      code: "WAVS_ERR_INTERNAL",
    });
    await expect(a.node.publish(SERVICE_B, makeSubmission(SERVICE_A))).rejects.toMatchObject({
      code: "WAVS_ERR_INTERNAL",
    });
  });

  it("refuses to publish a submission over the size cap", async () => {
    const a = await node({ keyPath: keyPath(), tuning: { maxMessageBytes: 2048 } });
    const big = makeSubmission(SERVICE_A, {
      operator_response: { payload: `0x${"ab".repeat(2000)}`, ordering: null, event_id_salt: null },
    });
    await expect(a.node.publish(SERVICE_A, big)).rejects.toMatchObject({
      code: "WAVS_ERR_P2P_MESSAGE_TOO_LARGE",
    });
  });

  it("local mode starts with mDNS configured", async () => {
    const n = createP2pNode({
      config: { type: "local", listen_port: 0 },
      logger: silentLogger(),
      peerKeyPath: keyPath(),
      onSubmission: async () => "accept",
      tuning: TEST_TUNING,
    });
    running.push(n);
    await n.start();
    expect(n.status().enabled).toBe(true);
    expect(n.status().peer_id).toMatch(/^12D3KooW/);
  });

  it("disabled mode is a no-op with the same interface", async () => {
    const n = createP2pNode({
      config: { type: "disabled" },
      logger: silentLogger(),
      peerKeyPath: keyPath(),
      onSubmission: async () => "accept",
    });
    await n.start();
    n.subscribe(SERVICE_A);
    expect(n.enabled).toBe(false);
    expect(await n.publish(SERVICE_A, makeSubmission())).toEqual({ recipients: 0 });
    expect(n.status()).toEqual({
      enabled: false,
      peer_id: null,
      listen_addresses: [],
      connected_peers: [],
      gossip_links: {},
      topics: [],
    });
    await n.stop();
  });
});
