// Aggregation with real parts: a real anvil, our contracts (WavsServiceManager with operators,
// signing keys and weights registered), the real engine running the aggregator-simple and
// timer-aggregator fixtures, and an in-process node. Peers are simulated by feeding submissions
// signed with other keys straight into `submitSignedSubmission`, as the P2P layer will.
import {
  type Anvil,
  buildSignatureData,
  deployServiceSet,
  registerOperators,
  type ServiceSet,
  simpleSubmitAbi,
  simpleTriggerAbi,
  startAnvil,
} from "@wavs-ts/contracts";
import { buildFixture } from "@wavs-ts/sdk";
import { type Address, type Hex, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  dataWithId,
  deployPair,
  eventually,
  evmWorkflow,
  manualWorkflow,
  registerService,
  signedSubmission,
  startTestNode,
  type TestNode,
  transactionsTo,
  uploadComponents,
} from "../../test/helpers/aggregator-harness.js";
import { ALIVE_WINDOWS, submissionOrder } from "./designated-submitter.js";
import { signLanding } from "./landing-announcement.js";
import type { SignedSubmission } from "./signed-submission.js";

describe("aggregation on one node (real anvil, contracts, engine)", () => {
  let anvil: Anvil;
  let t: TestNode;
  let digests: { square: string; simple: string; timer: string };
  // service 1: 1-of-1 quorum (only this node's key, weight 1)
  let set1: ServiceSet;
  let s1: { serviceId: string; signer: Address; manager: Address };
  let timedPair: { trigger: Address; submit: Address };
  // service 2: 2-of-3 (this node's key and two peers' keys, weight 1 each)
  let set2: ServiceSet;
  let s2: { serviceId: string; signer: Address; manager: Address };
  const peerA = privateKeyToAccount(generatePrivateKey());
  const peerB = privateKeyToAccount(generatePrivateKey());
  const stranger = privateKeyToAccount(generatePrivateKey());

  const aggregator = () => t.node.parts.aggregator;
  const records = (serviceId: string) => aggregator().listAggregations(serviceId, { limit: 100 });
  const isValid = (submit: Address, id: bigint) =>
    anvil.publicClient().readContract({
      address: submit,
      abi: simpleSubmitAbi,
      functionName: "isValidTriggerId",
      args: [id],
    });
  const dataOf = (submit: Address, id: bigint) =>
    anvil.publicClient().readContract({
      address: submit,
      abi: simpleSubmitAbi,
      functionName: "getDataWithId",
      args: [id],
    });

  /**
   * Land the result of peers A's and B's submissions on service 2's handler as another operator
   * would (anvil account `wallet`); with `nonce`, behind a nonce gap: it waits in the pool.
   */
  const landAsAnotherOperator = async (
    fromA: SignedSubmission,
    fromB: SignedSubmission,
    opts: { wallet?: number; nonce?: number } = {},
  ): Promise<Hex> =>
    anvil.walletClient(opts.wallet ?? 5).writeContract({
      address: set2.submit,
      abi: simpleSubmitAbi,
      functionName: "handleSignedEnvelope",
      ...(opts.nonce === undefined ? {} : { nonce: opts.nonce, gas: 1_000_000n }),
      args: [
        {
          eventId: fromA.envelope.event_id as Hex,
          ordering: fromA.envelope.ordering as Hex,
          payload: fromA.envelope.payload as Hex,
        },
        buildSignatureData(
          [
            { signer: peerA.address, signature: fromA.signature as Hex },
            { signer: peerB.address, signature: fromB.signature as Hex },
          ],
          (await anvil.blockNumber()) - 1n,
        ),
      ],
    });

  beforeAll(async () => {
    anvil = await startAnvil();
    t = await startTestNode({ anvil, credential: anvil.privateKeys[9] });
    const [square, simple, timer] = await uploadComponents(t, [
      await buildFixture("square"),
      await buildFixture("aggregator-simple"),
      await buildFixture("timer-aggregator"),
    ]);
    digests = { square: square!, simple: simple!, timer: timer! };
    const admin = anvil.clients(0);
    set1 = await deployServiceSet(admin);
    timedPair = await deployPair(anvil, set1.serviceManager);
    s1 = await registerService(t, set1.serviceManager, {
      square: evmWorkflow(set1.trigger, digests.square, digests.simple, set1.submit),
      timed: evmWorkflow(timedPair.trigger, digests.square, digests.timer, timedPair.submit),
    });
    await registerOperators(admin, set1.serviceManager, [
      {
        operator: privateKeyToAccount(anvil.privateKeys[1]!).address,
        signingKey: s1.signer,
        weight: 1n,
      },
    ]);
    set2 = await deployServiceSet(admin);
    s2 = await registerService(t, set2.serviceManager, {
      inject: manualWorkflow(digests.square, digests.simple, set2.submit),
      "inject-timed": manualWorkflow(digests.square, digests.timer, set2.submit),
    });
    await registerOperators(admin, set2.serviceManager, [
      {
        operator: privateKeyToAccount(anvil.privateKeys[2]!).address,
        signingKey: s2.signer,
        weight: 1n,
      },
      {
        operator: privateKeyToAccount(anvil.privateKeys[3]!).address,
        signingKey: peerA.address,
        weight: 1n,
      },
      {
        operator: privateKeyToAccount(anvil.privateKeys[4]!).address,
        signingKey: peerB.address,
        weight: 1n,
      },
    ]);
  }, 300_000);

  afterAll(async () => {
    await t?.close();
    await anvil?.stop();
  });

  it("1-of-1: a trigger produces exactly one handleSignedEnvelope transaction with the right data", async () => {
    const wallet = anvil.walletClient(0);
    await wallet.writeContract({
      address: set1.trigger,
      abi: simpleTriggerAbi,
      functionName: "addTrigger",
      args: [toHex('{"x":7}')],
    });
    await eventually(
      async () => ((await isValid(set1.submit, 1n)) ? true : undefined),
      "result on chain",
    );
    const stored = await dataOf(set1.submit, 1n);
    expect(Buffer.from(stored.data.slice(2), "hex").toString()).toBe('{"y":49}');
    const record = await eventually(() => {
      const r = records(s1.serviceId)[0];
      return r?.status === "burned" ? r : undefined;
    }, "burned record");
    expect(record.signers.map((s) => s.signer)).toEqual([s1.signer]);
    expect(record.signers[0]?.origin).toBe("local");
    expect(record.quorum_reached_at).toBeTypeOf("number");
    expect(record.landed_by).toBe("self");
    expect(record.transaction?.receipt_status).toBe("success");
    expect(record.transaction?.tx_hash).toBe(record.landed_tx_hash);
    // let any straggler show up before counting
    await new Promise((r) => setTimeout(r, 1000));
    expect(await transactionsTo(anvil, set1.submit)).toEqual([record.landed_tx_hash]);
  }, 120_000);

  it("2-of-3: waits at one signature, lands at two, one transaction; forged and replayed submissions cost nothing", async () => {
    const engineCalls = vi.spyOn(t.node.parts.engine, "execute");
    const base = { serviceId: s2.serviceId, workflowId: "inject", trigger: "event-1" };
    const payload = dataWithId(1n, "agreed");
    const fromA = await signedSubmission(peerA, { ...base, payload });
    expect(await aggregator().submitSignedSubmission(fromA, { peer: "peer-a" })).toMatchObject({
      verdict: "accepted",
    });
    await aggregator().idle();
    const waiting = await eventually(() => {
      const r = records(s2.serviceId)[0];
      return r?.last_error?.includes("InsufficientQuorum") ? r : undefined;
    }, "a quorum check that waits");
    expect(waiting.status).toBe("collecting");
    expect(waiting.signers.map((s) => s.signer)).toEqual([peerA.address]);
    const callsAfterA = engineCalls.mock.calls.length;

    // replayed: the same submission again
    expect(await aggregator().submitSignedSubmission(fromA, { peer: "peer-c" })).toEqual({
      verdict: "duplicate",
    });
    // signed by a key the manager does not know
    const forged = await signedSubmission(stranger, { ...base, payload });
    expect(await aggregator().submitSignedSubmission(forged, { peer: "peer-c" })).toMatchObject({
      verdict: "rejected",
      reason: expect.stringMatching(/not registered/),
    });
    // claims peer B but is signed over another envelope (B signed a different payload)
    const otherEnvelope = await signedSubmission(peerB, { ...base, payload: dataWithId(1n, "x") });
    expect(
      await aggregator().submitSignedSubmission(
        { ...fromA, signer: peerB.address, signature: otherEnvelope.signature },
        { peer: "peer-c" },
      ),
    ).toMatchObject({ verdict: "rejected", reason: expect.stringMatching(/recover/) });
    // an envelope that is not the one built from the response
    expect(
      await aggregator().submitSignedSubmission(
        { ...fromA, envelope: { ...fromA.envelope, payload: "0x00" } },
        { peer: "peer-c" },
      ),
    ).toMatchObject({ verdict: "rejected" });
    await aggregator().idle();
    expect(engineCalls.mock.calls.length).toBe(callsAfterA);

    // B disagrees: a valid submission, but its envelope does not combine with A's
    expect(
      await aggregator().submitSignedSubmission(otherEnvelope, { peer: "peer-b" }),
    ).toMatchObject({
      verdict: "accepted",
    });
    await aggregator().idle();
    await new Promise((r) => setTimeout(r, 1500));
    const stillOne = records(s2.serviceId)[0]!;
    expect(stillOne.status).toBe("collecting");
    expect(stillOne.signers.map((s) => s.signer)).toEqual([peerA.address]);
    expect(await transactionsTo(anvil, set2.submit)).toEqual([]);

    // B agrees: two of three, quorum, one transaction (this node takes over after its grace)
    const fromB = await signedSubmission(peerB, { ...base, payload });
    expect(await aggregator().submitSignedSubmission(fromB, { peer: "peer-b" })).toMatchObject({
      verdict: "accepted",
    });
    const landed = await eventually(() => {
      const r = records(s2.serviceId)[0];
      return r?.status === "burned" ? r : undefined;
    }, "landed");
    expect(landed.quorum_signers).toEqual(
      [peerA.address, peerB.address].sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1)),
    );
    expect(await isValid(set2.submit, 1n)).toBe(true);
    // the third signature arrives late: nothing more happens
    const late = await signedSubmission(t.node.parts.registry.signerAccount(s2.serviceId), {
      ...base,
      payload,
    });
    expect(await aggregator().submitSignedSubmission(late, "local")).toMatchObject({
      verdict: "accepted",
    });
    await aggregator().idle();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await transactionsTo(anvil, set2.submit)).toEqual([landed.landed_tx_hash]);
    engineCalls.mockRestore();
  }, 120_000);

  it("another operator landed it first: this node's takeover sends nothing", async () => {
    const base = { serviceId: s2.serviceId, workflowId: "inject", trigger: "event-4" };
    const payload = dataWithId(4n, "landed elsewhere");
    const fromA = await signedSubmission(peerA, { ...base, payload });
    const fromB = await signedSubmission(peerB, { ...base, payload });
    const before = (await transactionsTo(anvil, set2.submit)).length;
    await aggregator().submitSignedSubmission(fromA, { peer: "peer-a" });
    await aggregator().submitSignedSubmission(fromB, { peer: "peer-b" });
    // this node did not sign: it is last in line (3 grace periods: peers A and B and itself are
    // the operators it knows); the designated peer sends now
    await eventually(
      () =>
        records(s2.serviceId).find((r) => r.event_id === fromA.event_id)?.status === "quorum"
          ? true
          : undefined,
      "quorum",
    );
    const landedHash = await landAsAnotherOperator(fromA, fromB);
    await anvil.publicClient().waitForTransactionReceipt({ hash: landedHash });
    const record = await eventually(() => {
      const r = records(s2.serviceId).find((x) => x.event_id === fromA.event_id);
      return r?.status === "burned" ? r : undefined;
    }, "burned after the takeover check");
    expect(record.landed_by).toBe("other");
    // found by searching the blocks since quorum: nobody announced it
    expect(record.landed_tx_hash).toBe(landedHash);
    expect(record.transaction).toBeNull();
    expect(await transactionsTo(anvil, set2.submit)).toHaveLength(before + 1);
  }, 60_000);

  it("a peer's landing announcement is believed only once the chain shows it: forged ones are refused, a wrong hash changes nothing, the true one stands the node down", async () => {
    // a node whose own takeover is far away: only the announcement can stand it down
    const n3 = await startTestNode({
      anvil,
      credential: anvil.privateKeys[7],
      aggregator: { gracePeriodMs: 600_000, gatherMs: 0 },
    });
    try {
      const [square, simple] = await uploadComponents(n3, [
        await buildFixture("square"),
        await buildFixture("aggregator-simple"),
      ]);
      await registerService(n3, set2.serviceManager, {
        inject: manualWorkflow(square!, simple!, set2.submit),
      });
      const agg = n3.node.parts.aggregator;
      const base = { serviceId: s2.serviceId, workflowId: "inject", trigger: "announced-1" };
      const payload = dataWithId(20n, "announced");
      const fromA = await signedSubmission(peerA, { ...base, payload });
      const fromB = await signedSubmission(peerB, { ...base, payload });
      await agg.submitSignedSubmission(fromA, { peer: "peer-a" });
      await agg.submitSignedSubmission(fromB, { peer: "peer-b" });
      const recordOf = () =>
        agg
          .listAggregations(s2.serviceId, { limit: 100 })
          .find((r) => r.event_id === fromA.event_id);
      await eventually(() => (recordOf()?.status === "quorum" ? true : undefined), "quorum");
      const before = (await transactionsTo(anvil, set2.submit)).length;
      const landedHash = await landAsAnotherOperator(fromA, fromB);
      await anvil.publicClient().waitForTransactionReceipt({ hash: landedHash });
      const fields = {
        service_id: s2.serviceId,
        event_id: fromA.event_id,
        chain: "evm:31337",
        handler: set2.submit,
      };

      // signed by a stranger in peer A's name
      const forged = await signLanding(stranger, { ...fields, tx_hash: landedHash });
      expect(await agg.receiveLanding({ ...forged, signer: peerA.address }, "peer-x")).toBe(
        "reject",
      );
      // well signed, but the signed transaction it carries is not the announced one
      const otherRaw = await stranger.signTransaction({
        chainId: 31337,
        nonce: 0,
        to: set2.submit,
        data: "0x",
        gas: 21_000n,
        gasPrice: 1n,
        type: "legacy",
      });
      const mismatched = await signLanding(peerA, { ...fields, tx_hash: landedHash }, otherRaw);
      expect(await agg.receiveLanding(mismatched, "peer-a")).toBe("reject");
      // well signed, but the transaction is not a landing of this event
      const unrelated = await anvil.walletClient(5).sendTransaction({ to: stranger.address });
      await anvil.publicClient().waitForTransactionReceipt({ hash: unrelated });
      const wrong = await signLanding(peerA, { ...fields, tx_hash: unrelated });
      expect(await agg.receiveLanding(wrong, "peer-a")).toBe("accept");
      await agg.idle();
      expect(recordOf()?.status).toBe("quorum");

      const announced = await signLanding(peerA, { ...fields, tx_hash: landedHash });
      expect(await agg.receiveLanding(announced, "peer-a")).toBe("accept");
      const record = await eventually(
        () => (recordOf()?.status === "burned" ? recordOf() : undefined),
        "burned on the announcement",
      );
      expect(record.landed_by).toBe("other");
      expect(record.landed_tx_hash).toBe(landedHash);
      expect(record.transaction).toBeNull();
      expect(await transactionsTo(anvil, set2.submit)).toHaveLength(before + 1);
    } finally {
      await n3.close();
    }
  }, 120_000);

  it("a peer's transaction announced while this node's waits to be broadcast holds it back: one transaction lands", async () => {
    // a node whose account has no ETH yet: its transaction waits in the queue, broadcast again
    // and refused, as a busy node's waits behind its backlog
    const payerKey = generatePrivateKey();
    const payer = privateKeyToAccount(payerKey);
    const n4 = await startTestNode({
      anvil,
      credential: payerKey,
      aggregator: { gracePeriodMs: 1500, gatherMs: 0 },
    });
    try {
      const [square, simple] = await uploadComponents(n4, [
        await buildFixture("square"),
        await buildFixture("aggregator-simple"),
      ]);
      await registerService(n4, set2.serviceManager, {
        inject: manualWorkflow(square!, simple!, set2.submit),
      });
      const agg = n4.node.parts.aggregator;
      const base = { serviceId: s2.serviceId, workflowId: "inject", trigger: "held-back-1" };
      const payload = dataWithId(21n, "held back");
      const fromA = await signedSubmission(peerA, { ...base, payload });
      const fromB = await signedSubmission(peerB, { ...base, payload });
      const before = (await transactionsTo(anvil, set2.submit)).length;
      await agg.submitSignedSubmission(fromA, { peer: "peer-a" });
      await agg.submitSignedSubmission(fromB, { peer: "peer-b" });
      const txRows = () =>
        n4.node.parts.db.prepare("SELECT status, error FROM aggregator_txs ORDER BY id").all() as {
          status: string;
          error: string | null;
        }[];
      // its takeover turn came (it did not sign): its transaction is queued and refused for funds
      await eventually(
        () => (txRows()[0]?.error?.includes("insufficient funds") ? true : undefined),
        "this node's transaction waiting for funds",
        30_000,
      );

      // peer A's transaction for the same result, in the pool behind a nonce gap (not mined)
      const peerWallet = anvil.walletClient(6);
      const nonce = await anvil
        .publicClient()
        .getTransactionCount({ address: peerWallet.account.address });
      const pendingHash = await landAsAnotherOperator(fromA, fromB, {
        wallet: 6,
        nonce: nonce + 1,
      });
      const announced = await signLanding(peerA, {
        service_id: s2.serviceId,
        event_id: fromA.event_id,
        chain: "evm:31337",
        handler: set2.submit,
        tx_hash: pendingHash,
      });
      expect(await agg.receiveLanding(announced, "peer-a")).toBe("accept");

      // the next broadcast of this node's transaction is held back, never sent
      await eventually(
        () => (txRows()[0]?.error?.startsWith("deferred: ") ? true : undefined),
        "this node's transaction held back",
        30_000,
      );
      expect(txRows()[0]?.status).toBe("failed");
      // funded now: without the hold it would land a second transaction
      await anvil.request("anvil_setBalance", [payer.address, toHex(10n ** 18n)]);
      // the gap is filled: the peer's transaction is mined and lands the result
      await peerWallet.sendTransaction({ to: peerWallet.account.address, nonce });
      const record = await eventually(() => {
        const r = agg
          .listAggregations(s2.serviceId, { limit: 100 })
          .find((x) => x.event_id === fromA.event_id);
        return r?.status === "burned" ? r : undefined;
      }, "burned by the peer's transaction");
      expect(record.landed_by).toBe("other");
      expect(record.landed_tx_hash).toBe(pendingHash);
      await agg.idle();
      expect(await transactionsTo(anvil, set2.submit)).toHaveLength(before + 1);
      expect(txRows().every((r) => r.status === "failed")).toBe(true);
    } finally {
      await n4.close();
    }
  }, 120_000);

  it("the first signer waits for an operator ranked ahead that is alive but behind, not for one that is down", async () => {
    // a second node with this node's key (same mnemonic), a short settle and a long grace
    const settleMs = 500;
    const n2 = await startTestNode({
      anvil,
      credential: anvil.privateKeys[8],
      aggregator: { settleMs, gracePeriodMs: 60_000, gatherMs: 0 },
    });
    try {
      await uploadComponents(n2, [
        await buildFixture("square"),
        await buildFixture("aggregator-simple"),
      ]);
      // keys are handed out in registration order: a first service makes the second one's
      // key the same as on the first node, which the manager knows
      const other = await deployServiceSet(anvil.clients(0));
      await registerService(n2, other.serviceManager, {
        inject: manualWorkflow(digests.square, digests.simple, other.submit),
      });
      await registerService(n2, set2.serviceManager, {
        inject: manualWorkflow(digests.square, digests.simple, set2.submit),
      });
      const agg = n2.node.parts.aggregator;
      const self = n2.node.parts.registry.signerAccount(s2.serviceId);
      expect(self.address).toBe(s2.signer);
      const recordOf = (eventId: string) =>
        agg.listAggregations(s2.serviceId, { limit: 100 }).find((r) => r.event_id === eventId);
      const base = { serviceId: s2.serviceId, workflowId: "inject" };
      /** An event whose submitter order is [peerA, this node, peerB]. */
      const eventWithPeerAFirst = async (prefix: string) => {
        for (let i = 0; ; i++) {
          const sub = await signedSubmission(self, {
            ...base,
            trigger: `${prefix}-${i}`,
            payload: dataWithId(BigInt(100 + i), prefix),
          });
          const order = submissionOrder(sub.event_id as Hex, [
            self.address,
            peerA.address,
            peerB.address,
          ]);
          if (order[0] === peerA.address && order[1] === self.address)
            return { trigger: `${prefix}-${i}`, payload: dataWithId(BigInt(100 + i), prefix), sub };
        }
      };
      const quorumWithoutA = async (prefix: string) => {
        const e = await eventWithPeerAFirst(prefix);
        const fromB = await signedSubmission(peerB, {
          ...base,
          trigger: e.trigger,
          payload: e.payload,
        });
        await agg.submitSignedSubmission(e.sub, "local");
        await agg.submitSignedSubmission(fromB, { peer: "peer-b" });
        const q = await eventually(() => {
          const r = recordOf(e.sub.event_id);
          return r?.quorum_reached_at ? r : undefined;
        }, "quorum");
        return { ...e, quorumAt: q.quorum_reached_at! };
      };

      // peer A signed something, then went quiet for longer than its alive window: down
      const ping = await signedSubmission(peerA, {
        ...base,
        trigger: "a-ping",
        payload: dataWithId(90n, "ping"),
      });
      await agg.submitSignedSubmission(ping, { peer: "peer-a" });
      await new Promise((r) => setTimeout(r, ALIVE_WINDOWS * settleMs + 200));
      const down = await quorumWithoutA("a-down");
      const landed = await eventually(() => {
        const r = recordOf(down.sub.event_id);
        return r?.status === "burned" ? r : undefined;
      }, "landed by this node after the settle window");
      expect(landed.landed_by).toBe("self");

      // peer A signs other events (alive) but not this one yet: no transaction, however long
      // past the settle window, until A's signature joins and A is the submitter
      const pong = await signedSubmission(peerA, {
        ...base,
        trigger: "a-pong",
        payload: dataWithId(91n, "pong"),
      });
      await agg.submitSignedSubmission(pong, { peer: "peer-a" });
      const txsBefore = await transactionsTo(anvil, set2.submit);
      const behind = await quorumWithoutA("a-behind");
      await new Promise((r) =>
        setTimeout(r, Math.max(0, behind.quorumAt + 3 * settleMs - Date.now())),
      );
      expect(recordOf(behind.sub.event_id)?.status).toBe("quorum");
      expect(await transactionsTo(anvil, set2.submit)).toEqual(txsBefore);
      const fromA = await signedSubmission(peerA, {
        ...base,
        trigger: behind.trigger,
        payload: behind.payload,
      });
      await agg.submitSignedSubmission(fromA, { peer: "peer-a" });
      await eventually(
        () =>
          recordOf(behind.sub.event_id)?.designated_submitter === peerA.address ? true : undefined,
        "peer A designated once its signature joined",
      );
      await new Promise((r) => setTimeout(r, 2 * settleMs));
      expect(await transactionsTo(anvil, set2.submit)).toEqual(txsBefore);
    } finally {
      await n2.close();
    }
  }, 120_000);

  it("a transaction whose estimate reverts because another operator landed the result just before burns the queue as landed by the other", async () => {
    const payerKey = generatePrivateKey();
    await anvil.request("anvil_setBalance", [
      privateKeyToAccount(payerKey).address,
      toHex(10n ** 18n),
    ]);
    const n5 = await startTestNode({
      anvil,
      credential: payerKey,
      aggregator: { settleMs: 500, gracePeriodMs: 60_000, gatherMs: 0 },
    });
    try {
      await uploadComponents(n5, [
        await buildFixture("square"),
        await buildFixture("aggregator-simple"),
      ]);
      // the second service's key is the first node's, which the manager knows (see above)
      const other = await deployServiceSet(anvil.clients(0));
      await registerService(n5, other.serviceManager, {
        inject: manualWorkflow(digests.square, digests.simple, other.submit),
      });
      await registerService(n5, set2.serviceManager, {
        inject: manualWorkflow(digests.square, digests.simple, set2.submit),
      });
      const agg = n5.node.parts.aggregator;
      const self = n5.node.parts.registry.signerAccount(s2.serviceId);
      expect(self.address).toBe(s2.signer);
      const base = { serviceId: s2.serviceId, workflowId: "inject" };
      let own: Awaited<ReturnType<typeof signedSubmission>> | undefined;
      let trigger = "";
      for (let i = 0; own === undefined; i++) {
        const sub = await signedSubmission(self, {
          ...base,
          trigger: `late-first-${i}`,
          payload: dataWithId(BigInt(300 + i), "late first"),
        });
        const order = submissionOrder(sub.event_id as Hex, [
          self.address,
          peerA.address,
          peerB.address,
        ]);
        if (order[0] === self.address) {
          own = sub;
          trigger = `late-first-${i}`;
        }
      }
      const payload = dataWithId(BigInt(300 + Number(trigger.split("-")[2])), "late first");
      const fromA = await signedSubmission(peerA, { ...base, trigger, payload });
      const fromB = await signedSubmission(peerB, { ...base, trigger, payload });
      await agg.submitSignedSubmission(fromA, { peer: "peer-a" });
      await agg.submitSignedSubmission(fromB, { peer: "peer-b" });
      const recordOf = () =>
        agg.listAggregations(s2.serviceId, { limit: 100 }).find((r) => r.event_id === own.event_id);
      await eventually(() => (recordOf()?.status === "quorum" ? true : undefined), "quorum");
      // another operator landed it a moment ago and did not announce it (or it was lost)
      const before = (await transactionsTo(anvil, set2.submit)).length;
      const landedHash = await landAsAnotherOperator(fromA, fromB);
      await anvil.publicClient().waitForTransactionReceipt({ hash: landedHash });

      // its own signature now: first in the order and on time, it sends at once; the estimate
      // reverts (the handler has the result), and the search that follows, up to the newest
      // block, finds the landing: burned as the other's, not failed
      await agg.submitSignedSubmission(own, "local");
      const record = await eventually(
        () => (recordOf()?.status === "burned" ? recordOf() : undefined),
        "burned after the revert",
      );
      expect(record.landed_by).toBe("other");
      expect(record.landed_tx_hash).toBe(landedHash);
      expect(await transactionsTo(anvil, set2.submit)).toHaveLength(before + 1);
    } finally {
      await n5.close();
    }
  }, 120_000);

  it("timer aggregator: a trigger log reorged away before the timer fires is not submitted", async () => {
    const wallet = anvil.walletClient(0);
    const client = anvil.publicClient();
    const timers = () =>
      t.node.parts.db
        .prepare(
          `SELECT t.status, t.note, i.event_id FROM aggregation_timers t
             JOIN aggregation_inputs i ON i.id = t.input_id WHERE i.workflow_id = 'timed' ORDER BY t.id`,
        )
        .all() as { status: string; note: string | null; event_id: string }[];
    const hash = await wallet.writeContract({
      address: timedPair.trigger,
      abi: simpleTriggerAbi,
      functionName: "addTrigger",
      args: [toHex('{"x":3}')],
    });
    const receipt = await client.waitForTransactionReceipt({ hash });
    await eventually(() => (timers().length === 1 ? true : undefined), "a pending timer");
    expect(timers()[0]?.status).toBe("pending");
    // replace the trigger's block (and any after it): the log is gone from the chain
    const latest = await anvil.blockNumber();
    await anvil.reorg(Number(latest - receipt.blockNumber + 1n));
    const dropped = await eventually(
      () => (timers()[0]?.status === "dropped" ? timers()[0] : undefined),
      "the timer dropped",
      20_000,
    );
    expect(dropped.note).toMatch(/reorged away/);
    expect(await isValid(timedPair.submit, 1n)).toBe(false);
    expect(await transactionsTo(anvil, timedPair.submit)).toEqual([]);

    // the same request again, not reorged: it lands once the 3 s timer fires
    await wallet.writeContract({
      address: timedPair.trigger,
      abi: simpleTriggerAbi,
      functionName: "addTrigger",
      args: [toHex('{"x":3}')],
    });
    await eventually(
      async () => ((await isValid(timedPair.submit, 1n)) ? true : undefined),
      "the second trigger's result",
      30_000,
    );
    const stored = await dataOf(timedPair.submit, 1n);
    expect(Buffer.from(stored.data.slice(2), "hex").toString()).toBe('{"y":9}');
    expect(timers().map((x) => x.status)).toEqual(["dropped", "fired"]);
    expect(await transactionsTo(anvil, timedPair.submit)).toHaveLength(1);
  }, 120_000);

  it("a restart keeps quorum queues and timers", async () => {
    const txsAtStart = (await transactionsTo(anvil, set2.submit)).length;
    const payload2 = dataWithId(2n, "before restart");
    const base2 = { serviceId: s2.serviceId, workflowId: "inject", trigger: "event-2" };
    await aggregator().submitSignedSubmission(
      await signedSubmission(peerA, { ...base2, payload: payload2 }),
      {
        peer: "peer-a",
      },
    );
    // two signatures whose timer-aggregator timers (3 s) are still pending at the restart
    const payload3 = dataWithId(3n, "timed across a restart");
    const base3 = { serviceId: s2.serviceId, workflowId: "inject-timed", trigger: "event-3" };
    for (const peer of [peerA, peerB]) {
      await aggregator().submitSignedSubmission(
        await signedSubmission(peer, { ...base3, payload: payload3 }),
        {
          peer: "peer",
        },
      );
    }
    await aggregator().idle();
    const pending = () =>
      (
        t.node.parts.db
          .prepare("SELECT COUNT(*) AS n FROM aggregation_timers WHERE status = 'pending'")
          .get() as { n: number }
      ).n;
    await eventually(() => (pending() === 2 ? true : undefined), "two pending timers");
    await eventually(() => {
      const q = records(s2.serviceId).find(
        (r) => r.workflow_id === "inject" && r.signers.length === 1,
      );
      return q?.last_error ? q : undefined;
    }, "event 2 waiting for quorum");

    await t.restart();

    // timers fire in the new node and land event 3
    await eventually(
      async () => ((await isValid(set2.submit, 3n)) ? true : undefined),
      "event 3 landed after the restart",
      30_000,
    );
    expect(pending()).toBe(0);
    // event 2's queue kept peer A's signature: peer B's completes it
    const before = records(s2.serviceId).find(
      (r) => r.workflow_id === "inject" && r.status === "collecting",
    );
    expect(before?.signers.map((s) => s.signer)).toEqual([peerA.address]);
    await aggregator().submitSignedSubmission(
      await signedSubmission(peerB, { ...base2, payload: payload2 }),
      {
        peer: "peer-b",
      },
    );
    await eventually(
      async () => ((await isValid(set2.submit, 2n)) ? true : undefined),
      "event 2 landed",
      30_000,
    );
    // event 3 and event 2, one transaction each
    expect(await transactionsTo(anvil, set2.submit)).toHaveLength(txsAtStart + 2);
  }, 120_000);
});

