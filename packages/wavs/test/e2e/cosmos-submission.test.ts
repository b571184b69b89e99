// Results landing on Cosmos: three real node processes, a real anvil and a real wasmd; the
// workflows' aggregator submits to our CosmWasm handlers, which validate with a CosmWasm
// service manager holding the operators' signing keys (2-of-3 by weight).
import { describe, expect, it } from "vitest";
import type { AggregationRecord } from "../../src/http/node-api.js";
import { useCosmosOperatorNetwork } from "../helpers/operator-network.js";
import { waitUntil } from "../helpers/wait-until.js";

const hex = (text: string) => Buffer.from(text).toString("hex");

describe("results submitted on Cosmos (real wasmd, real anvil, three node processes)", () => {
  const network = useCosmosOperatorNetwork("wasmd-submit", {
    workflows: { evm: "square", cosmos: "square" },
    cosmosWorkflows: ["cosmos"],
    // the EVM-triggered results land on a handler that accepts replays (as WAVS's mock
    // handler does): only the nodes' coordination keeps them to one transaction
    cosmosHandlers: { evm: "cosmos-replay-accepting", cosmos: "cosmos" },
    // the first test funds them
    cosmosUnfunded: true,
    // no takeovers while the designated submitter waits for funds
    aggregator: { grace_period_ms: 600_000 },
  });

  const recordIds = () =>
    Promise.all(
      [0, 1, 2].map(async (i) => new Set((await network.net.aggregations(i)).map((r) => r.id))),
    );

  /** Every operator's one record beyond `known`, once all are burned. */
  const allBurned = (known: Set<number>[]) =>
    waitUntil(
      async () => {
        const fresh = await Promise.all(
          [0, 1, 2].map(async (i) =>
            (await network.net.aggregations(i)).filter((r) => !known[i]!.has(r.id)),
          ),
        );
        return fresh.every((rs) => rs.length === 1 && rs[0]!.status === "burned")
          ? fresh.map((rs) => rs[0]!)
          : undefined;
      },
      "every operator's record burned",
      120_000,
    );

  /** One transaction landed it: the sender's record says self with its hash, the others other. */
  function expectOneLanding(records: AggregationRecord[], hash: string): void {
    expect(records.filter((r) => r.landed_by === "self").map((r) => r.landed_tx_hash)).toEqual([
      hash,
    ]);
    expect(records.filter((r) => r.landed_by === "other")).toHaveLength(2);
    for (const r of records) expect(r.chain).toBe(network.cosmos.key);
  }

  it("the aggregator's Cosmos account without funds: the result waits, survives a kill -9 of its node, and lands once funded", async () => {
    const known = await recordIds();
    const id = await network.net.trigger('{"x":7}', "evm");
    // the designated submitter's transaction waits for funds, saying so
    const waiting = await waitUntil(
      async () => {
        for (const i of [0, 1, 2]) {
          const r = (await network.net.aggregations(i)).find((a) => !known[i]!.has(a.id));
          if (r?.transaction?.error?.includes("waiting for funds")) return { i, r };
        }
        return undefined;
      },
      "a result transaction waiting for funds",
      120_000,
    );
    expect(waiting.r.status).toBe("quorum");
    expect(waiting.r.transaction!.status).toBe("queued");
    expect(await network.net.cosmosResultFor(id, "evm")).toBeUndefined();
    // a power cut on that node: the queued transaction is on disk, and waits again after start
    await network.net.ops[waiting.i]!.node!.kill9();
    await network.net.start(waiting.i);
    await network.net.waitForMesh();
    const restarted = network.net.ops[waiting.i]!.node!;
    await waitUntil(
      () => (restarted.logs.some((l) => l.includes("waiting for funds")) ? true : undefined),
      "the restarted node trying its queued transaction again",
      60_000,
    );
    const resumed = (await network.net.aggregations(waiting.i)).find((a) => a.id === waiting.r.id)!;
    expect(resumed.status).toBe("quorum");
    expect(resumed.transaction).toMatchObject({ status: "queued" });
    for (const op of network.net.ops)
      await network.cosmos.wallet.send(op.cosmosSender!, "100000000", "ustake");
    expect(
      await waitUntil(() => network.net.cosmosResultFor(id, "evm"), "the result", 120_000),
    ).toBe('{"y":49}');
    const records = await allBurned(known);
    const txs = await network.net.cosmosResultTransactions("evm");
    expect(txs).toHaveLength(1);
    expect(txs[0]).toMatchObject({
      status: "success",
      from: network.net.ops[waiting.i]!.cosmosSender,
    });
    expectOneLanding(records, txs[0]!.hash);
  }, 300_000);

  it("an EVM event's result lands on the Cosmos handler in exactly one transaction", async () => {
    const known = await recordIds();
    const before = (await network.net.cosmosResultTransactions("evm")).length;
    const id = await network.net.trigger('{"x":3}', "evm");
    expect(
      await waitUntil(() => network.net.cosmosResultFor(id, "evm"), "the result", 120_000),
    ).toBe('{"y":9}');
    const records = await allBurned(known);
    const txs = (await network.net.cosmosResultTransactions("evm")).slice(before);
    expect(txs).toHaveLength(1);
    expect(txs[0]!.status).toBe("success");
    expect(txs[0]!.hash).toMatch(/^[0-9A-F]{64}$/);
    expectOneLanding(records, txs[0]!.hash);
    // the winner's own record carries its Cosmos transaction
    const self = records.find((r) => r.landed_by === "self")!;
    expect(self.transaction).toMatchObject({
      status: "mined",
      receipt_status: "success",
      tx_hash: txs[0]!.hash,
    });
    // and its aggregator component's handle-submit-callback got the Cosmos tx hash
    const sender = network.net.ops.find((op) => op.cosmosSender === txs[0]!.from)!;
    await waitUntil(
      () =>
        sender.node!.logs.some((l) => l.includes(`landed in ${txs[0]!.hash}`)) ? true : undefined,
      "the submit callback with the Cosmos tx hash",
      30_000,
    );
  }, 240_000);

  it("a Cosmos event's result lands on Cosmos in exactly one transaction", async () => {
    const known = await recordIds();
    const before = (await network.net.cosmosResultTransactions("cosmos")).length;
    const { ids } = await network.cosmos.emit(1, hex('{"x":11}'));
    const id = ids[0]!;
    expect(
      await waitUntil(() => network.net.cosmosResultFor(id, "cosmos"), "the result", 120_000),
    ).toBe('{"y":121}');
    const records = await allBurned(known);
    const txs = (await network.net.cosmosResultTransactions("cosmos")).slice(before);
    expect(txs).toHaveLength(1);
    expect(txs[0]!.status).toBe("success");
    expectOneLanding(records, txs[0]!.hash);
  }, 240_000);
});

