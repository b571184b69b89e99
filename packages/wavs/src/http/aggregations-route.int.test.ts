// GET /services/{service_id}/aggregations against a real in-process node: real anvil, our
// contracts (2-of-3 weights), the real engine running square and aggregator-simple, real HTTP on
// 127.0.0.1. Peers are simulated by handing submissions signed with their keys to the
// aggregator, as the P2P layer does.
import { type Anvil, deployServiceSet, registerOperators, startAnvil } from "@wavs-ts/contracts";
import { buildFixture } from "@wavs-ts/sdk";
import { type Address, getAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dataWithId,
  manualWorkflow,
  registerService,
  signedSubmission,
  startTestNode,
  TEST_MNEMONIC,
  type TestNode,
  transactionsTo,
  uploadComponents,
} from "../../test/helpers/aggregator-harness.js";
import { waitUntil } from "../../test/helpers/wait-until.js";
import type { AggregationRecord } from "./node-api.js";

interface Page {
  aggregations: AggregationRecord[];
  next_before: number | null;
}

describe("GET /services/{service_id}/aggregations (real node, real anvil)", () => {
  let anvil: Anvil;
  let t: TestNode;
  let credential: string;
  let submit: Address;
  let svc: { serviceId: string; signer: Address };
  const peerA = privateKeyToAccount(generatePrivateKey());
  const peerB = privateKeyToAccount(generatePrivateKey());
  const PEER_A = "12D3KooWPeerAPeerAPeerAPeerAPeerAPeerAPeerAPeerA";
  const PEER_B = "12D3KooWPeerBPeerBPeerBPeerBPeerBPeerBPeerBPeerB";

  const get = async (query = "", serviceId = svc.serviceId) => {
    const res = await fetch(`${t.url}/services/${serviceId}/aggregations${query}`);
    return { status: res.status, text: await res.text() };
  };
  const page = async (query = ""): Promise<Page> => {
    const res = await get(query);
    expect(res.status, res.text).toBe(200);
    return JSON.parse(res.text) as Page;
  };
  const recordOf = async (eventId: string) =>
    (await page("?limit=1000")).aggregations.find((a) => a.event_id === eventId);
  /** A submission for trigger `event-<n>` whose payload stores `data` under trigger id n. */
  const inject = (signer: Parameters<typeof signedSubmission>[0], n: bigint, data: string) =>
    signedSubmission(signer, {
      serviceId: svc.serviceId,
      workflowId: "inject",
      trigger: `event-${n}`,
      payload: dataWithId(n, data),
    });

  beforeAll(async () => {
    anvil = await startAnvil();
    credential = anvil.privateKeys[9]!;
    t = await startTestNode({ anvil, credential });
    const [square, simple] = await uploadComponents(t, [
      await buildFixture("square"),
      await buildFixture("aggregator-simple"),
    ]);
    const admin = anvil.clients(0);
    const set = await deployServiceSet(admin, { quorumNumerator: 2n, quorumDenominator: 3n });
    submit = set.submit;
    svc = await registerService(t, set.serviceManager, {
      inject: manualWorkflow(square!, simple!, set.submit),
    });
    await registerOperators(
      admin,
      set.serviceManager,
      [svc.signer, peerA.address, peerB.address].map((signingKey, i) => ({
        operator: privateKeyToAccount(anvil.privateKeys[i + 1]!).address,
        signingKey,
        weight: 1n,
      })),
    );
    // validate() reads weights at the previous block; anvil only mines on transactions
    await anvil.mine(1);
  }, 300_000);

  afterAll(async () => {
    await t?.close();
    await anvil?.stop();
  });

  it("reports signers with their origin and arrival, quorum, designated submitter and the landing transaction", async () => {
    const own = t.node.parts.registry.signerAccount(svc.serviceId);
    const local = await inject(own, 1n, "landed");
    const fromA = await inject(peerA, 1n, "landed");
    const started = Date.now();
    expect(await t.node.parts.aggregator.submitSignedSubmission(local, "local")).toMatchObject({
      verdict: "accepted",
    });
    expect(
      await t.node.parts.aggregator.submitSignedSubmission(fromA, { peer: PEER_A }),
    ).toMatchObject({ verdict: "accepted" });

    const landed = await waitUntil(
      async () => {
        const r = await recordOf(local.event_id);
        return r?.status === "burned" ? r : undefined;
      },
      "the aggregation landed",
      60_000,
    );
    const onChain = await transactionsTo(anvil, submit);
    expect(onChain).toHaveLength(1);
    const both = [svc.signer, peerA.address];
    expect(landed).toMatchObject({
      service_id: svc.serviceId,
      workflow_id: "inject",
      chain: "evm:31337",
      handler: submit.toLowerCase(),
      landed_by: "self",
      landed_tx_hash: onChain[0],
      disagreements: [],
      notes: [],
    });
    expect([...landed.signers].sort((a, b) => a.signer.localeCompare(b.signer))).toEqual(
      [
        { signer: svc.signer, origin: "local", peer_id: null, received_at: expect.any(Number) },
        { signer: peerA.address, origin: "peer", peer_id: PEER_A, received_at: expect.any(Number) },
      ].sort((a, b) => a.signer.localeCompare(b.signer)),
    );
    for (const s of landed.signers) expect(s.received_at).toBeGreaterThanOrEqual(started);
    expect(landed.quorum_reached_at).toBeGreaterThanOrEqual(
      Math.max(...landed.signers.map((s) => s.received_at)),
    );
    expect(landed.quorum_signers).toEqual(
      [...both].sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1)),
    );
    expect(both).toContain(getAddress(landed.designated_submitter!));
    expect(landed.landed_block).toBeTypeOf("number");
    expect(landed.landed_at).toBeGreaterThanOrEqual(landed.quorum_reached_at!);
    expect(landed.transaction).toMatchObject({
      tx_hash: onChain[0],
      status: "mined",
      receipt_status: "success",
      block_number: landed.landed_block,
      error: null,
    });
  }, 120_000);

  it("reports operators that signed a different envelope as the reason quorum does not come", async () => {
    const agreed = await inject(peerA, 2n, "agreed");
    const other = await inject(peerB, 2n, "something else");
    expect(other.event_id).toBe(agreed.event_id);
    expect(
      await t.node.parts.aggregator.submitSignedSubmission(agreed, { peer: PEER_A }),
    ).toMatchObject({ verdict: "accepted" });
    // A's envelope opens the record; B's arrives after it
    const opened = await waitUntil(
      async () => {
        const r = await recordOf(agreed.event_id);
        return r?.notes.some((n) => n.includes("InsufficientQuorum")) ? r : undefined;
      },
      "A's record waiting for quorum",
      30_000,
    );
    expect(opened.disagreements).toEqual([]);
    expect(
      await t.node.parts.aggregator.submitSignedSubmission(other, { peer: PEER_B }),
    ).toMatchObject({ verdict: "accepted" });

    const split = await waitUntil(
      async () => {
        const r = await recordOf(agreed.event_id);
        return r?.disagreements.length ? r : undefined;
      },
      "the disagreement recorded",
      30_000,
    );
    expect(split.status).toBe("collecting");
    expect(split.signers.map((s) => s.signer)).toEqual([peerA.address]);
    expect(split.envelope_hash).not.toBe(split.disagreements[0]?.envelope_hash);
    expect(split.disagreements).toEqual([
      {
        signer: peerB.address,
        envelope_hash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
        origin: "peer",
        peer_id: PEER_B,
        received_at: expect.any(Number),
      },
    ]);
    expect(split.notes[0]).toBe(
      `signer ${peerB.address} signed a different envelope (${split.disagreements[0]!.envelope_hash}) than ${split.envelope_hash}: the operators disagree and their signatures do not combine`,
    );
    expect(split.quorum_reached_at).toBeNull();
    expect(split.designated_submitter).toBeNull();
    expect(split.landed_by).toBeNull();
    expect(split.transaction).toBeNull();
    expect(await transactionsTo(anvil, submit)).toHaveLength(1);
  }, 60_000);

  it("pages newest first with limit and before, and never shows a secret", async () => {
    const all = await page();
    expect(all.aggregations).toHaveLength(2);
    expect(all.next_before).toBeNull();
    const [newest, oldest] = all.aggregations;
    expect(newest!.id).toBeGreaterThan(oldest!.id);
    expect(newest!.status).toBe("collecting");
    expect(oldest!.status).toBe("burned");

    const first = await page("?limit=1");
    expect(first.aggregations).toEqual([newest]);
    expect(first.next_before).toBe(newest!.id);
    const second = await page(`?limit=1&before=${first.next_before}`);
    expect(second.aggregations).toEqual([oldest]);
    expect(second.next_before).toBe(oldest!.id);
    expect(await page(`?limit=1&before=${second.next_before}`)).toEqual({
      aggregations: [],
      next_before: null,
    });

    const text = (await get()).text;
    expect(text).not.toContain(credential.slice(2));
    expect(text).not.toContain(TEST_MNEMONIC);
  });

  it("400 for a malformed service id or query, 404 for an unknown service", async () => {
    const badQuery = await get("?limit=0");
    expect(badQuery.status).toBe(400);
    expect(JSON.parse(badQuery.text).error.message).toBe(
      "query parameter limit: '0' is not an integer from 1 to 1000",
    );
    const badId = await get("", "xyz");
    expect(badId.status).toBe(400);
    expect(JSON.parse(badId.text).error.message).toBe(
      "path parameter service_id: 'xyz' is not a service id (64 lowercase hex characters)",
    );
    const unknown = await get("", "0".repeat(64));
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text).error.code).toBe("WAVS_ERR_SERVICE_NOT_FOUND");
    // the other history routes of the real node answer the same way
    for (const route of ["executions", "submissions"]) {
      const res = await fetch(`${t.url}/services/${"0".repeat(64)}/${route}`);
      expect(res.status, route).toBe(404);
      const known = await fetch(`${t.url}/services/${svc.serviceId}/${route}`);
      expect(known.status, route).toBe(200);
    }
  });
});
