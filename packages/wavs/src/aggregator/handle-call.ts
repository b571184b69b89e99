/**
 * Calldata of `handleSignedEnvelope(envelope, signatureData)`, the call that lands a result on
 * an EVM service handler: encoded for every transaction sent and decoded for every
 * transaction a landing check looks at. The function's ABI item and selector are computed
 * once: viem's encodeFunctionData and decodeFunctionData hash function signatures again on
 * every call.
 */
import { iWavsServiceHandlerAbi } from "@wavs-ts/contracts";
import {
  concat,
  decodeAbiParameters,
  encodeAbiParameters,
  getAbiItem,
  type Hex,
  toFunctionSelector,
} from "viem";

const HANDLE = getAbiItem({ abi: iWavsServiceHandlerAbi, name: "handleSignedEnvelope" });
const HANDLE_SELECTOR = toFunctionSelector(HANDLE);

type HandleArgs = Parameters<typeof encodeAbiParameters<typeof HANDLE.inputs>>[1];

/** Calldata of `handleSignedEnvelope(envelope, signatureData)`. */
export function encodeHandleCall(envelope: HandleArgs[0], signatureData: HandleArgs[1]): Hex {
  return concat([HANDLE_SELECTOR, encodeAbiParameters(HANDLE.inputs, [envelope, signatureData])]);
}

/** The event id of `handleSignedEnvelope` calldata, or undefined for any other call. */
export function handledEventId(input: Hex): Hex | undefined {
  // only the selector is compared: a landing scan looks at every handler call of a block
  if (input.slice(0, 10).toLowerCase() !== HANDLE_SELECTOR) return undefined;
  try {
    const [envelope] = decodeAbiParameters(HANDLE.inputs, `0x${input.slice(10)}`);
    return envelope.eventId.toLowerCase() as Hex;
  } catch {
    return undefined;
  }
}
