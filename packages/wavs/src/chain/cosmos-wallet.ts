/**
 * A signing account on a Cosmos chain, for the dev network and the tests: stores, instantiates
 * and executes CosmWasm contracts and sends tokens, through cosmjs over CometBFT RPC. The
 * CosmWasm messages go through cosmjs's stargate client with the wasm types registered:
 * cosmjs's own CosmWasm client (0.38) reads account numbers as JS numbers, and Cosmos SDK 0.54
 * gives new accounts numbers beyond 2^53.
 */
import type { EncodeObject, GeneratedType } from "@cosmjs/proto-signing";
import type { DeliverTxResponse } from "@cosmjs/stargate";
import {
  MsgExecuteContract,
  MsgInstantiateContract,
  MsgStoreCode,
} from "cosmjs-types/cosmwasm/wasm/v1/tx";
import { WavsError } from "../internal/index.js";
import { createCosmosRpc } from "../triggers/index.js";
import { loadCosmjs } from "./cosmjs.js";

/** A committed transaction and the events it emitted. */
export interface ExecutedTx {
  transactionHash: string;
  height: number;
  gasUsed: bigint;
  events: readonly { type: string; attributes: readonly { key: string; value: string }[] }[];
}

/** A connected account. */
export interface CosmosWallet {
  address: string;
  /** Upload and instantiate a contract; resolves with its address. */
  deploy(code: Uint8Array, initMsg: Record<string, unknown>, label: string): Promise<string>;
  /** Execute contract messages in one transaction; resolves once it is committed. */
  execute(contract: string, msgs: readonly Record<string, unknown>[]): Promise<ExecutedTx>;
  /** A smart query of a contract. */
  query(contract: string, msg: Record<string, unknown>): Promise<unknown>;
  /** Send `amount` of `denom` to `to`. */
  send(to: string, amount: string, denom: string): Promise<ExecutedTx>;
  disconnect(): void;
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

const STORE = "/cosmwasm.wasm.v1.MsgStoreCode";
const INSTANTIATE = "/cosmwasm.wasm.v1.MsgInstantiateContract";
const EXECUTE = "/cosmwasm.wasm.v1.MsgExecuteContract";
const WASM_TYPES: [string, GeneratedType][] = [
  [STORE, MsgStoreCode],
  [INSTANTIATE, MsgInstantiateContract],
  [EXECUTE, MsgExecuteContract],
];

const utf8 = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

function attribute(tx: DeliverTxResponse, type: string, key: string): string | undefined {
  return tx.events.find((e) => e.type === type)?.attributes.find((a) => a.key === key)?.value;
}

/** Connect an account by mnemonic (the first HD account). */
export async function connectCosmosWallet(options: CosmosWalletOptions): Promise<CosmosWallet> {
  const { protoSigning, stargate, tendermint } = await loadCosmjs();
  const signer = await protoSigning.DirectSecp256k1HdWallet.fromMnemonic(options.mnemonic, {
    prefix: options.prefix,
  });
  const [account] = await signer.getAccounts();
  if (account === undefined) throw new WavsError("WAVS_ERR_INTERNAL", "the wallet has no account");
  // cosmjs's auto-detection misreads recent CometBFT versions; the 0.38 protocol is theirs.
  const comet = await tendermint.Comet38Client.connect(options.rpcUrl);
  const client = stargate.SigningStargateClient.createWithSigner(comet, signer, {
    registry: new protoSigning.Registry([...stargate.defaultRegistryTypes, ...WASM_TYPES]),
    gasPrice: stargate.GasPrice.fromString(options.gasPrice),
    // cosmjs looks for a broadcast transaction every 3 s by default; local blocks are faster
    broadcastPollIntervalMs: options.pollMs ?? 200,
  });
  const rpc = createCosmosRpc({ chain: "cosmos", endpoints: [options.rpcUrl], webSocket: false });
  const { address } = account;

  const broadcast = async (msgs: EncodeObject[], what: string): Promise<ExecutedTx> => {
    const tx = await client.signAndBroadcast(address, msgs, "auto");
    if (tx.code !== 0) {
      throw new WavsError(
        "WAVS_ERR_CHAIN_TX_REVERTED",
        `${what}: ${tx.rawLog ?? `code ${tx.code}`}`,
        {
          details: { tx: tx.transactionHash, code: tx.code },
        },
      );
    }
    return {
      transactionHash: tx.transactionHash,
      height: tx.height,
      gasUsed: tx.gasUsed,
      events: tx.events,
    };
  };

  return {
    address,
    async deploy(code, initMsg, label) {
      const stored = await client.signAndBroadcast(
        address,
        [
          {
            typeUrl: STORE,
            value: MsgStoreCode.fromPartial({ sender: address, wasmByteCode: code }),
          },
        ],
        "auto",
      );
      const codeId = attribute(stored, "store_code", "code_id");
      if (stored.code !== 0 || codeId === undefined) {
        throw new WavsError(
          "WAVS_ERR_CHAIN_TX_REVERTED",
          `storing ${label}: ${stored.rawLog ?? "no code id"}`,
        );
      }
      const value = MsgInstantiateContract.fromPartial({
        sender: address,
        admin: address,
        codeId: BigInt(codeId),
        label,
        msg: utf8(initMsg),
        funds: [],
      });
      const created = await client.signAndBroadcast(
        address,
        [{ typeUrl: INSTANTIATE, value }],
        "auto",
      );
      const contract = attribute(created, "instantiate", "_contract_address");
      if (created.code !== 0 || contract === undefined) {
        throw new WavsError(
          "WAVS_ERR_CHAIN_TX_REVERTED",
          `instantiating ${label}: ${created.rawLog ?? "no address"}`,
        );
      }
      return contract;
    },
    execute(contract, msgs) {
      return broadcast(
        msgs.map((msg) => ({
          typeUrl: EXECUTE,
          value: MsgExecuteContract.fromPartial({
            sender: address,
            contract,
            msg: utf8(msg),
            funds: [],
          }),
        })),
        `executing ${contract}`,
      );
    },
    query(contract, msg) {
      return rpc.queryContractSmart(contract, msg);
    },
    send(to, amount, denom) {
      return broadcast(
        [
          {
            typeUrl: "/cosmos.bank.v1beta1.MsgSend",
            value: { fromAddress: address, toAddress: to, amount: [{ denom, amount }] },
          },
        ],
        `sending to ${to}`,
      );
    },
    disconnect() {
      client.disconnect();
      rpc.close();
    },
  };
}
