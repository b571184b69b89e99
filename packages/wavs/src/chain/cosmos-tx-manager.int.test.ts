// The Cosmos transaction manager against a real wasmd: executes in sequence order and persisted,
// a sequence taken behind its back resynced, an unfunded account that waits and lands once
// funded, a refused simulation that costs no sequence, a restart that resumes a sent row.
import { AuthInfo, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { english, generateMnemonic } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startTestCosmos,
  type TestCosmos,
  WASMD_HOOK_TIMEOUT,
} from "../../test/helpers/cosmos-harness.js";
import { startRpcProxy } from "../../test/helpers/rpc-proxy.js";
import { useTempDatabase } from "../../test/helpers/temp-database.js";
import { waitUntil } from "../../test/helpers/wait-until.js";
import { silentLogger } from "../internal/logger.js";
import { cosmosAddress, cosmosKey } from "../signing/index.js";
import { AggregatorNonceStore } from "../store/aggregator-nonce-store.js";
import { AggregatorTxStore } from "../store/aggregator-tx-store.js";
import type { Db } from "../store/index.js";
import { createCosmosRpc } from "../triggers/index.js";
import { CosmosTxManager } from "./cosmos-tx-manager.js";
import type { TxOutcome } from "./tx-types.js";

let cosmos: TestCosmos;
beforeAll(async () => {
  cosmos = await startTestCosmos("wasmd-txm");
}, WASMD_HOOK_TIMEOUT);
afterAll(async () => {
  await cosmos?.stop();
});

const add = (data: string) => ({ add_message: { data } });

