import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCosmos, type TestCosmos, WASMD_HOOK_TIMEOUT } from "../helpers/cosmos-harness.js";
import { type OperatorNetwork, startOperatorNetwork } from "../helpers/operator-network.js";
import { waitUntil } from "../helpers/wait-until.js";

const hex = (text: string) => Buffer.from(text).toString("hex");

describe("Cosmos triggers, results on EVM (real wasmd, real anvil, three node processes)", () => {
  let cosmos: TestCosmos;
  let net: OperatorNetwork;

  beforeAll(async () => {
    cosmos = await startTestCosmos("wasmd-e2e");
    net = await startOperatorNetwork({ cosmos, cosmosWorkflows: ["default"] });
  }, WASMD_HOOK_TIMEOUT);

  afterAll(async () => {
    await net?.close();
    await cosmos?.stop();
  });

  /** Ids of every operator's aggregation records so far. */
  const recordIds = () =>
    Promise.all([0, 1, 2].map(async (i) => new Set((await net.aggregations(i)).map((r) => r.id))));

  /** Wait until every operator has `count` records beyond `known`, all decided (burned). */
  const allBurned = (known: Set<number>[], count: number) =>
    waitUntil(
      async () => {
        const fresh = await Promise.all(
          [0, 1, 2].map(async (i) =>
            (await net.aggregations(i)).filter((r) => !known[i]!.has(r.id)),
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
    const { ids } = await cosmos.emit(1, hex('{"x":12}'));
    const id = BigInt(ids[0]!);
    const data = await waitUntil(() => net.resultFor(id), "the result on the EVM handler", 120_000);
    expect(data).toBe('{"y":144}');
    // every operator decided (one sent, the others found it landed) before counting
    await allBurned(known, 1);
    const txs = await net.resultTransactions();
    expect(txs).toHaveLength(1);
    expect(txs[0]!.status).toBe("success");
  }, 240_000);

  it("several events of one Cosmos transaction each land once", async () => {
    const known = await recordIds();
    const before = (await net.resultTransactions()).length;
    const { ids } = await cosmos.emit(3, hex('{"x":5}'));
    expect(ids).toHaveLength(3);
    for (const id of ids) {
      expect(await waitUntil(() => net.resultFor(BigInt(id)), `result ${id}`, 120_000)).toBe(
        '{"y":25}',
      );
    }
    await allBurned(known, 3);
    const txs = (await net.resultTransactions()).slice(before);
    expect(txs).toHaveLength(3);
    expect(txs.every((t) => t.status === "success")).toBe(true);
  }, 240_000);

  it("catches up after downtime: 50 events emitted while every node is down each run once", async () => {
    const known = await recordIds();
    const before = (await net.resultTransactions()).length;
    for (const op of net.ops) await op.node!.stop();
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(...(await cosmos.emit(10, hex(`{"x":${i}}`))).ids);
    expect(ids).toHaveLength(50);
    for (const i of [0, 1, 2]) await net.start(i);
    await net.waitForMesh();
    await allBurned(known, 50);
    for (const [n, id] of ids.entries()) {
      const x = Math.floor(n / 10);
      expect(await net.resultFor(BigInt(id))).toBe(`{"y":${x * x}}`);
    }
    const txs = (await net.resultTransactions()).slice(before);
    expect(txs).toHaveLength(50);
    expect(txs.every((t) => t.status === "success")).toBe(true);
  }, 300_000);
});
