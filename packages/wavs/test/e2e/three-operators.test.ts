import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

  beforeAll(async () => {
    net = await startOperatorNetwork();
  }, 600_000);

  afterAll(async () => {
    await net?.close();
  });

  it("lands each result with exactly one transaction", async () => {
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
