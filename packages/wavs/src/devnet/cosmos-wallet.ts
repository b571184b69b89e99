/**
 * A signing account on a Cosmos chain, for the dev network and the tests: deploys CosmWasm
 * contracts and sends executes through cosmjs over the chain's CometBFT RPC.
 */
import { SigningCosmWasmClient } from "@cosmjs/cosmwasm";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { WavsError } from "../internal/index.js";

/** A connected account. */
export interface CosmosWallet {
  address: string;
  client: SigningCosmWasmClient;
  /** Upload and instantiate a contract; resolves with its address. */
  deploy(code: Uint8Array, initMsg: Record<string, unknown>, label: string): Promise<string>;
  /** Execute contract messages in one transaction; resolves once it is committed. */
  execute(contract: string, msgs: readonly Record<string, unknown>[]): Promise<ExecutedTx>;
  disconnect(): void;
}

/** A committed transaction and the events it emitted. */
export interface ExecutedTx {
  transactionHash: string;
  height: number;
  events: readonly { type: string; attributes: readonly { key: string; value: string }[] }[];
}

/** Options of `connectCosmosWallet`. */
export interface CosmosWalletOptions {
  rpcUrl: string;
  mnemonic: string;
  prefix: string;
  /** e.g. `0ustake`; gas is estimated by simulation. */
  gasPrice: string;
  /** How often a broadcast transaction is looked for (default 200 ms). */
  pollMs?: number | undefined;
}

/** Connect an account by mnemonic (the first HD account). */
export async function connectCosmosWallet(options: CosmosWalletOptions): Promise<CosmosWallet> {
  const signer = await DirectSecp256k1HdWallet.fromMnemonic(options.mnemonic, {
    prefix: options.prefix,
  });
  const [account] = await signer.getAccounts();
  if (account === undefined) throw new WavsError("WAVS_ERR_INTERNAL", "the wallet has no account");
  // cosmjs's auto-detection misreads recent CometBFT versions; the 0.38 protocol is theirs.
  const comet = await Comet38Client.connect(options.rpcUrl);
  const client = SigningCosmWasmClient.createWithSigner(comet, signer, {
    gasPrice: GasPrice.fromString(options.gasPrice),
    // cosmjs looks for a broadcast transaction every 3 s by default; local blocks are faster
    broadcastPollIntervalMs: options.pollMs ?? 200,
  });
  const { address } = account;
  return {
    address,
    client,
    async deploy(code, initMsg, label) {
      const { codeId } = await client.upload(address, code, "auto");
      const { contractAddress } = await client.instantiate(address, codeId, initMsg, label, "auto");
      return contractAddress;
    },
    async execute(contract, msgs) {
      const { transactionHash, height, events } = await client.executeMultiple(
        address,
        msgs.map((msg) => ({ contractAddress: contract, msg })),
        "auto",
      );
      return { transactionHash, height, events };
    },
    disconnect() {
      client.disconnect();
    },
  };
}