describe("Cosmos transaction manager (real wasmd)", () => {
  const temp = useTempDatabase();

  function manager(
    db: Db,
    mnemonic: string,
    outcomes: Map<string, TxOutcome>,
    opts: {
      gasPrice?: { amount: number; denom: string };
      rpcUrl?: string;
      stuckAfterMs?: number;
    } = {},
  ) {
    const rpc = createCosmosRpc({
      chain: cosmos.key,
      endpoints: [cosmos.chain.rpcUrl],
      webSocket: false,
    });
    const m = new CosmosTxManager(
      {
        chain: cosmos.key,
        rpc,
        rpcUrl: opts.rpcUrl ?? cosmos.chain.rpcUrl,
        key: cosmosKey(mnemonic),
        prefix: "wasm",
        gasPrice: opts.gasPrice ?? { amount: 0, denom: "ustake" },
        db,
        txs: new AggregatorTxStore(db),
        nonces: new AggregatorNonceStore(db),
        logger: silentLogger(),
        onSettled: (row, outcome) => outcomes.set(row.ref, outcome),
      },
      {
        pollMs: 50,
        initialBackoffMs: 100,
        maxBackoffMs: 500,
        stuckAfterMs: opts.stuckAfterMs ?? 1_500,
      },
    );
    return {
      m,
      async stop() {
        await m.stop();
        rpc.close();
      },
    };
  }

  /** A fresh account's mnemonic, funded with `amount` ustake by the faucet. */
  async function fundedAccount(amount = 1_000_000n): Promise<string> {
    const mnemonic = generateMnemonic(english);
    await cosmos.wallet.send(cosmosAddress(cosmosKey(mnemonic), "wasm"), String(amount), "ustake");
    return mnemonic;
  }

  const count = async () => (await cosmos.wallet.query(cosmos.trigger, { count: {} })) as number;

  it("sends queued executes in sequence order, persists the next sequence, and resyncs one used elsewhere", async () => {
    const db = temp.db();
    const outcomes = new Map<string, TxOutcome>();
    // the faucet's own account: the test's wallet takes sequences behind the manager's back
    const { m, stop } = manager(db, cosmos.chain.faucet.mnemonic, outcomes);
    m.start();
    try {
      expect(m.from).toBe(cosmos.chain.faucet.address);
      const before = await count();
      for (const d of ["01", "02", "03", "04", "05"])
        m.enqueue({ contract: cosmos.trigger, msg: add(d), ref: d });
      await waitUntil(() => (outcomes.size === 5 ? true : undefined), "five settled", 60_000);
      const rows = new AggregatorTxStore(db).byChain(cosmos.key);
      expect(rows.map((r) => r.status)).toEqual(["mined", "mined", "mined", "mined", "mined"]);
      expect(rows.map((r) => r.receipt_status)).toEqual(Array(5).fill("success"));
      const sequences = rows.map((r) => r.nonce!);
      expect(sequences).toEqual(sequences.map((_, i) => sequences[0]! + i));
      expect(new AggregatorNonceStore(db).get(cosmos.key, m.from)).toBe(sequences[4]! + 1);
      for (const row of rows) {
        const outcome = outcomes.get(row.ref) as Extract<TxOutcome, { kind: "mined" }>;
        expect(outcome.txHash).toBe(row.tx_hash);
        expect(outcome.txHash).toMatch(/^[0-9A-F]{64}$/);
        expect(outcome.gasUsed > 0n).toBe(true);
      }
      // the same account sends from elsewhere: the stored sequence is stale now
      await cosmos.emit(1);
      m.enqueue({ contract: cosmos.trigger, msg: add("06"), ref: "06" });
      await waitUntil(() => outcomes.get("06"), "the execute after the resync", 60_000);
      expect(outcomes.get("06")).toMatchObject({ kind: "mined", status: "success" });
      expect(await count()).toBe(before + 7);
    } finally {
      await stop();
    }
  }, 120_000);

  it("an account without funds keeps its executes queued, and lands them once funded", async () => {
    const db = temp.db();
    const mnemonic = generateMnemonic(english);
    const outcomes = new Map<string, TxOutcome>();
    const { m, stop } = manager(db, mnemonic, outcomes);
    m.start();
    try {
      expect(m.from).toBe(cosmosAddress(cosmosKey(mnemonic), "wasm"));
      const id = m.enqueue({ contract: cosmos.trigger, msg: add("aa"), ref: "aa" });
      const txs = new AggregatorTxStore(db);
      // it waits, says why, and tries again
      const waiting = await waitUntil(
        () => {
          const row = txs.get(id)!;
          return row.attempts >= 3 ? row : undefined;
        },
        "the execute waiting for funds",
        30_000,
      );
      expect(waiting.status).toBe("queued");
      expect(waiting.error).toMatch(/does not exist .* yet; waiting for funds/);
      expect(outcomes.size).toBe(0);
      await cosmos.wallet.send(m.from, "1000000", "ustake");
      await waitUntil(() => outcomes.get("aa"), "the execute once funded", 60_000);
      expect(outcomes.get("aa")).toMatchObject({ kind: "mined", status: "success" });
    } finally {
      await stop();
    }
  }, 120_000);

  it("a simulation the contract refuses fails the execute without using a sequence", async () => {
    const db = temp.db();
    const mnemonic = await fundedAccount();
    const outcomes = new Map<string, TxOutcome>();
    const { m, stop } = manager(db, mnemonic, outcomes);
    m.start();
    try {
      m.enqueue({ contract: cosmos.trigger, msg: { no_such_message: {} }, ref: "bad" });
      m.enqueue({ contract: cosmos.trigger, msg: add("bb"), ref: "good" });
      await waitUntil(() => (outcomes.size === 2 ? true : undefined), "both settled", 60_000);
      const bad = outcomes.get("bad") as Extract<TxOutcome, { kind: "failed" }>;
      expect(bad.kind).toBe("failed");
      expect(bad.reason).toMatch(/simulating the execute on wasm1.* failed/);
      const rows = new AggregatorTxStore(db).byChain(cosmos.key);
      expect(rows[0]!.nonce).toBeNull();
      // the good one took the account's first sequence
      expect(rows[1]).toMatchObject({ status: "mined", receipt_status: "success", nonce: 0 });
    } finally {
      await stop();
    }
  }, 120_000);

  it("pays gas x the chain's gas price, or the component's own price", async () => {
    const db = temp.db();
    const mnemonic = await fundedAccount(100000000n);
    const outcomes = new Map<string, TxOutcome>();
    const { m, stop } = manager(db, mnemonic, outcomes, {
      gasPrice: { amount: 0.25, denom: "ustake" },
    });
    m.start();
    const rpc = createCosmosRpc({
      chain: cosmos.key,
      endpoints: [cosmos.chain.rpcUrl],
      webSocket: false,
    });
    try {
      m.enqueue({ contract: cosmos.trigger, msg: add("dd"), ref: "chain" });
      m.enqueue({ contract: cosmos.trigger, msg: add("ee"), gasPrice: 2n, ref: "component" });
      await waitUntil(() => (outcomes.size === 2 ? true : undefined), "both settled", 60_000);
      const [chainPriced, componentPriced] = new AggregatorTxStore(db).byChain(cosmos.key);
      const feeOf = async (hash: string) => {
        const tx = (await rpc.getTx(hash))!;
        const authInfo = AuthInfo.decode(TxRaw.decode(tx.tx).authInfoBytes);
        return { gas: authInfo.fee!.gasLimit, amount: authInfo.fee!.amount };
      };
      const a = await feeOf(chainPriced!.tx_hash!);
      expect(a.gas).toBe(BigInt(chainPriced!.gas_limit!));
      expect(a.amount).toEqual([
        { denom: "ustake", amount: String(Math.ceil(Number(a.gas) * 0.25)) },
      ]);
      expect(chainPriced!.gas_price).toBe("0.25");
      const b = await feeOf(componentPriced!.tx_hash!);
      expect(b.amount).toEqual([{ denom: "ustake", amount: String(b.gas * 2n) }]);
      expect(componentPriced!.gas_price).toBe("2");
    } finally {
      rpc.close();
      await stop();
    }
  }, 120_000);

  it("a broadcast lost on its way is sent again byte for byte once it counts as stuck", async () => {
    const db = temp.db();
    const mnemonic = await fundedAccount();
    const proxy = await startRpcProxy(cosmos.chain.rpcUrl, { sendMethods: ["broadcast_tx_sync"] });
    const outcomes = new Map<string, TxOutcome>();
    const { m, stop } = manager(db, mnemonic, outcomes, { rpcUrl: proxy.url });
    m.start();
    try {
      proxy.blockSends();
      const id = m.enqueue({ contract: cosmos.trigger, msg: add("ff"), ref: "lost" });
      await waitUntil(() => (proxy.refusedSends() > 0 ? true : undefined), "a lost broadcast");
      const lost = new AggregatorTxStore(db).get(id)!;
      // marked sent with its hash before the broadcast: the node knows what to look for
      expect(lost.status).toBe("sent");
      expect(lost.hashes).toHaveLength(1);
      proxy.unblockSends();
      const outcome = await waitUntil(() => outcomes.get("lost"), "the resent execute", 60_000);
      expect(outcome).toMatchObject({ kind: "mined", status: "success", txHash: lost.hashes[0] });
      expect(proxy.forwardedSends()).toBe(1);
    } finally {
      await stop();
      await proxy.close();
    }
  }, 120_000);

  it("an execute refused for the sequence of a lost broadcast sends that broadcast again at once", async () => {
    const db = temp.db();
    const mnemonic = await fundedAccount();
    const proxy = await startRpcProxy(cosmos.chain.rpcUrl, { sendMethods: ["broadcast_tx_sync"] });
    const outcomes = new Map<string, TxOutcome>();
    // never stuck within the test: only the refusal of the next execute can bring it back
    const { m, stop } = manager(db, mnemonic, outcomes, {
      rpcUrl: proxy.url,
      stuckAfterMs: 600_000,
    });
    m.start();
    try {
      proxy.blockSends();
      const lostId = m.enqueue({ contract: cosmos.trigger, msg: add("a1"), ref: "lost" });
      await waitUntil(() => (proxy.refusedSends() > 0 ? true : undefined), "a lost broadcast");
      const lost = new AggregatorTxStore(db).get(lostId)!;
      proxy.unblockSends();
      m.enqueue({ contract: cosmos.trigger, msg: add("a2"), ref: "next" });
      await waitUntil(() => (outcomes.size === 2 ? true : undefined), "both landed", 60_000);
      expect(outcomes.get("lost")).toMatchObject({
        kind: "mined",
        status: "success",
        txHash: lost.hashes[0],
      });
      expect(outcomes.get("next")).toMatchObject({ kind: "mined", status: "success" });
      const rows = new AggregatorTxStore(db).byChain(cosmos.key);
      expect(rows.map((r) => r.nonce)).toEqual([0, 1]);
    } finally {
      await stop();
      await proxy.close();
    }
  }, 120_000);

  it("a restart resumes a transaction marked sent and settles it", async () => {
    const db = temp.db();
    const mnemonic = await fundedAccount();
    const first = new Map<string, TxOutcome>();
    const a = manager(db, mnemonic, first);
    a.m.start();
    const txs = new AggregatorTxStore(db);
    const id = a.m.enqueue({ contract: cosmos.trigger, msg: add("cc"), ref: "cc" });
    await waitUntil(() => (txs.get(id)!.status !== "queued" ? true : undefined), "sent", 30_000);
    await a.stop();
    const second = new Map<string, TxOutcome>();
    const b = manager(temp.reopen(), mnemonic, second);
    b.m.start();
    try {
      const outcome =
        first.get("cc") ?? (await waitUntil(() => second.get("cc"), "resumed", 60_000));
      expect(outcome).toMatchObject({ kind: "mined", status: "success" });
    } finally {
      await b.stop();
    }
  }, 120_000);
});
