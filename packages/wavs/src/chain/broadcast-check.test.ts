import { describe, expect, it } from "vitest";
import { outcomeOfRow } from "../aggregator/queue-rows.js";
import { silentLogger } from "../internal/index.js";
import { AggregatorTxStore, openDatabase } from "../store/index.js";
import { checkBeforeBroadcast, deferredReason } from "./broadcast-check.js";

function setup() {
  const txs = new AggregatorTxStore(openDatabase(":memory:"));
  const id = txs.insert({
    chain: "evm:31337",
    from: "0x0000000000000000000000000000000000000001",
    to: "0x0000000000000000000000000000000000000002",
    dataHex: "0x1234",
    gasPrice: undefined,
    ref: "queue:1",
  });
  return { txs, row: txs.get(id)!, deps: { txs, log: silentLogger() } };
}

describe("checkBeforeBroadcast", () => {
  it("sends when there is no check, the owner says send, or the check fails", async () => {
    const { row, deps, txs } = setup();
    expect(await checkBeforeBroadcast(row, undefined, deps)).toBeUndefined();
    expect(await checkBeforeBroadcast(row, async () => ({ kind: "send" }), deps)).toBeUndefined();
    const failing = async () => {
      throw new Error("RPC down");
    };
    expect(await checkBeforeBroadcast(row, failing, deps)).toBeUndefined();
    expect(txs.get(row.id)?.status).toBe("queued");
  });

  it("cancels a transaction whose result landed, with the proof", async () => {
    const { row, deps, txs } = setup();
    const landed = {
      txHash: "0xabc",
      block: 7n,
      from: "0x0000000000000000000000000000000000000003",
    };
    const outcome = await checkBeforeBroadcast(row, async () => ({ kind: "landed", landed }), deps);
    expect(outcome).toEqual({
      kind: "failed",
      reason: "already landed by transaction 0xabc",
      landed,
    });
    expect(txs.get(row.id)).toMatchObject({ status: "failed", hashes: [] });
    expect(deferredReason(txs.get(row.id)!)).toBeUndefined();
  });

  it("holds a deferred transaction back, and says so again from the stored row (a restart)", async () => {
    const { row, deps, txs } = setup();
    const outcome = await checkBeforeBroadcast(
      row,
      async () => ({ kind: "defer", reason: "a peer's transaction is pending" }),
      deps,
    );
    expect(outcome).toEqual({
      kind: "failed",
      reason: "a peer's transaction is pending",
      deferred: true,
    });
    const stored = txs.get(row.id)!;
    expect(stored.status).toBe("failed");
    expect(deferredReason(stored)).toBe("a peer's transaction is pending");
    expect(outcomeOfRow(stored)).toEqual(outcome);
    // a row that was broadcast is never taken for a deferred one, whatever its error says
    expect(deferredReason({ ...stored, hashes: ["0xdef"] })).toBeUndefined();
  });
});
