/**
 * Quorum is decided on-chain (spec: signing.md, Aggregation 4): `eth_call` of
 * `validate(envelope, signatureData)` on the manager that the handler's `getServiceManager()`
 * names, with signers sorted ascending and `referenceBlock` = current block - 1.
 * `InsufficientQuorum` / `SignerNotRegistered` mean "wait for more signatures".
 */
import {
  buildSignatureData,
  type Envelope,
  type EnvelopeSignature,
  isQuorumPending,
  iWavsServiceHandlerAbi,
  iWavsServiceManagerAbi,
  type SignatureData,
} from "@wavs-ts/contracts";
import { type Address, getAddress, type PublicClient } from "viem";
import { revertReason } from "../chain/index.js";

/** Outcome of a quorum check. */
export type QuorumOutcome =
  | { kind: "reached"; manager: Address; signatureData: SignatureData }
  | { kind: "pending"; reason: string }
  | { kind: "error"; reason: string };

/** Managers of handlers, cached: `getServiceManager()` of a deployed handler does not change. */
export class ManagerCache {
  private readonly managers = new Map<string, Address>();

  /** The service manager a handler validates against. */
  async managerOf(client: PublicClient, chain: string, handler: Address): Promise<Address> {
    const key = `${chain}|${handler.toLowerCase()}`;
    const hit = this.managers.get(key);
    if (hit) return hit;
    const manager = await client.readContract({
      address: handler,
      abi: iWavsServiceHandlerAbi,
      functionName: "getServiceManager",
    });
    const checksummed = getAddress(manager);
    this.managers.set(key, checksummed);
    return checksummed;
  }
}

/**
 * Signature data over the latest block minus one, the block `validate` reads weights at. The
 * latest block number is shared for 250 ms by every check and send of the chain (one
 * `eth_blockNumber` instead of one per event): an older reference block is still final, so
 * `validate` accepts it.
 */
export async function currentSignatureData(
  client: PublicClient,
  signatures: readonly EnvelopeSignature[],
): Promise<SignatureData> {
  const block = await client.getBlockNumber({ cacheTime: 250 });
  return buildSignatureData(signatures, block > 0n ? block - 1n : 0n);
}

/** Dry-run `validate` of the manager the handler names with these signatures. */
export async function checkQuorum(args: {
  client: PublicClient;
  chain: string;
  handler: Address;
  envelope: Envelope;
  signatures: readonly EnvelopeSignature[];
  managers: ManagerCache;
}): Promise<QuorumOutcome> {
  const { client } = args;
  let manager: Address;
  let signatureData: SignatureData;
  try {
    manager = await args.managers.managerOf(client, args.chain, args.handler);
    signatureData = await currentSignatureData(client, args.signatures);
  } catch (err) {
    return { kind: "error", reason: `cannot prepare the quorum check: ${revertReason(err)}` };
  }
  try {
    await client.readContract({
      address: manager,
      abi: iWavsServiceManagerAbi,
      functionName: "validate",
      args: [args.envelope, signatureData],
    });
    return { kind: "reached", manager, signatureData };
  } catch (err) {
    if (isQuorumPending(err)) return { kind: "pending", reason: revertReason(err) };
    return { kind: "error", reason: `validate reverted: ${revertReason(err)}` };
  }
}
