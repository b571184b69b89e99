/** A real local wasmd chain for tests, with the trigger contract deployed by the faucet. */
import { cosmwasmCode } from "@wavs-ts/contracts";
import type { CosmosWallet } from "../../src/chain/cosmos-wallet.js";
import { ensureWasmd } from "../../src/devnet/wasmd-binary.js";
import { connectFaucet, startWasmd, type WasmdChain } from "../../src/devnet/wasmd-chain.js";
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
  stop(): Promise<void>;
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
      async stop() {
        wallet.disconnect();
        await chain.stop();
      },
    };
  } catch (err) {
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
