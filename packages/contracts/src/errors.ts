// Decoding of revert data from the service manager and the handlers. The aggregator needs it
// to tell "quorum not reached yet, keep waiting" from a real failure.
import {
  type Abi,
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  type Hex,
  isHex,
} from "viem";
import { iWavsServiceManagerAbi } from "./generated/IWavsServiceManager.js";
import { simpleSubmitAbi } from "./generated/SimpleSubmit.js";
import { wavsServiceManagerAbi } from "./generated/WavsServiceManager.js";

/** A decoded custom error. */
export interface DecodedRevert {
  errorName: string;
  args: readonly unknown[];
  data: Hex;
}

/** Every custom error our contracts raise, for decoding revert data. */
export const wavsErrorsAbi = [
  ...iWavsServiceManagerAbi,
  ...wavsServiceManagerAbi,
  ...simpleSubmitAbi,
].filter((item) => item.type === "error") as Abi;

/** Selector of `SignerNotRegistered()`, raised by common WAVS managers for unknown keys. */
export const SIGNER_NOT_REGISTERED_SELECTOR: Hex = "0x3dda1739";

/** Finds the raw revert data in a viem error (or a hex string); undefined when there is none. */
export function revertData(error: unknown): Hex | undefined {
  if (typeof error === "string") return isHex(error) ? error : undefined;
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError && reverted.raw) return reverted.raw;
  // Errors from eth_call/estimateGas without an ABI carry the data on the RPC error.
  const withData = error.walk((e) => {
    const data = (e as { data?: unknown }).data;
    return typeof data === "string" && isHex(data);
  }) as { data?: Hex } | null;
  return withData?.data;
}

/** Decodes a revert against the WAVS errors (plus `extraAbi`); undefined when it is not one. */
export function decodeRevert(error: unknown, extraAbi: Abi = []): DecodedRevert | undefined {
  const data = revertData(error);
  if (!data || data.length < 10) return undefined;
  try {
    const decoded = decodeErrorResult({ abi: [...wavsErrorsAbi, ...extraAbi], data });
    return { errorName: decoded.errorName, args: decoded.args ?? [], data };
  } catch {
    return undefined;
  }
}

/**
 * True when `validate` failed only because not enough weight has signed yet
 * (`InsufficientQuorum` or `SignerNotRegistered`): the aggregator keeps waiting.
 */
export function isQuorumPending(error: unknown): boolean {
  const data = revertData(error);
  if (!data) return false;
  if (data.slice(0, 10).toLowerCase() === SIGNER_NOT_REGISTERED_SELECTOR) return true;
  return decodeRevert(data)?.errorName === "InsufficientQuorum";
}
