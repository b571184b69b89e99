/**
 * Hex as the service model writes it: @noble/hashes' converters (viem's own; importing viem
 * itself would load its ~400 modules into every command), plus the two forms our JSON allows
 * (with or without `0x`, any case) checked in one place.
 */
import { bytesToHex as nobleBytesToHex, hexToBytes as nobleHexToBytes } from "@noble/hashes/utils";
import { WavsError } from "../internal/index.js";

/** Lowercase hex of some bytes, with a `0x` prefix unless `prefix` is false. */
export function bytesToHex(bytes: Uint8Array, prefix = true): string {
  const hex = nobleBytesToHex(bytes);
  return prefix ? `0x${hex}` : hex;
}

/** Whether `s` is hex digits (any case) of even length, with an optional `0x` prefix. */
export function isHexBytes(s: string, options: { prefix: "required" | "forbidden" }): boolean {
  const has0x = s.startsWith("0x") || s.startsWith("0X");
  if (options.prefix === "required" && !has0x) return false;
  if (options.prefix === "forbidden" && has0x) return false;
  const digits = has0x ? s.slice(2) : s;
  return digits.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(digits);
}

/**
 * Decode hex (any case, optional `0x`) into bytes. Callers validate first with `isHexBytes`;
 * reaching this with bad hex is a bug, hence WAVS_ERR_INTERNAL.
 */
export function hexToBytes(hex: string): Uint8Array {
  const digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  if (digits.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(digits)) {
    throw new WavsError("WAVS_ERR_INTERNAL", `not hex: ${hex.slice(0, 80)}`);
  }
  return nobleHexToBytes(digits);
}
