/** The example Cosmos trigger contract from the CLI: `add_message`, the new message's id back. */
import { connectCosmosWallet } from "../chain/index.js";
import { WavsError } from "../internal/index.js";

/** A message added on the Cosmos trigger contract. */
export interface AddedCosmosTrigger {
  triggerId: bigint;
  txHash: string;
  height: number;
}

/** Execute `{"add_message": {"data": <hex>}}` from the account of `mnemonic`; the id it got. */
export async function addCosmosTrigger(options: {
  rpcUrl: string;
  mnemonic: string;
  prefix: string;
  gasPrice: string;
  contract: string;
  data: Uint8Array;
}): Promise<AddedCosmosTrigger> {
  const wallet = await connectCosmosWallet(options);
  try {
    const msg = { add_message: { data: Buffer.from(options.data).toString("hex") } };
    const tx = await wallet.execute(options.contract, [msg]);
    const id = tx.events
      .find((e) => e.type === "wasm-new-message")
      ?.attributes.find((a) => a.key === "id")?.value;
    if (id === undefined || !/^\d+$/.test(id)) {
      throw new WavsError(
        "WAVS_ERR_CHAIN_RPC",
        `add_message on ${options.contract} emitted no new-message event with an id`,
        { hint: "is that address the example Cosmos trigger contract?" },
      );
    }
    return { triggerId: BigInt(id), txHash: tx.transactionHash, height: tx.height };
  } finally {
    wallet.disconnect();
  }
}
