/**
 * One Cosmos account's connection to a chain, for the Cosmos transaction manager: its number
 * and committed sequence, CosmWasm executes simulated at a given sequence, signed with a given
 * sequence, gas and fee (deterministic: the same inputs give the same bytes and hash), and
 * broadcast (CheckTx). Through cosmjs over CometBFT RPC.
 */
import { createHash } from "node:crypto";
import type { EncodeObject } from "@cosmjs/proto-signing";
import type { QueryClient, SigningStargateClient, StdFee } from "@cosmjs/stargate";
import type { Comet38Client } from "@cosmjs/tendermint-rpc";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { MsgExecuteContract } from "cosmjs-types/cosmwasm/wasm/v1/tx";
import { errorMessage } from "../internal/index.js";
import type { CosmosKey } from "../signing/index.js";
import { type Cosmjs, loadCosmjs } from "./cosmjs.js";

const EXECUTE = "/cosmwasm.wasm.v1.MsgExecuteContract";

/** The queries the session makes: accounts and transaction simulation. */
type SessionQueryClient = QueryClient &
  import("@cosmjs/stargate").AuthExtension &
  import("@cosmjs/stargate").TxExtension;

/** A CosmWasm execute as the session sends it. */
export interface CosmosExecute {
  contract: string;
  /** The execute message's JSON bytes. */
  msg: Uint8Array;
}

/** A signed transaction. */
export interface SignedCosmosTx {
  bytes: Uint8Array;
  /** Upper-case hex of sha256(bytes), as CometBFT names it. */
  hash: string;
}

/** See the module comment. */
export class CosmosAccountSession {
  private accountNumber: bigint | undefined;

  private constructor(
    private readonly cosmjs: Cosmjs,
    private readonly from: string,
    private readonly key: CosmosKey,
    private readonly comet: Comet38Client,
    private readonly query: SessionQueryClient,
    private readonly signer: SigningStargateClient,
    private readonly chainId: string,
  ) {}

  /** Connect `from` (the address of `key` with `prefix`) to the CometBFT endpoint. */
  static async connect(args: {
    rpcUrl: string;
    from: string;
    key: CosmosKey;
    prefix: string;
  }): Promise<CosmosAccountSession> {
    const cosmjs = await loadCosmjs();
    const { stargate } = cosmjs;
    const comet = await cosmjs.tendermint.Comet38Client.connect(args.rpcUrl);
    try {
      const wallet = await cosmjs.protoSigning.DirectSecp256k1Wallet.fromKey(
        args.key.privateKey,
        args.prefix,
      );
      const signer = stargate.SigningStargateClient.createWithSigner(comet, wallet, {
        registry: new cosmjs.protoSigning.Registry([
          ...stargate.defaultRegistryTypes,
          [EXECUTE, MsgExecuteContract],
        ]),
      });
      const chainId = await signer.getChainId();
      const query = stargate.QueryClient.withExtensions(
        comet,
        stargate.setupAuthExtension,
        stargate.setupTxExtension,
      );
      return new CosmosAccountSession(cosmjs, args.from, args.key, comet, query, signer, chainId);
    } catch (err) {
      comet.disconnect();
      throw err;
    }
  }

  /** The account's committed sequence; undefined while the chain has never seen it. */
  async committedSequence(): Promise<number | undefined> {
    // the SDK answers a query of an account it has never seen with a "not found" error
    const any = await this.query.auth.account(this.from).catch((err: unknown) => {
      if (/not found/i.test(errorMessage(err))) return null;
      throw err;
    });
    if (!any) return undefined;
    const account = this.cosmjs.stargate.accountFromAny(any);
    this.accountNumber = account.accountNumber;
    return account.sequence;
  }

  /**
   * Gas used by the execute at `sequence` (the simulation checks the sequence, so it is the
   * one the transaction will take). A refusal by the chain (the contract's error) rejects with
   * the node's message; see {@link refusedByChain}.
   */
  async simulate(execute: CosmosExecute, sequence: number): Promise<number> {
    const simulated = await this.query.tx.simulate(
      this.messages(execute).map((m) => this.signer.registry.encodeAsAny(m)),
      "",
      this.cosmjs.amino.encodeSecp256k1Pubkey(this.key.publicKey),
      sequence,
    );
    return Number(simulated.gasInfo?.gasUsed ?? 0n);
  }

  /** Sign the execute with this sequence and fee (after `committedSequence` read the account). */
  async sign(execute: CosmosExecute, sequence: number, fee: StdFee): Promise<SignedCosmosTx> {
    if (this.accountNumber === undefined) await this.committedSequence();
    if (this.accountNumber === undefined) throw new Error(`${this.from} does not exist yet`);
    const raw = await this.signer.sign(this.from, this.messages(execute), fee, "", {
      accountNumber: this.accountNumber,
      sequence,
      chainId: this.chainId,
    });
    const bytes = TxRaw.encode(raw).finish();
    return { bytes, hash: createHash("sha256").update(bytes).digest("hex").toUpperCase() };
  }

  /** Broadcast (sync: after CheckTx); code 0 when the node took it. */
  async broadcast(bytes: Uint8Array): Promise<{ code: number; log: string }> {
    const result = await this.comet.broadcastTxSync({ tx: bytes });
    return { code: result.code, log: result.log ?? "" };
  }

  close(): void {
    this.signer.disconnect();
  }

  private messages(execute: CosmosExecute): EncodeObject[] {
    return [
      {
        typeUrl: EXECUTE,
        value: MsgExecuteContract.fromPartial({
          sender: this.from,
          contract: execute.contract,
          msg: execute.msg,
          funds: [],
        }),
      },
    ];
  }
}

/** Whether a failed simulation is the chain's answer (a contract error), not a transport problem. */
export function refusedByChain(err: unknown): boolean {
  return /Query failed with \(\d+\)/.test(errorMessage(err));
}
