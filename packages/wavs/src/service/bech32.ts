/**
 * Bech32 (BIP-173) encoding, as used by Cosmos addresses, with @scure/base; this module adds
 * a reason for every refusal and the Cosmos SDK's length limit. Only the original bech32
 * checksum is accepted (not bech32m): Cosmos SDK addresses use bech32.
 */
import { bech32 } from "@scure/base";
import { WavsError } from "../internal/index.js";

const CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
// BIP-173 caps strings at 90 characters; Cosmos contract addresses (32 bytes) with long prefixes
// can exceed that, so we use the Cosmos SDK's own limit.
const MAX_LENGTH = 1023;

/** A decoded bech32 string: human-readable prefix and the data bytes. */
export interface Bech32Decoded {
  prefix: string;
  data: Uint8Array;
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
  for (const ch of lower.slice(sep + 1)) {
    if (!CHARSET.includes(ch)) return `has an invalid character '${ch}'`;
  }
  // the shape is checked above, so what @scure/base still refuses is the checksum or padding
  const decoded = bech32.decodeUnsafe(lower as `${string}1${string}`, MAX_LENGTH);
  if (decoded === undefined) return "has a bad checksum";
  const bytes = bech32.fromWordsUnsafe(decoded.words);
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
  return bech32.encode(prefix.toLowerCase(), bech32.toWords(data), MAX_LENGTH);
}
