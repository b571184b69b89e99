// A broadcast the node refuses must not leave a nonce gap: every later transaction of the
// account would wait behind it forever (real anvil behind a JSON-RPC proxy that refuses sends).
import { createPublicClient, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { useProxiedAnvil } from "../../test/helpers/rpc-proxy.js";
import { useTempDatabase } from "../../test/helpers/temp-database.js";
import { waitUntil } from "../../test/helpers/wait-until.js";
import { silentLogger } from "../internal/logger.js";
import { AggregatorNonceStore } from "../store/aggregator-nonce-store.js";
import { AggregatorTxStore } from "../store/aggregator-tx-store.js";
import { TxManager } from "./tx-manager.js";
import type { TxOutcome } from "./tx-types.js";

describe("tx manager: a refused broadcast", () => {
  const chain = useProxiedAnvil();
  const temp = useTempDatabase();

  it("hands its nonce back: it and every later transaction are mined", async () => {
    const anvil = chain.anvil();
    const proxy = chain.proxy();
    const db = temp.db();
    const txs = new AggregatorTxStore(db);
    const account = privateKeyToAccount(anvil.privateKeys[5] as Hex);
    const outcomes = new Map<string, TxOutcome>();
    const manager = new TxManager(
      {
        chain: "evm:31337",
        client: createPublicClient({ transport: http(proxy.url) }),
        account,
        db,
        txs,
        nonces: new AggregatorNonceStore(db),
        logger: silentLogger(),
        onSettled: (row, outcome) => outcomes.set(row.ref, outcome),
      },
      { pollMs: 50, initialBackoffMs: 200 },
    );
    const to = privateKeyToAccount(anvil.privateKeys[6] as Hex).address;
    manager.start();
    try {
      proxy.blockSends();
      manager.enqueue({ to, data: "0x", ref: "first" });
      await waitUntil(() => (proxy.refusedSends() > 0 ? true : undefined), "a refused send");
      proxy.unblockSends();
      manager.enqueue({ to, data: "0x", ref: "second" });
      manager.enqueue({ to, data: "0x", ref: "third" });
      await waitUntil(() => (outcomes.size === 3 ? true : undefined), "three settled", 30_000);
      for (const ref of ["first", "second", "third"]) {
        expect(outcomes.get(ref), ref).toMatchObject({ kind: "mined", status: "success" });
      }
      expect(await anvil.publicClient().getTransactionCount({ address: account.address })).toBe(3);
      expect(
        txs
          .byChain("evm:31337")
          .map((r) => r.nonce)
          .sort(),
      ).toEqual([0, 1, 2]);
    } finally {
      await manager.stop();
    }
  });
});
