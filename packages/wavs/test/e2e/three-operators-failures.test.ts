// Failures across three real operators (real anvil, real `wavs node` processes, P2P on
// loopback, 2-of-3 quorum). Each node reaches anvil through its own JSON-RPC proxy, which the
// tests tell to refuse transaction broadcasts: that is how "the designated submitter dies right
// after quorum" is staged without racing the clock. What the nodes did is read from their
// GET /services/{service_id}/aggregations and /executions.
//
// The "replay" workflow's handler accepts replays, as WAVS's example handler does: there only
// the nodes (announced landings checked on-chain, blocks searched before a takeover) keep each
// result to one transaction.
//
// The grace period before a takeover is the node's default (15 s per rank; `[aggregator]
// grace_period_ms`): kept, since a shorter one on a loaded machine invites a second sender, so
// the takeover test takes about two grace periods.
import { getAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AggregationRecord, ExecutionRecord } from "../../src/http/node-api.js";
import { api } from "../helpers/node-network.js";
import {
  isRunning,
  type Operator,
  type OperatorNetwork,
  startOperatorNetwork,
} from "../helpers/operator-network.js";
import { waitUntil } from "../helpers/wait-until.js";

describe("three operators, failures (real anvil, real node processes, an RPC proxy per node)", () => {
  let net: OperatorNetwork;

  /** Ids of operator i's aggregation records so far. */
  async function recordIds(i: number): Promise<Set<number>> {
    return new Set((await net.aggregations(i)).map((r) => r.id));
  }

  /** Operator i's record of the workflow that is not among `known` (the one event since). */
  async function newRecord(
    i: number,
    known: Set<number>,
    workflowId: string,
  ): Promise<AggregationRecord | undefined> {
    return (await net.aggregations(i)).find(
      (r) => !known.has(r.id) && r.workflow_id === workflowId,
    );
  }

  const byAddress = (address: string | null) =>
    net.ops.find((op) => address !== null && op.signer === getAddress(address));

  beforeAll(async () => {
    net = await startOperatorNetwork({
      rpcProxies: true,
      workflows: { default: "square", disagree: "disagree", replay: "square" },
      // shaped like WAVS's example handler: a second valid call lands and overwrites
      handlers: { replay: "replay-accepting" },
      // The killing tests need one designated submitter everywhere. With the default 1 s, a
      // loaded machine can hold back the first-ranked operator's signature past the window:
      // the next operator then sends too (the case the landing checks exist for), and "the"
      // designated submitter is not one node. Waiting longer costs nothing when it signs.
      aggregator: { settle_ms: 5_000 },
    });
  }, 600_000);

  afterAll(async () => {
    await net?.close();
  });

  it("a non-deterministic component (operators disagree): no quorum, the execution records say why", async () => {
    const known = await Promise.all(net.ops.map((op) => recordIds(op.index)));
    const id = await net.trigger('{"x":1}', "disagree");

    // Every operator holds all three signatures, each over another envelope: one opened its
    // record, the two others are disagreements; and it has checked quorum on-chain since.
    const records = await waitUntil(
      async () => {
        const all = await Promise.all(
          net.ops.map((op) => newRecord(op.index, known[op.index]!, "disagree")),
        );
        const settled = all.every(
          (r) =>
            r !== undefined &&
            r.signers.length + r.disagreements.length === 3 &&
            r.notes.some((n) => n.includes("InsufficientQuorum")),
        );
        return settled ? (all as AggregationRecord[]) : undefined;
      },
      "every operator's record showing the three envelopes and a quorum check that waits",
      120_000,
    );

    const envelopeOf = new Map<string, string>();
    for (const [i, r] of records.entries()) {
      const seen = [
        ...r.signers.map((s) => ({ signer: s.signer, envelope_hash: r.envelope_hash })),
        ...r.disagreements,
      ];
      expect(new Set(seen.map((s) => getAddress(s.signer)))).toEqual(
        new Set(net.ops.map((op) => op.signer)),
      );
      // three operators, three different envelopes
      expect(new Set(seen.map((s) => s.envelope_hash)).size).toBe(3);
      // every node sees the same envelope from the same signer
      for (const s of seen) {
        const previous = envelopeOf.get(getAddress(s.signer));
        if (previous !== undefined) expect(s.envelope_hash, `node ${i}`).toBe(previous);
        envelopeOf.set(getAddress(s.signer), s.envelope_hash);
      }
      expect(r).toMatchObject({
        status: "collecting",
        quorum_reached_at: null,
        quorum_signers: null,
        designated_submitter: null,
        landed_by: null,
        landed_tx_hash: null,
        transaction: null,
      });
      expect(r.signers).toHaveLength(1);
      // the reason, first: who signed something else
      expect(r.notes.slice(0, 2).sort()).toEqual(
        r.disagreements
          .map(
            (d) =>
              `signer ${d.signer} signed a different envelope (${d.envelope_hash}) than ${r.envelope_hash}: the operators disagree and their signatures do not combine`,
          )
          .sort(),
      );
    }

    // and the cause: each operator's execution succeeded with a payload of its own
    const payloads = await Promise.all(
      net.ops.map(async (op) => {
        const res = await api(`${op.node!.url}/services/${net.serviceId}/executions`, "GET");
        const executions = (res.json as { executions: ExecutionRecord[] }).executions;
        const run = executions.find((e) => e.workflow_id === "disagree");
        expect(run?.status).toBe("succeeded");
        return run!.responses[0]!.payload_hex;
      }),
    );
    expect(new Set(payloads).size).toBe(3);

    // with every envelope different, no two signatures can ever combine: nothing lands
    expect(await net.resultFor(id, "disagree")).toBeUndefined();
    expect(await net.resultTransactions("disagree")).toEqual([]);
  }, 180_000);

  it("a handler that accepts replays: one transaction per result; every other node stands down on the sender's announced transaction, found on-chain", async () => {
    const known = await Promise.all(net.ops.map((op) => recordIds(op.index)));
    const txsBefore = await net.resultTransactions("replay");
    const ids = [await net.trigger('{"x":2}', "replay"), await net.trigger('{"x":3}', "replay")];
    for (const [i, id] of ids.entries()) {
      expect(await waitUntil(() => net.resultFor(id, "replay"), `result ${i}`, 120_000)).toBe(
        `{"y":${[4, 9][i]}}`,
      );
    }
    // Every node's record of both events burned: no node will send for them any more, so the
    // transactions on the handler now are all there will ever be.
    const records = await waitUntil(
      async () => {
        const all = await Promise.all(
          net.ops.map(async (op) =>
            (await net.aggregations(op.index)).filter(
              (r) => !known[op.index]!.has(r.id) && r.workflow_id === "replay",
            ),
          ),
        );
        return all.every((rs) => rs.length === 2 && rs.every((r) => r.status === "burned"))
          ? all.flat()
          : undefined;
      },
      "every node's records of the two events burned",
      120_000,
    );
    const txs = (await net.resultTransactions("replay")).slice(txsBefore.length);
    expect(txs).toHaveLength(2);
    expect(txs.every((t) => t.status === "success")).toBe(true);
    // each event: one node landed it, the two others name that same transaction
    for (const tx of txs) {
      const about = records.filter((r) => r.landed_tx_hash === tx.hash);
      expect(about).toHaveLength(3);
      expect(about.filter((r) => r.landed_by === "self")).toHaveLength(1);
      expect(about.filter((r) => r.landed_by === "other")).toHaveLength(2);
    }
  }, 300_000);

  it.each([
    { workflow: "default", handler: "refuses replays" },
    { workflow: "replay", handler: "accepts replays" },
  ])(
    "the designated submitter is killed right after quorum ($handler): another node lands the result within the grace period; still exactly one successful handleSignedEnvelope transaction",
    async ({ workflow }) => {
      // a node restarted by an earlier case must be back in the mesh, and warm: its first
      // event after a restart can be slow enough under load that the next operator's settle
      // window ends first, and then two nodes send (the case the landing checks are for, not
      // this test's). One event that every node signs and sees land settles both.
      await net.waitForMesh();
      const warmKnown = await Promise.all(net.ops.map((op) => recordIds(op.index)));
      await net.trigger('{"x":1}', workflow);
      const warmRecord = await waitUntil(
        () => newRecord(0, warmKnown[0]!, workflow),
        "a warm-up event's record",
        120_000,
      );
      await waitUntil(
        async () => {
          const ran = await Promise.all(
            net.ops.map(async (op) => {
              const res = await api(`${op.node!.url}/services/${net.serviceId}/executions`, "GET");
              const executions = (res.json as { executions: ExecutionRecord[] }).executions;
              return executions.some(
                (e) => e.event_id === warmRecord.event_id && e.status === "succeeded",
              );
            }),
          );
          const rs = await Promise.all(
            net.ops.map((op) => newRecord(op.index, warmKnown[op.index]!, workflow)),
          );
          return ran.every(Boolean) && rs.every((r) => r?.status === "burned") ? true : undefined;
        },
        "the warm-up event run by all three operators and landed",
        120_000,
      );
      const known = await Promise.all(net.ops.map((op) => recordIds(op.index)));
      const txsBefore = await net.resultTransactions(workflow);
      const refusedBefore = net.ops.map((op) => op.proxy!.refusedSends());
      const refusedSince = (op: Operator) => op.proxy!.refusedSends() - refusedBefore[op.index]!;
      const forwardedBefore = net.ops.map((op) => op.proxy!.forwardedSends());
      for (const op of net.ops) op.proxy!.blockSends();
      let victim: Operator | undefined;
      try {
        const id = await net.trigger('{"x":6}', workflow);

        // The nodes' API names the designated submitter once they reach quorum.
        const atQuorum = await waitUntil(
          async () => {
            const all = await Promise.all(
              net.ops.map((op) => newRecord(op.index, known[op.index]!, workflow)),
            );
            // with all three signatures everywhere, every node names the same submitter
            return all.every((r) => r?.status === "quorum" && r.signers.length === 3)
              ? (all as AggregationRecord[])
              : undefined;
          },
          "every operator at quorum with the three signatures",
          120_000,
        );
        const named = new Set(atQuorum.map((r) => r.designated_submitter));
        expect(named.size, `designated submitters: ${[...named].join(", ")}`).toBe(1);
        victim = byAddress(atQuorum[0]!.designated_submitter);
        expect(victim).toBeDefined();
        const designated = victim!;
        const others = net.ops.filter((op) => op !== designated);

        // It is sending (its proxy refuses the broadcast); the others wait for their turn.
        await waitUntil(
          async () => {
            const r = await newRecord(designated.index, known[designated.index]!, workflow);
            return refusedSince(designated) > 0 && r?.transaction !== null ? true : undefined;
          },
          "the designated submitter's broadcast held back by its proxy",
          60_000,
        );
        for (const op of others) {
          expect(refusedSince(op), `operator ${op.index} broadcast`).toBe(0);
          expect((await newRecord(op.index, known[op.index]!, workflow))?.transaction).toBeNull();
        }

        await designated.node!.kill9();
        for (const op of others) op.proxy!.unblockSends();

        const data = await waitUntil(
          () => net.resultFor(id, workflow),
          "the result landed by another operator",
          120_000,
        );
        expect(data).toBe('{"y":36}');

        // One survivor took over and landed it; the other found it landed when its turn came.
        const final = await waitUntil(
          async () => {
            const rs = await Promise.all(
              others.map((op) => newRecord(op.index, known[op.index]!, workflow)),
            );
            return rs.every((r) => r?.status === "burned")
              ? (rs as AggregationRecord[])
              : undefined;
          },
          "both survivors' records burned",
          120_000,
        );
        const landers = final.filter((r) => r.landed_by === "self");
        expect(landers).toHaveLength(1);
        const lander = others[final.indexOf(landers[0]!)]!;
        const bystander = final.find((r) => r !== landers[0])!;
        expect(bystander.landed_by).toBe("other");
        expect(bystander.transaction).toBeNull();

        const txs = (await net.resultTransactions(workflow)).slice(txsBefore.length);
        expect(txs).toEqual([
          {
            hash: landers[0]!.landed_tx_hash,
            from: lander.sender,
            status: "success",
            block: expect.any(BigInt),
          },
        ]);
        expect(landers[0]!.transaction).toMatchObject({
          status: "mined",
          receipt_status: "success",
        });
        // the designated submitter's broadcasts never reached the chain
        expect(refusedSince(designated)).toBeGreaterThan(0);
        expect(designated.proxy!.forwardedSends()).toBe(forwardedBefore[designated.index]);
      } finally {
        for (const op of net.ops) op.proxy!.unblockSends();
      }

      // The killed submitter comes back: it finds the result landed and sends nothing.
      await net.start(victim!.index);
      const back = await waitUntil(
        async () => {
          const r = await newRecord(victim!.index, known[victim!.index]!, workflow);
          return r?.status === "burned" ? r : undefined;
        },
        "the restarted submitter's record burned",
        120_000,
      );
      expect(back.landed_by).toBe("other");
      expect(back.transaction?.status).toBe("failed");
      expect(await net.resultTransactions(workflow)).toHaveLength(txsBefore.length + 1);
      expect(net.ops.every(isRunning)).toBe(true);
    },
    400_000,
  );
});
