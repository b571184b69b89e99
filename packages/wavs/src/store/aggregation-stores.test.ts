// The aggregation tables (migration 005) and their owner modules.
import { describe, expect, it } from "vitest";
import { useTempDatabase } from "../../test/helpers/temp-database.js";
import { AggregationInputStore } from "./aggregation-input-store.js";
import { AggregationTimerStore } from "./aggregation-timer-store.js";
import { AggregatorNonceStore } from "./aggregator-nonce-store.js";
import { AggregatorTxStore } from "./aggregator-tx-store.js";
import { QuorumQueueStore } from "./quorum-queue-store.js";
import { QuorumSignatureStore } from "./quorum-signature-store.js";

const input = (signer: string, envelopeHash = "0xaa") => ({
  service_id: "ab".repeat(32),
  workflow_id: "w",
  event_id: `0x${"11".repeat(20)}`,
  envelope_hash: envelopeHash,
  signer,
  signature: `0x${"22".repeat(65)}`,
  payload_hex: "0x0102",
  ordering: null,
  event_id_salt: null,
  trigger_data: '{"raw":"0x01"}',
  origin: "local",
  received_at: Date.now(),
});

const queue = {
  serviceId: "ab".repeat(32),
  workflowId: "w",
  eventId: `0x${"11".repeat(20)}`,
  chain: "evm:31337",
  handler: `0x${"33".repeat(20)}`,
  gasPrice: 7n,
  envelopeHash: "0xaa",
  ordering: `0x${"00".repeat(12)}`,
  payloadHex: "0x0102",
};