describe("an aggregator account without funds (real anvil)", () => {
  let anvil: Anvil;
  let t: TestNode;
  let set: ServiceSet;
  let svc: { serviceId: string; signer: Address; manager: Address };
  const payerKey = generatePrivateKey();
  const payer = privateKeyToAccount(payerKey);

  beforeAll(async () => {
    anvil = await startAnvil();
    t = await startTestNode({
      anvil,
      credential: payerKey,
      aggregator: { tx: { stuckAfterMs: 1500 } },
    });
    const [square, simple] = await uploadComponents(t, [
      await buildFixture("square"),
      await buildFixture("aggregator-simple"),
    ]);
    const admin = anvil.clients(0);
    set = await deployServiceSet(admin);
    svc = await registerService(t, set.serviceManager, {
      inject: manualWorkflow(square!, simple!, set.submit),
    });
    await registerOperators(admin, set.serviceManager, [
      {
        operator: privateKeyToAccount(anvil.privateKeys[1]!).address,
        signingKey: svc.signer,
        weight: 1n,
      },
    ]);
    // validate reads weights at the previous block; anvil only mines on transactions
    await anvil.mine(1);
  }, 300_000);

  afterAll(async () => {
    await t?.close();
    await anvil?.stop();
  });

  const inject = async (n: bigint) => {
    const own = t.node.parts.registry.signerAccount(svc.serviceId);
    const sub = await signedSubmission(own, {
      serviceId: svc.serviceId,
      workflowId: "inject",
      trigger: `funds-${n}`,
      payload: dataWithId(n, `result ${n}`),
    });
    expect(await t.node.parts.aggregator.submitSignedSubmission(sub, "local")).toMatchObject({
      verdict: "accepted",
    });
  };
  const landed = (n: bigint) =>
    eventually(
      async () =>
        (await anvil.publicClient().readContract({
          address: set.submit,
          abi: simpleSubmitAbi,
          functionName: "isValidTriggerId",
          args: [n],
        }))
          ? true
          : undefined,
      `result ${n} on chain`,
      30_000,
    );
  const lastTx = () =>
    t.node.parts.db
      .prepare("SELECT id, status, error, hashes, tx_hash FROM aggregator_txs ORDER BY id DESC")
      .get() as {
      id: number;
      status: string;
      error: string | null;
      hashes: string;
      tx_hash: string | null;
    };
  const newTx = async (afterId: number) =>
    eventually(() => {
      const tx = lastTx();
      return tx.id > afterId ? tx : undefined;
    }, "a new transaction");

  it("submissions wait while the account has no ETH and land once it is funded, without a restart", async () => {
    const aggregator = t.node.parts.aggregator;
    const own = t.node.parts.registry.signerAccount(svc.serviceId);
    for (const n of [1n, 2n]) {
      const sub = await signedSubmission(own, {
        serviceId: svc.serviceId,
        workflowId: "inject",
        trigger: `funds-${n}`,
        payload: dataWithId(n, `result ${n}`),
      });
      expect(await aggregator.submitSignedSubmission(sub, "local")).toMatchObject({
        verdict: "accepted",
      });
    }
    const txs = () =>
      t.node.parts.db
        .prepare("SELECT status, error, attempts FROM aggregator_txs ORDER BY id")
        .all() as {
        status: string;
        error: string | null;
        attempts: number;
      }[];
    // the head has been refused for want of funds and retried since (each broadcast counts one
    // attempt when marked sent and one when requeued): it waits, it is not given up
    await eventually(
      () =>
        txs().length === 2 &&
        (txs()[0]?.attempts ?? 0) >= 3 &&
        txs()[0]?.error?.includes("insufficient funds")
          ? true
          : undefined,
      "transactions retried while waiting for funds",
      30_000,
    );
    // a retry may be mid-broadcast ("sent" until the node refuses it): never mined nor failed
    for (const { status } of txs()) expect(["queued", "sent"]).toContain(status);
    expect(await transactionsTo(anvil, set.submit)).toEqual([]);

    await anvil.request("anvil_setBalance", [payer.address, toHex(10n ** 18n)]);
    // the two events are processed concurrently: either may land first
    for (const n of [1n, 2n]) await landed(n);
    expect(await transactionsTo(anvil, set.submit)).toHaveLength(2);
    await eventually(
      () => (txs().every((x) => x.status === "mined") ? true : undefined),
      "receipts recorded",
    );
  }, 120_000);

  it("resyncs the nonce when another sender used the account", async () => {
    // a transaction from the same account behind the node's back: its stored nonce is stale
    const wallet = anvil.walletClient(payer);
    await anvil.publicClient().waitForTransactionReceipt({
      hash: await wallet.sendTransaction({ to: payer.address, value: 0n }),
    });
    const own = t.node.parts.registry.signerAccount(svc.serviceId);
    const sub = await signedSubmission(own, {
      serviceId: svc.serviceId,
      workflowId: "inject",
      trigger: "funds-3",
      payload: dataWithId(3n, "after a foreign transaction"),
    });
    await t.node.parts.aggregator.submitSignedSubmission(sub, "local");
    await eventually(
      async () =>
        (await anvil.publicClient().readContract({
          address: set.submit,
          abi: simpleSubmitAbi,
          functionName: "isValidTriggerId",
          args: [3n],
        }))
          ? true
          : undefined,
      "the third result landed",
      30_000,
    );
  }, 60_000);

  it("a transaction waiting for funds survives a restart and lands once funded", async () => {
    await anvil.request("anvil_setBalance", [payer.address, "0x0"]);
    const previous = lastTx().id;
    await inject(4n);
    const { id } = await newTx(previous);
    await eventually(
      () =>
        lastTx().id === id && lastTx().error?.includes("insufficient funds") ? true : undefined,
      "waiting for funds",
    );
    // a broadcast the node refused is not kept as a hash to watch
    expect(JSON.parse(lastTx().hashes)).toEqual([]);
    await t.restart();
    // kept, not failed: waiting in the queue, or mid-broadcast by the restarted node's retry
    expect(lastTx().id).toBe(id);
    expect(["queued", "sent"]).toContain(lastTx().status);
    await anvil.request("anvil_setBalance", [payer.address, toHex(10n ** 18n)]);
    await landed(4n);
  }, 60_000);

  it("re-sends a stuck transaction with a fee bump", async () => {
    // funded whatever the tests before left
    await anvil.request("anvil_setBalance", [payer.address, toHex(10n ** 18n)]);
    await anvil.request("evm_setAutomine", [false]);
    try {
      const previous = lastTx().id;
      await inject(5n);
      const { id } = await newTx(previous);
      // sent, not mined, then re-signed with a higher gas price after stuckAfterMs
      await eventually(
        () =>
          lastTx().id === id && (JSON.parse(lastTx().hashes) as string[]).length >= 2
            ? true
            : undefined,
        "a fee bump",
        20_000,
      );
    } finally {
      await anvil.request("evm_setAutomine", [true]);
    }
    await anvil.mine(1);
    await landed(5n);
    const tx = await eventually(
      () => (lastTx().status === "mined" ? lastTx() : undefined),
      "receipt",
    );
    const hashes = JSON.parse(tx.hashes) as string[];
    expect(hashes).toContain(tx.tx_hash);
    expect(hashes[0]).not.toBe(tx.tx_hash);
  }, 60_000);
});
