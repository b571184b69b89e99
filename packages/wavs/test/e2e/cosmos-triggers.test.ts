import { describe, expect, it } from "vitest";
import { useCosmosOperatorNetwork } from "../helpers/operator-network.js";
import { waitUntil } from "../helpers/wait-until.js";

const hex = (text: string) => Buffer.from(text).toString("hex");

describe("Cosmos triggers, results on EVM (real wasmd, real anvil, three node processes)", () => {
  const network = useCosmosOperatorNetwork("wasmd-e2e", { cosmosWorkflows: ["default"] });

  /** Ids of every operator's aggregation records so far. */
  const recordIds = () =>
    Promise.all(
      [0, 1, 2].map(async (i) => new Set((await network.net.aggregations(i)).map((r) => r.id))),
    );

  /** Wait until every operator has `count` records beyond `known`, all decided (burned). */
  const allBurned = (known: Set<number>[], count: number) =>
    waitUntil(
      async () => {
        const fresh = await Promise.all(
          [0, 1, 2].map(async (i) =>
            (await network.net.aggregations(i)).filter((r) => !known[i]!.has(r.id)),
          ),
        );
        return fresh.every((rs) => rs.length === count && rs.every((r) => r.status === "burned"))
          ? fresh
          : undefined;
      },
      `every operator's ${count} record(s) burned`,
      120_000,
    );

  it("a CosmWasm contract event runs the service and its result lands on the EVM handler in exactly one transaction", async () => {
    const known = await recordIds();
    const { ids } = await network.cosmos.emit(1, hex('{"x":12}'));
    const id = BigInt(ids[0]!);
    const data = await waitUntil(
      () => network.net.resultFor(id),
      "the result on the EVM handler",
      120_000,
    );
    expect(data).toBe('{"y":144}');
    // every operator decided (one sent, the others found it landed) before counting
    await allBurned(known, 1);
    const txs = await network.net.resultTransactions();
    expect(txs).toHaveLength(1);
    expect(txs[0]!.status).toBe("success");
  }, 240_000);

  it("several events of one Cosmos transaction each land once", async () => {
    const known = await recordIds();
    const before = (await network.net.resultTransactions()).length;
    const { ids } = await network.cosmos.emit(3, hex('{"x":5}'));
    expect(ids).toHaveLength(3);
    for (const id of ids) {
      expect(
        await waitUntil(() => network.net.resultFor(BigInt(id)), `result ${id}`, 120_000),
      ).toBe('{"y":25}');
    }
    await allBurned(known, 3);
    const txs = (await network.net.resultTransactions()).slice(before);
    expect(txs).toHaveLength(3);
    expect(txs.every((t) => t.status === "success")).toBe(true);
  }, 240_000);

  it("catches up after downtime: 50 events emitted while every node is down each run once", async () => {
    const known = await recordIds();
    const before = (await network.net.resultTransactions()).length;
    for (const op of network.net.ops) await op.node!.stop();
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(...(await network.cosmos.emit(10, hex(`{"x":${i}}`))).ids);
    expect(ids).toHaveLength(50);
    for (const i of [0, 1, 2]) await network.net.start(i);
    await network.net.waitForMesh();
    await allBurned(known, 50);
    for (const [n, id] of ids.entries()) {
      const x = Math.floor(n / 10);
      expect(await network.net.resultFor(BigInt(id))).toBe(`{"y":${x * x}}`);
    }
    const txs = (await network.net.resultTransactions()).slice(before);
    expect(txs).toHaveLength(50);
    expect(txs.every((t) => t.status === "success")).toBe(true);
  }, 300_000);
});