describe("aggregation stores", () => {
  const { db, reopen } = useTempDatabase();

  it("looks inputs up through indexes only, none of them unused (migration 010)", () => {
    const inputs = new AggregationInputStore(db());
    const stmts = (inputs as unknown as { stmts: Record<string, { source: string }> }).stmts;
    const plans = Object.entries(stmts).map(([name, { source }]) => {
      const params = (source.match(/\?/g) ?? []).map(() => null);
      const rows = db()
        .prepare(`EXPLAIN QUERY PLAN ${source}`)
        .all(...params) as { detail: string }[];
      return [name, rows.map((r) => r.detail).join("; ")] as const;
    });
    for (const [name, plan] of plans)
      expect(plan, name).not.toMatch(/SCAN aggregation_inputs(?! USING)/);
    const indexes = (
      db()
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'aggregation_inputs'",
        )
        .all() as { name: string }[]
    ).map((r) => r.name);
    expect(indexes).not.toContain("aggregation_inputs_by_event");
    // every index left serves a statement
    for (const index of indexes)
      expect(
        plans.some(([, plan]) => plan.includes(index)),
        index,
      ).toBe(true);
  });

  it("stores each submission once and resumes the unprocessed ones", () => {
    const inputs = new AggregationInputStore(db());
    const id = inputs.insert(input("0xA"))!;
    expect(inputs.insert(input("0xA"))).toBeUndefined();
    expect(inputs.insert(input("0xA", "0xbb"))).toBeTypeOf("number");
    expect(
      inputs.has({
        serviceId: "ab".repeat(32),
        workflowId: "w",
        eventId: `0x${"11".repeat(20)}`,
        signer: "0xA",
        envelopeHash: "0xaa",
      }),
    ).toBe(true);
    inputs.finish(id, "processed");
    const again = new AggregationInputStore(reopen());
    expect(again.received().map((r) => r.envelope_hash)).toEqual(["0xbb"]);
    expect(again.get(id)?.payload_hex).toBe("0x0102");
  });

  it("keeps timers with absolute due times until they fire or are dropped", () => {
    const inputs = new AggregationInputStore(db());
    const timers = new AggregationTimerStore(db());
    const id = inputs.insert(input("0xA"))!;
    const t1 = timers.insert(id, Date.now() + 3000, 1);
    const t2 = timers.insert(id, Date.now() + 1000, 1);
    expect(new AggregationTimerStore(reopen()).pending().map((t) => t.id)).toEqual([t2, t1]);
    const again = new AggregationTimerStore(db());
    expect(again.finish(t2, "dropped", "reorged")).toBe(true);
    expect(again.finish(t2, "fired")).toBe(false);
    expect(again.get(t2)).toMatchObject({ status: "dropped", note: "reorged" });
  });

  it("opens one queue per (event, chain, handler); a signer replaces its signature", () => {
    const queues = new QuorumQueueStore(db());
    const sigs = new QuorumSignatureStore(db());
    const id = queues.insert(queue)!;
    expect(queues.insert({ ...queue, envelopeHash: "0xcc" })).toBeUndefined();
    expect(queues.find(queue.eventId, queue.chain, queue.handler)).toMatchObject({
      id,
      envelope_hash: "0xaa",
      gas_price: "7",
      status: "collecting",
    });
    sigs.put({
      queue_id: id,
      signer: "0xA",
      signature: "0x01",
      input_id: 1,
      origin: "local",
      added_at: 1,
    });
    sigs.put({
      queue_id: id,
      signer: "0xB",
      signature: "0x02",
      input_id: 2,
      origin: "peer:p",
      added_at: 2,
    });
    sigs.put({
      queue_id: id,
      signer: "0xA",
      signature: "0x03",
      input_id: 3,
      origin: "local",
      added_at: 3,
    });
    expect(sigs.list(id).map((s) => [s.signer, s.signature])).toEqual([
      ["0xB", "0x02"],
      ["0xA", "0x03"],
    ]);
  });

  it("walks a queue through quorum to burned, and sweeps finished ones after the TTL", () => {
    const queues = new QuorumQueueStore(db());
    const sigs = new QuorumSignatureStore(db());
    const id = queues.insert(queue)!;
    sigs.put({
      queue_id: id,
      signer: "0xA",
      signature: "0x01",
      input_id: 1,
      origin: "local",
      added_at: 1,
    });
    expect(
      queues.markQuorum(id, {
        inputId: 1,
        signers: ["0xA"],
        at: 5,
        block: 9n,
        designated: "0xA",
      }),
    ).toBe(true);
    expect(
      queues.markQuorum(id, {
        inputId: 1,
        signers: ["0xA"],
        at: 6,
        block: 9n,
        designated: "0xA",
      }),
    ).toBe(false);
    expect(new QuorumQueueStore(reopen()).inQuorum().map((q) => q.id)).toEqual([id]);
    const again = new QuorumQueueStore(db());
    // a queue still submitting is never swept
    expect(again.sweep(Date.now() + 1000)).toBe(0);
    expect(again.burn(id, { by: "self", txHash: "0xdead", block: 9 })).toBe(true);
    expect(again.hasBurned(queue.eventId, "0xaa")).toBe(true);
    expect(again.sweep(Date.now() - 60_000)).toBe(0);
    expect(again.sweep(Date.now() + 1000)).toBe(1);
    expect(again.get(id)).toBeUndefined();
    expect(new QuorumSignatureStore(db()).list(id)).toEqual([]);
  });

  it("keeps each queue it read as written, and nothing a rolled-back write changed", () => {
    const queues = new QuorumQueueStore(db());
    /** The row as SQLite has it, read by a store with nothing kept. */
    const stored = (id: number) => new QuorumQueueStore(db()).get(id);
    const id = queues.insert(queue)!;
    expect(queues.get(id)).toEqual(stored(id));
    const steps: (() => unknown)[] = [
      () =>
        queues.markQuorum(id, {
          inputId: 3,
          signers: ["0xA", "0xB"],
          at: 5,
          block: 9n,
          designated: "0xB",
        }),
      () => queues.setDesignated(id, "0xA"),
      () => queues.setTx(id, 12),
      () => queues.note(id, "estimate reverted"),
      () => queues.fail(id, "broadcast refused"),
      () =>
        queues.markQuorum(id, {
          inputId: 4,
          signers: ["0xA"],
          at: 8,
          block: 10n,
          designated: "0xA",
        }),
      () => queues.setDesignated(id, "0xC"),
      () => queues.note(id, "a note"),
      () => queues.note(id, null),
      () => queues.burn(id, { by: "other", txHash: "0xdead", block: 11 }),
      // refused by its WHERE clause: nothing changes, kept or stored
      () => queues.fail(id, "too late"),
      () =>
        queues.markQuorum(id, { inputId: 5, signers: [], at: 9, block: 12n, designated: "0xD" }),
    ];
    for (const step of steps) {
      step();
      expect(queues.get(id)).toEqual(stored(id));
    }
    expect(queues.get(id)).toMatchObject({ status: "burned", landed_block: 11, quorum_block: 10 });
    // a landed queue is not kept (a row holds its payload): a change made elsewhere shows
    new QuorumQueueStore(db()).note(id, "noted by another store");
    expect(queues.get(id)?.last_error).toBe("noted by another store");

    // a write inside a transaction that rolls back leaves the row as committed
    const other = queues.insert({ ...queue, eventId: `0x${"44".repeat(20)}` })!;
    const before = queues.get(other);
    expect(() =>
      db().transaction(() => {
        queues.setTx(other, 99);
        expect(queues.get(other)?.tx_id).toBe(99);
        throw new Error("rolled back");
      })(),
    ).toThrow("rolled back");
    expect(stored(other)?.tx_id).toBeNull();
    expect(queues.get(other)).toEqual(before);
    // a committed one is seen at once
    db().transaction(() => queues.setTx(other, 7))();
    expect(queues.get(other)?.tx_id).toBe(7);
    expect(queues.get(other)).toEqual(stored(other));
  });

  it("keeps each input it stored or read as written, and nothing a rolled-back write changed", () => {
    const inputs = new AggregationInputStore(db());
    /** The row as SQLite has it, read by a store with nothing kept. */
    const stored = (id: number) => new AggregationInputStore(db()).get(id);
    const id = inputs.insert({ ...input("0xK"), payload_hex: "0xABcd", event_id_salt: "0x01" })!;
    expect(inputs.get(id)).toEqual(stored(id));
    expect(inputs.get(id)?.payload_hex).toBe("0xabcd");
    expect(inputs.get(id)).toBe(inputs.get(id));
    inputs.finish(id, "processed");
    expect(inputs.get(id)).toEqual(stored(id));
    // refused by nothing, but a second outcome replaces the first, kept and stored alike
    inputs.finish(id, "failed", "component trapped");
    expect(inputs.get(id)).toEqual(stored(id));
    expect(inputs.get(id)).toMatchObject({ status: "failed", error: "component trapped" });

    const other = inputs.insert(input("0xL"))!;
    expect(() =>
      db().transaction(() => {
        inputs.finish(other, "ignored", "landed");
        expect(inputs.get(other)?.status).toBe("ignored");
        throw new Error("rolled back");
      })(),
    ).toThrow("rolled back");
    expect(inputs.get(other)).toEqual(stored(other));
    expect(inputs.get(other)?.status).toBe("received");
    // an input stored inside a transaction that rolls back is not there after it
    let gone: number | undefined;
    expect(() =>
      db().transaction(() => {
        gone = inputs.insert(input("0xM"));
        expect(inputs.get(gone!)).toBeDefined();
        throw new Error("rolled back");
      })(),
    ).toThrow("rolled back");
    expect(inputs.get(gone!)).toBeUndefined();
    // a sweep forgets what it deleted
    inputs.finish(other, "processed");
    expect(inputs.sweep(Date.now() + 1)).toBe(2);
    expect(inputs.get(id)).toBeUndefined();
    expect(inputs.get(other)).toBeUndefined();
  });

  it("keeps each signature list it read as written, and nothing a rolled-back write added", () => {
    const id = new QuorumQueueStore(db()).insert({ ...queue, eventId: `0x${"55".repeat(20)}` })!;
    const sigs = new QuorumSignatureStore(db());
    /** The list as SQLite has it, read by a store with nothing kept. */
    const stored = () => new QuorumSignatureStore(db()).list(id);
    const sig = (signer: string, signature: string, at: number) => ({
      queue_id: id,
      signer,
      signature,
      input_id: at,
      origin: "local",
      added_at: at,
    });
    expect(sigs.list(id)).toEqual([]);
    sigs.put(sig("0xA", "0x01", 1));
    expect(sigs.list(id)).toEqual(stored());
    // a read twice is the same list, frozen: no caller can change what the next one gets
    expect(sigs.list(id)).toBe(sigs.list(id));
    expect(Object.isFrozen(sigs.list(id))).toBe(true);
    sigs.put(sig("0xB", "0x02", 2));
    sigs.put(sig("0xA", "0x03", 3));
    expect(sigs.list(id).map((s) => s.signature)).toEqual(["0x02", "0x03"]);
    expect(sigs.list(id)).toEqual(stored());

    // a signature added inside a transaction that rolls back is not seen after it
    expect(() =>
      db().transaction(() => {
        sigs.put(sig("0xC", "0x04", 4));
        expect(sigs.list(id)).toHaveLength(3);
        throw new Error("rolled back");
      })(),
    ).toThrow("rolled back");
    expect(sigs.list(id)).toEqual(stored());
    expect(sigs.list(id)).toHaveLength(2);
    // a committed one is seen at once
    db().transaction(() => sigs.put(sig("0xC", "0x04", 4)))();
    expect(sigs.list(id).map((s) => s.signer)).toEqual(["0xB", "0xA", "0xC"]);
  });

  it("records transactions from queued to mined, and the next nonce", () => {
    const txs = new AggregatorTxStore(db());
    const nonces = new AggregatorNonceStore(db());
    const id = txs.insert({
      chain: "evm:1",
      from: "0xF",
      to: "0xT",
      dataHex: "0xabcd",
      gasPrice: undefined,
      ref: "queue:1",
    });
    const second = txs.insert({
      chain: "evm:1",
      from: "0xF",
      to: "0xT",
      dataHex: "0x02",
      gasPrice: undefined,
      ref: "queue:2",
    });
    txs.insert({
      chain: "evm:1",
      from: "0xE",
      to: "0xT",
      dataHex: "0x03",
      gasPrice: undefined,
      ref: "queue:3",
    });
    expect(txs.queued("evm:1", "0xF", 10).map((t) => t.id)).toEqual([id, second]);
    expect(txs.queued("evm:1", "0xF", 1).map((t) => t.id)).toEqual([id]);
    expect(txs.queued("evm:1", "0xF", 0)).toEqual([]);
    expect(txs.sent("evm:1", "0xF")).toEqual([]);
    expect(txs.nonceHeld("evm:1", "0xF", 4)).toBe(false);
    txs.markSent(id, { nonce: 4, gasLimit: 100n, gasPrice: 2n, hashes: ["0x1"] });
    expect(txs.sent("evm:1", "0xF").map((t) => t.id)).toEqual([id]);
    // a sent transaction holds its nonce for its account and chain only
    expect(txs.nonceHeld("evm:1", "0xF", 4)).toBe(true);
    expect(txs.nonceHeld("evm:1", "0xF", 5)).toBe(false);
    expect(txs.nonceHeld("evm:1", "0xE", 4)).toBe(false);
    expect(txs.nonceHeld("evm:2", "0xF", 4)).toBe(false);
    expect(txs.queued("evm:1", "0xF", 10).map((t) => t.id)).toEqual([second]);
    nonces.set("evm:1", "0xF", 5);
    txs.markMined(id, { txHash: "0x1", status: "success", gasUsed: 90n, block: 12n });
    const again = new AggregatorTxStore(reopen());
    expect(again.get(id)).toMatchObject({
      status: "mined",
      nonce: 4,
      hashes: ["0x1"],
      gas_used: "90",
      block_number: 12,
      data_hex: "0xabcd",
    });
    expect(again.sent("evm:1", "0xF")).toEqual([]);
    // settled: the nonce is no longer held
    expect(again.nonceHeld("evm:1", "0xF", 4)).toBe(false);
    expect(new AggregatorNonceStore(db()).get("evm:1", "0xF")).toBe(5);
  });
});
