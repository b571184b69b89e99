/**
 * Sending CosmWasm executes from one account, one after the other, as the aggregator's Cosmos
 * transaction manager will (issue 16): the account number and sequence kept in memory and
 * resynced from the chain when a broadcast is refused for its sequence; gas simulated and
 * padded; the fee from the gas price; an account without funds (or not on chain yet) waits
 * until it has them. WIP: the sequence is not persisted yet and nothing here is wired.
 */
import { DirectSecp256k1HdWallet, type EncodeObject, Registry } from "@cosmjs/proto-signing";
import {
  BroadcastTxError,
  calculateFee,
  defaultRegistryTypes,
  GasPrice,
  SigningStargateClient,
} from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { MsgExecuteContract } from "cosmjs-types/cosmwasm/wasm/v1/tx";
import type { Logger } from "../internal/index.js";
import { errorMessage, WavsError } from "../internal/index.js";

const EXECUTE = "/cosmwasm.wasm.v1.MsgExecuteContract";

/** Options of `createCosmosSender`. */
export interface CosmosSenderOptions {
  chain: string;
  rpcUrl: string;
  mnemonic: string;
  prefix: string;
  /** e.g. `0.025ustake`. */
  gasPrice: string;
  /** Simulated gas times this (default 1.3). */
  gasAdjustment?: number | undefined;
  /** How often inclusion and funds are looked for (default 250 ms). */
  pollMs?: number | undefined;
  /** How long a send waits for funds before failing (default 10 minutes). */
  fundsWaitMs?: number | undefined;
  /** How long a broadcast transaction may take to be included (default 60 s). */
  inclusionTimeoutMs?: number | undefined;
  logger?: Logger | undefined;
}

/** A committed execute. */
export interface SentTx {
  transactionHash: string;
  height: number;
  gasUsed: bigint;
}

/** One account's sender. */
export interface CosmosSender {
  readonly address: string;
  /** Execute `msg` on `contract`; resolves once the transaction is committed and succeeded. */
  execute(contract: string, msg: Record<string, unknown>): Promise<SentTx>;
  close(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The sequence a node expected, from its "account sequence mismatch" refusal. */
function expectedSequence(err: unknown): bigint | undefined {
  const match = /account sequence mismatch, expected (\d+)/.exec(errorMessage(err));
  return match ? BigInt(match[1] as string) : undefined;
}

function lacksFunds(err: unknown): boolean {
  return /insufficient funds|does not exist on chain|not found: key not found|account .* not found/i.test(
    errorMessage(err),
  );
}

/** Create the sender of the account of `mnemonic` (its first HD account). */
export async function createCosmosSender(options: CosmosSenderOptions): Promise<CosmosSender> {
  const signer = await DirectSecp256k1HdWallet.fromMnemonic(options.mnemonic, {
    prefix: options.prefix,
  });
  const [account] = await signer.getAccounts();
  if (account === undefined) throw new WavsError("WAVS_ERR_INTERNAL", "the wallet has no account");
  const comet = await Comet38Client.connect(options.rpcUrl);
  const client = SigningStargateClient.createWithSigner(comet, signer, {
    registry: new Registry([...defaultRegistryTypes, [EXECUTE, MsgExecuteContract]]),
  });
  const { address } = account;
  const gasPrice = GasPrice.fromString(options.gasPrice);
  const adjustment = options.gasAdjustment ?? 1.3;
  const pollMs = options.pollMs ?? 250;
  const log = options.logger?.child({ chain: options.chain, sender: address });
  let chainId: string | undefined;
  let state: { accountNumber: bigint; sequence: bigint } | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  /** Account number and sequence from the chain; waits while the account has no funds yet. */
  const sync = async (deadline: number) => {
    for (;;) {
      try {
        const { accountNumber, sequence } = await client.getSequence(address);
        state = { accountNumber: BigInt(accountNumber), sequence: BigInt(sequence) };
        return;
      } catch (err) {
        if (!lacksFunds(err) || Date.now() > deadline) throw err;
        log?.warn(
          { err: errorMessage(err) },
          "the sending account is not on chain yet; waiting for funds",
        );
        await sleep(pollMs);
      }
    }
  };

  const send = async (contract: string, msg: Record<string, unknown>): Promise<SentTx> => {
    const messages: EncodeObject[] = [
      {
        typeUrl: EXECUTE,
        value: MsgExecuteContract.fromPartial({
          sender: address,
          contract,
          msg: new TextEncoder().encode(JSON.stringify(msg)),
          funds: [],
        }),
      },
    ];
    const deadline = Date.now() + (options.fundsWaitMs ?? 600_000);
    chainId ??= await client.getChainId();
    for (;;) {
      if (state === undefined) await sync(deadline);
      const current = state as { accountNumber: bigint; sequence: bigint };
      let gas: number;
      try {
        gas = Math.ceil((await client.simulate(address, messages, undefined)) * adjustment);
      } catch (err) {
        if (lacksFunds(err) && Date.now() < deadline) {
          await sleep(pollMs);
          state = undefined;
          continue;
        }
        throw new WavsError(
          "WAVS_ERR_AGGREGATOR_TX_FAILED",
          `simulating the execute on ${contract} failed: ${errorMessage(err)}`,
          { cause: err },
        );
      }
      const fee = calculateFee(gas, gasPrice);
      const signed = await client.sign(address, messages, fee, "", {
        accountNumber: current.accountNumber,
        sequence: Number(current.sequence),
        chainId,
      });
      let hash: string;
      try {
        hash = await client.broadcastTxSync(TxRaw.encode(signed).finish());
      } catch (err) {
        const expected = expectedSequence(err);
        if (expected !== undefined) {
          log?.info({ expected: String(expected) }, "account sequence resynced");
          state = { accountNumber: current.accountNumber, sequence: expected };
          continue;
        }
        if (err instanceof BroadcastTxError && lacksFunds(err) && Date.now() < deadline) {
          log?.warn("the sending account lacks funds for the fee; waiting");
          await sleep(pollMs);
          continue;
        }
        throw new WavsError(
          "WAVS_ERR_AGGREGATOR_TX_FAILED",
          `broadcasting to ${contract} failed: ${errorMessage(err)}`,
          { cause: err },
        );
      }
      state = { accountNumber: current.accountNumber, sequence: current.sequence + 1n };
      const until = Date.now() + (options.inclusionTimeoutMs ?? 60_000);
      for (;;) {
        const tx = await client.getTx(hash);
        if (tx) {
          if (tx.code !== 0) {
            throw new WavsError(
              "WAVS_ERR_AGGREGATOR_TX_FAILED",
              `transaction ${hash} failed: ${tx.rawLog}`,
            );
          }
          return { transactionHash: hash, height: tx.height, gasUsed: tx.gasUsed };
        }
        if (Date.now() > until) {
          // not included: the sequence may be free again; ask the chain next time
          state = undefined;
          throw new WavsError(
            "WAVS_ERR_AGGREGATOR_TX_FAILED",
            `transaction ${hash} was not included in time`,
          );
        }
        await sleep(pollMs);
      }
    }
  };

  return {
    address,
    execute(contract, msg) {
      // one at a time: each transaction takes the next sequence
      const run = queue.then(() => send(contract, msg));
      queue = run.catch(() => undefined);
      return run;
    },
    close() {
      client.disconnect();
    },
  };
}