describe("results on Cosmos when only one operator can send there (real wasmd, real anvil, three node processes)", () => {
  const network = useCosmosOperatorNetwork("wasmd-one-sender", {
    cosmosHandlers: { default: "cosmos" },
    cosmosSenders: [0],
    aggregator: { grace_period_ms: 1_000 },
  });

  it("an operator without aggregator_cosmos_credential stands aside and the one with it lands the result once", async () => {
    const signers = network.net.ops.map((op) => op.signer);
    // events until one names an operator without the credential as its submitter (the order
    // differs per event: a third of them name operator 0)
    let designatedElsewhere: { index: number; eventId: string } | undefined;
    let events = 0;
    for (let x = 2; x < 14 && !designatedElsewhere; x++) {
      events++;
      const known = new Set((await network.net.aggregations(0)).map((r) => r.id));
      const id = await network.net.trigger(`{"x":${x}}`);
      expect(
        await waitUntil(() => network.net.cosmosResultFor(id, "default"), `result ${id}`, 120_000),
      ).toBe(JSON.stringify({ y: x * x }));
      const record = await waitUntil(
        async () =>
          (await network.net.aggregations(0)).find(
            (r) => !known.has(r.id) && r.designated_submitter,
          ),
        "operator 0's record with its designated submitter",
        60_000,
      );
      const index = signers.indexOf(record.designated_submitter as `0x${string}`);
      if (index !== 0) designatedElsewhere = { index, eventId: record.event_id };
    }
    expect(designatedElsewhere).toBeDefined();
    const { index, eventId } = designatedElsewhere!;
    // that operator said why it did not send; operator 0 took over
    const theirs = await waitUntil(
      async () => (await network.net.aggregations(index)).find((r) => r.event_id === eventId),
      "the designated operator's record",
      60_000,
    );
    expect(theirs.notes.join("\n")).toMatch(/no aggregator_cosmos_credential/);
    const txs = await network.net.cosmosResultTransactions("default");
    for (const tx of txs)
      expect(tx).toMatchObject({ status: "success", from: network.net.ops[0]!.cosmosSender });
    // one transaction per result, once operator 0 saw each landed
    await waitUntil(
      async () =>
        (await network.net.aggregations(0)).filter((r) => r.status === "burned").length === events
          ? true
          : undefined,
      "operator 0's records burned",
      60_000,
    );
    expect(await network.net.cosmosResultTransactions("default")).toHaveLength(events);
  }, 240_000);
});

describe("a service managed, triggered and landed on Cosmos (real wasmd, three node processes)", () => {
  const network = useCosmosOperatorNetwork("wasmd-all-cosmos", {
    cosmosWorkflows: ["default"],
    cosmosHandlers: { default: "cosmos" },
    cosmosManaged: true,
  });

  it("peers' signatures are checked against the Cosmos manager and the result lands once", async () => {
    const { ids } = await network.cosmos.emit(1, hex('{"x":9}'));
    const id = ids[0]!;
    expect(
      await waitUntil(() => network.net.cosmosResultFor(id, "default"), "the result", 120_000),
    ).toBe('{"y":81}');
    const records = await waitUntil(
      async () => {
        const all = await Promise.all([0, 1, 2].map((i) => network.net.aggregations(i)));
        return all.every((rs) => rs.length === 1 && rs[0]!.status === "burned")
          ? all.map((rs) => rs[0]!)
          : undefined;
      },
      "every operator's record burned",
      120_000,
    );
    // quorum needed a peer's signature on every node: each was accepted after the Cosmos
    // manager confirmed its signer
    for (const r of records) {
      expect(r.quorum_signers!.length).toBeGreaterThanOrEqual(2);
      expect(r.signers.some((s) => s.origin === "peer")).toBe(true);
    }
    const txs = await network.net.cosmosResultTransactions("default");
    expect(txs).toHaveLength(1);
    expect(txs[0]!.status).toBe("success");
  }, 240_000);
});
