/**
 * Bech32 (BIP-173) encoding, as used by Cosmos addresses. Only the original bech32 checksum is
 * accepted (not bech32m): Cosmos SDK addresses use bech32.
 */
import { WavsError } from "../internal/index.js";

const CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3] as const;
// BIP-173 caps strings at 90 characters; Cosmos contract addresses (32 bytes) with long prefixes
// can exceed that, so we use the Cosmos SDK's own limit.
const MAX_LENGTH = 1023;

/** A decoded bech32 string: human-readable prefix and the data bytes. */
export interface Bech32Decoded {
  prefix: string;
  data: Uint8Array;
}

function polymod(values: readonly number[]): number {
  let chk = 1;
  for (const value of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ value;
    for (let i = 0; i < 5; i++) {
      if ((top >>> i) & 1) chk ^= GENERATOR[i] ?? 0;
    }
  }
  return chk;
}

function expandPrefix(prefix: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < prefix.length; i++) out.push(prefix.charCodeAt(i) >> 5);
  out.push(0);
  for (let i = 0; i < prefix.length; i++) out.push(prefix.charCodeAt(i) & 31);
  return out;
}

/** Regroup bits (8 -> 5 for encoding, 5 -> 8 for decoding); undefined on invalid padding. */
function convertBits(
  data: ArrayLike<number>,
  from: number,
  to: number,
  pad: boolean,
): number[] | undefined {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const maxv = (1 << to) - 1;
  for (let i = 0; i < data.length; i++) {
    acc = (acc << from) | (data[i] ?? 0);
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >> bits) & maxv);
    }
    acc &= (1 << bits) - 1;
  }
  if (pad) {
    if (bits > 0) out.push((acc << (to - bits)) & maxv);
  } else if (bits >= from || ((acc << (to - bits)) & maxv) !== 0) {
    return undefined;
  }
  return out;
}

/** Decode a bech32 string, or return why it is not one. */
export function tryDecodeBech32(s: string): Bech32Decoded | string {
  if (s.length < 8 || s.length > MAX_LENGTH) return `must be 8 to ${MAX_LENGTH} characters long`;
  if (s !== s.toLowerCase() && s !== s.toUpperCase()) return "mixes upper and lower case";
  const lower = s.toLowerCase();
  const sep = lower.lastIndexOf("1");
  if (sep < 1) return "has no prefix followed by the separator '1'";
  if (lower.length - sep - 1 < 6) return "is too short to hold a checksum";
  const prefix = lower.slice(0, sep);
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix.charCodeAt(i);
    if (c < 33 || c > 126) return "has an invalid character in its prefix";
  }
  const words: number[] = [];
  for (const ch of lower.slice(sep + 1)) {
    const value = CHARSET.indexOf(ch);
    if (value < 0) return `has an invalid character '${ch}'`;
    words.push(value);
  }
  if (polymod([...expandPrefix(prefix), ...words]) !== 1) return "has a bad checksum";
  const bytes = convertBits(words.slice(0, -6), 5, 8, false);
  if (bytes === undefined) return "has invalid padding";
  return { prefix, data: Uint8Array.from(bytes) };
}

/** Decode a bech32 string (e.g. a Cosmos address); throws WAVS_ERR_INPUT_INVALID when invalid. */
export function decodeBech32(s: string): Bech32Decoded {
  const decoded = tryDecodeBech32(s);
  if (typeof decoded === "string") {
    throw new WavsError("WAVS_ERR_INPUT_INVALID", `'${s}' is not valid bech32: it ${decoded}`, {
      details: { found: s, expected: "a bech32 string such as cosmos1..." },
    });
  }
  return decoded;
}

/** Encode bytes as bech32 with the given prefix (lowercase). */
export function encodeBech32(prefix: string, data: Uint8Array): string {
  const lowerPrefix = prefix.toLowerCase();
  const words = convertBits(data, 8, 5, true) ?? [];
  const mod = polymod([...expandPrefix(lowerPrefix), ...words, 0, 0, 0, 0, 0, 0]) ^ 1;
  let out = `${lowerPrefix}1`;
  for (const w of words) out += CHARSET[w];
  for (let i = 0; i < 6; i++) out += CHARSET[(mod >>> (5 * (5 - i))) & 31];
  return out;
}
