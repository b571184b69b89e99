/** A real local wasmd chain for tests, with the trigger contract deployed by the faucet. */
import { cosmwasmCode } from "@wavs-ts/contracts";
import { TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { MsgExecuteContract } from "cosmjs-types/cosmwasm/wasm/v1/tx";
import type { CosmosWallet } from "../../src/chain/cosmos-wallet.js";
import { ensureWasmd } from "../../src/devnet/wasmd-binary.js";
import { connectFaucet, startWasmd, type WasmdChain } from "../../src/devnet/wasmd-chain.js";
import { createCosmosRpc } from "../../src/triggers/index.js";
import { freePort } from "./node-network.js";

/** Long enough for a first wasmd build on a fresh machine (CI builds it before the tests). */
export const WASMD_HOOK_TIMEOUT = 900_000;

/** A started chain, a faucet wallet on it and the trigger contract's address. */
export interface TestCosmos {
  chain: WasmdChain;
  /** Chain key, `cosmos:<chain id>`. */
  key: string;
  wallet: CosmosWallet;
  trigger: string;
  /**
   * Emit `count` `wasm-new-message` events in one transaction (data: hex, a counter by
   * default); resolves once committed, with the messages' ids.
   */
  emit(
    count?: number,
    data?: string,
  ): Promise<{ height: number; transactionHash: string; ids: number[] }>;
  /** The latest committed height. */
  height(): Promise<number>;
  /** Every transaction that executed a contract, oldest first (tx_search). */
  handlerTransactions(contract: string): Promise<CosmosContractTransaction[]>;
  stop(): Promise<void>;
}

/** A transaction committed with an execute of a contract. */
export interface CosmosContractTransaction {
  hash: string;
  /** The sender of its first message. */
  from: string;
  status: "success" | "failed";
  height: bigint;
}

/** Start wasmd on free loopback ports (blocks every 200 ms) and deploy the trigger contract. */
export async function startTestCosmos(chainId = "wasmd-test"): Promise<TestCosmos> {
  await ensureWasmd();
  const ports = {
    rpc: await freePort(),
    p2p: await freePort(),
    grpc: await freePort(),
    api: await freePort(),
  };
  const chain = await startWasmd({ chainId, ports, blockMs: 200 });
  const rpc = createCosmosRpc({
    chain: `cosmos:${chainId}`,
    endpoints: [chain.rpcUrl],
    webSocket: false,
  });
  try {
    const wallet = await connectFaucet(chain);
    const trigger = await wallet.deploy(cosmwasmCode("trigger"), {}, "wavs trigger");
    let next = 0;
    return {
      chain,
      key: `cosmos:${chainId}`,
      wallet,
      trigger,
      async emit(count = 1, data) {
        const msgs = Array.from({ length: count }, () => ({
          add_message: { data: data ?? (next++).toString(16).padStart(8, "0") },
        }));
        const tx = await wallet.execute(trigger, msgs);
        const ids = tx.events
          .filter((e) => e.type === "wasm-new-message")
          .map((e) => Number(e.attributes.find((a) => a.key === "id")?.value));
        return { height: tx.height, transactionHash: tx.transactionHash, ids };
      },
      async height() {
        return Number(await rpc.getLatestHeight());
      },
      async handlerTransactions(contract) {
        const out: CosmosContractTransaction[] = [];
        const query = `execute._contract_address='${contract}'`;
        for (let page = 1; ; page++) {
          const txs = await rpc.searchTxs(query, { page, perPage: 100, order: "asc" });
          for (const tx of txs) {
            const body = TxBody.decode(TxRaw.decode(tx.tx).bodyBytes);
            const first = body.messages[0];
            const from = first ? MsgExecuteContract.decode(first.value).sender : "";
            out.push({
              hash: tx.hash,
              from,
              status: tx.code === 0 ? "success" : "failed",
              height: tx.height,
            });
          }
          if (txs.length < 100) return out;
        }
      },
      async stop() {
        wallet.disconnect();
        rpc.close();
        await chain.stop();
      },
    };
  } catch (err) {
    rpc.close();
    await chain.stop();
    throw err;
  }
}

/** The `[default.chains.cosmos.<id>]` table of a node watching `cosmos`. */
export function cosmosChainToml(cosmos: TestCosmos): string {
  return `
[default.chains.cosmos.${cosmos.chain.chainId}]
bech32_prefix = "wasm"
rpc_endpoint = "${cosmos.chain.rpcUrl}"
gas_price = 0.0
gas_denom = "ustake"
poll_interval_ms = 100
`;
}
