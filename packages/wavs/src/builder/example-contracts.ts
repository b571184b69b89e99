/**
 * The example contracts from the CLI: addTrigger on SimpleTrigger (decoding NewTrigger for the
 * id), results read from SimpleSubmit, and setServiceURI on the service manager.
 */
import { simpleSubmitAbi, simpleTriggerAbi, wavsServiceManagerAbi } from "@wavs-ts/contracts";
import {
  type Account,
  type Address,
  type Chain,
  decodeAbiParameters,
  type Hash,
  type Hex,
  parseEventLogs,
  type Transport,
  type WalletClient,
} from "viem";
import { WavsError } from "../internal/index.js";
import { publicClientFor, rpcCall, walletClientFor } from "./evm-chain.js";

const TRIGGER_INFO = [
  {
    type: "tuple",
    components: [
      { name: "triggerId", type: "uint64" },
      { name: "creator", type: "address" },
      { name: "data", type: "bytes" },
    ],
  },
] as const;

/** Wait for a transaction; throw WAVS_ERR_CHAIN_TX_REVERTED when it reverted. */
async function waitMined(
  wallet: WalletClient<Transport, Chain, Account>,
  rpcUrl: string,
  hash: Hash,
  what: string,
) {
  const receipt = await rpcCall(
    () => publicClientFor(rpcUrl).waitForTransactionReceipt({ hash, timeout: 60_000 }),
    rpcUrl,
  );
  if (receipt.status !== "success") {
    throw new WavsError("WAVS_ERR_CHAIN_TX_REVERTED", `${what} reverted (tx ${hash})`, {
      hint: `is the address right and is ${wallet.account.address} allowed to call it?`,
    });
  }
  return receipt;
}

/** A trigger that was added: its id (from NewTrigger) and the transaction. */
export interface AddedTrigger {
  triggerId: bigint;
  txHash: Hash;
  blockNumber: bigint;
}

/** Call addTrigger(data) on a SimpleTrigger contract and read the new id from NewTrigger. */
export async function addTrigger(options: {
  rpcUrl: string;
  account: Account;
  contract: Address;
  data: Uint8Array;
}): Promise<AddedTrigger> {
  const { rpcUrl, contract } = options;
  const wallet = await walletClientFor(rpcUrl, options.account);
  const txHash = await rpcCall(
    () =>
      wallet.writeContract({
        address: contract,
        abi: simpleTriggerAbi,
        functionName: "addTrigger",
        args: [`0x${Buffer.from(options.data).toString("hex")}` as Hex],
      }),
    rpcUrl,
  );
  const receipt = await waitMined(wallet, rpcUrl, txHash, `addTrigger on ${contract}`);
  const events = parseEventLogs({
    abi: simpleTriggerAbi,
    eventName: "NewTrigger",
    logs: receipt.logs,
  });
  const event = events.find((e) => e.address.toLowerCase() === contract.toLowerCase());
  if (!event) {
    throw new WavsError(
      "WAVS_ERR_CHAIN_RPC",
      `addTrigger on ${contract} emitted no NewTrigger event`,
      {
        hint: "is that address a SimpleTrigger contract?",
      },
    );
  }
  const [info] = decodeAbiParameters(TRIGGER_INFO, event.args.triggerData);
  return { triggerId: info.triggerId, txHash, blockNumber: receipt.blockNumber };
}

/** A result stored by SimpleSubmit for one trigger. */
export interface TriggerResult {
  triggerId: bigint;
  data: Hex;
  signers: readonly Address[];
  referenceBlock: number;
  eventId: Hex;
}

/** Read the result of a trigger from a SimpleSubmit handler; WAVS_ERR_RESULT_NOT_FOUND when none yet. */
export async function readResult(options: {
  rpcUrl: string;
  contract: Address;
  triggerId: bigint;
}): Promise<TriggerResult> {
  const { rpcUrl, contract, triggerId } = options;
  const client = publicClientFor(rpcUrl);
  const valid = await rpcCall(
    () =>
      client.readContract({
        address: contract,
        abi: simpleSubmitAbi,
        functionName: "isValidTriggerId",
        args: [triggerId],
      }),
    rpcUrl,
  );
  if (!valid) {
    throw new WavsError(
      "WAVS_ERR_RESULT_NOT_FOUND",
      `trigger ${triggerId} has no result on ${contract} yet`,
      {
        hint: "the operators may still be working on it: wait a moment and run `wavs result` again",
      },
    );
  }
  const [withId, signed] = await rpcCall(
    () =>
      Promise.all([
        client.readContract({
          address: contract,
          abi: simpleSubmitAbi,
          functionName: "getDataWithId",
          args: [triggerId],
        }),
        client.readContract({
          address: contract,
          abi: simpleSubmitAbi,
          functionName: "getSignedData",
          args: [triggerId],
        }),
      ]),
    rpcUrl,
  );
  return {
    triggerId,
    data: withId.data,
    signers: signed.signatureData.signers,
    referenceBlock: signed.signatureData.referenceBlock,
    eventId: signed.envelope.eventId,
  };
}

/** Send setServiceURI(uri) to the manager and wait for it; returns the tx hash. */
export async function setServiceUri(options: {
  rpcUrl: string;
  account: Account;
  manager: Address;
  uri: string;
}): Promise<Hash> {
  const { rpcUrl, manager } = options;
  const wallet = await walletClientFor(rpcUrl, options.account);
  const hash = await rpcCall(
    () =>
      wallet.writeContract({
        address: manager,
        abi: wavsServiceManagerAbi,
        functionName: "setServiceURI",
        args: [options.uri],
      }),
    rpcUrl,
  );
  await waitMined(wallet, rpcUrl, hash, `setServiceURI on ${manager}`);
  return hash;
}

/** Read a result; while the handler has none yet, look again every `pollMs` until `waitMs` has passed. */
export function readResultWaiting(
  options: Parameters<typeof readResult>[0],
  waitMs: number,
  pollMs = 250,
): Promise<TriggerResult> {
  return waitForResult(() => readResult(options), waitMs, pollMs);
}

/** Run `read` until it stops failing with WAVS_ERR_RESULT_NOT_FOUND, or `waitMs` has passed. */
export async function waitForResult<T>(
  read: () => Promise<T>,
  waitMs: number,
  pollMs = 250,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await read();
    } catch (err) {
      const missing = err instanceof WavsError && err.code === "WAVS_ERR_RESULT_NOT_FOUND";
      if (!missing || Date.now() >= deadline) throw err;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
