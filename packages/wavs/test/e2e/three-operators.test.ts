import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../helpers/node-network.js";
import { type OperatorNetwork, startOperatorNetwork } from "../helpers/operator-network.js";
import { waitUntil } from "../helpers/wait-until.js";

describe("three operators, 2-of-3 quorum, P2P on loopback (real anvil, real node processes)", () => {
  let net: OperatorNetwork;

  /** Ids of operator i's aggregation records so far. */
  async function recordIds(i: number): Promise<Set<number>> {
    return new Set((await net.aggregations(i)).map((r) => r.id));
  }

  /** Operator i's aggregation record that is not among `known` (the one event since then). */
  async function newRecord(i: number, known: Set<number>) {
    return (await net.aggregations(i)).find((r) => !known.has(r.id));
  }

  /** The signing keys operator i ranks for the service, with how it knows each. */
  async function knownOperators(i: number) {
    const res = await api(`${net.ops[i]!.node!.url}/p2p/status`, "GET");
    const status = res.json as {
      topics: {
        service_id: string;
        operators: { signer: string; last_signed_at: number | null; present_at: number | null }[];
      }[];
    };
    return status.topics.find((t) => t.service_id === net.serviceId)?.operators ?? [];
  }

  /** Operator i's record of the event since `known`, once it has `status`. */
  function recordWith(i: number, known: Set<number>, status: string[]) {
    return waitUntil(
      async () => {
        const r = await newRecord(i, known);
        return r && status.includes(r.status) ? r : undefined;
      },
      `operator ${i}'s record of the event ${status.join(" or ")}`,
      120_000,
    );
  }

  beforeAll(async () => {
    net = await startOperatorNetwork();
  }, 600_000);

  afterAll(async () => {
    await net?.close();
  });

  it("lands each result with exactly one transaction", async () => {
    // before any event, every node ranks all three operators: each announced itself over P2P
    // (otherwise the first event is ranked over whoever signed first, and two can send)
    for (const i of [0, 1, 2]) {
      const others = net.ops.filter((_, j) => j !== i).map((op) => op.signer);
      const present = await waitUntil(
        async () => {
          const ops = await knownOperators(i);
          const announced = ops.filter((o) => o.present_at !== null).map((o) => o.signer);
          return others.every((s) => announced.includes(s)) ? ops : undefined;
        },
        `operator ${i} knowing the two others`,
        60_000,
      );
      expect(present.map((o) => o.last_signed_at)).toEqual([null, null]);
    }
    const known = await Promise.all([0, 1, 2].map(recordIds));
    const id = await net.trigger('{"x":3}');
    const data = await waitUntil(() => net.resultFor(id), "the result on-chain", 120_000);
    expect(data).toBe('{"y":9}');
    // every operator has decided: the one that sent saw it mined, the others found it landed
    // when their turn to take over came, instead of sending a duplicate
    const records = await waitUntil(
      async () => {
        const all = await Promise.all([0, 1, 2].map((i) => newRecord(i, known[i]!)));
        return all.every((r) => r?.status === "burned") ? all : undefined;
      },
      "every operator's record of the event burned",
      120_000,
    );
    const txs = await net.resultTransactions();
    expect(txs).toHaveLength(1);
    expect(txs[0]!.status).toBe("success");
    expect(records.filter((r) => r!.landed_by === "self").map((r) => r!.landed_tx_hash)).toEqual([
      txs[0]!.hash,
    ]);
    expect(records.filter((r) => r!.landed_by === "other")).toHaveLength(2);
  }, 180_000);

  it("an operator frozen during an event (SIGSTOP, then SIGCONT) leaves exactly one transaction per result", async () => {
    const before = (await net.resultTransactions()).length;
    // resumed as the others reach quorum (it signs around the end of their settle window),
    // then resumed only after the result landed (it hears of the landing with the signatures)
    const rounds = [
      { frozen: 0, resumeAt: ["quorum", "burned"] },
      { frozen: 1, resumeAt: ["burned"] },
      { frozen: 2, resumeAt: ["quorum", "burned"] },
    ];
    for (const [n, { frozen, resumeAt }] of rounds.entries()) {
      const watcher = (frozen + 1) % 3;
      const known = await Promise.all([0, 1, 2].map(recordIds));
      const pid = net.ops[frozen]!.node!.child.pid!;
      process.kill(pid, "SIGSTOP");
      let id: bigint;
      try {
        id = await net.trigger(`{"x":${10 + n}}`);
        await recordWith(watcher, known[watcher]!, resumeAt);
      } finally {
        process.kill(pid, "SIGCONT");
      }
      expect(await waitUntil(() => net.resultFor(id), "the result on-chain", 120_000)).toBe(
        JSON.stringify({ y: (10 + n) ** 2 }),
      );
      const records = await Promise.all(
        [0, 1, 2].map((i) => recordWith(i, known[i]!, ["burned", "failed"])),
      );
      expect(records.map((r) => r.status)).toEqual(["burned", "burned", "burned"]);
      expect(records.filter((r) => r.landed_by === "self")).toHaveLength(1);
    }
    const txs = (await net.resultTransactions()).slice(before);
    expect(txs.map((t) => t.status)).toEqual(["success", "success", "success"]);
  }, 400_000);

  it("still lands with one operator down; with two down it waits, and lands when one returns", async () => {
    await net.ops[2]!.node!.kill9();
    const id = await net.trigger('{"x":4}');
    expect(
      await waitUntil(() => net.resultFor(id), "the result with one operator down", 120_000),
    ).toBe('{"y":16}');

    await net.ops[1]!.node!.kill9();
    const known = await recordIds(0);
    const pending = await net.trigger('{"x":5}');
    // the last node signed, checked quorum on-chain and was told to wait for more signatures
    const waiting = await waitUntil(
      async () => {
        const r = await newRecord(0, known);
        return r?.notes.some((n) => n.includes("InsufficientQuorum")) ? r : undefined;
      },
      "operator 0 waiting for quorum",
      120_000,
    );
    expect(waiting.status).toBe("collecting");
    expect(waiting.signers.map((s) => s.signer)).toEqual([net.ops[0]!.signer]);
    expect(await net.resultFor(pending)).toBeUndefined();
    await net.start(1);
    expect(
      await waitUntil(() => net.resultFor(pending), "the pending result after a restart", 180_000),
    ).toBe('{"y":25}');
  }, 400_000);
});
