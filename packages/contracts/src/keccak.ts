// keccak-256 for the hot path: every result transaction is hashed twice (its signing digest
// and its hash), every envelope once or more, every landing announcement and trigger address
// once. @noble/hashes (viem's) takes ~73 us for an 800-byte transaction here and ~12 us for a
// 40-byte input; the prebuilt addon of the `keccak` package (linux-x64 glibc and musl,
// darwin-x64, win32-x64) takes ~6 and ~4. Where the addon has no build for the platform (or
// WAVS_KECCAK=js), @noble/hashes computes the same digests (checked by a differential test).

import { createRequire } from "node:module";
import { dirname } from "node:path";
import { keccak_256 } from "@noble/hashes/sha3";
import { WavsError } from "@wavs-ts/errors";
// types only: importing viem's barrel would make a bundle load all of viem with this module
import type { Hex } from "viem";
import { lazyAddon } from "./native-addon.js";

/** The `keccak` addon's sponge (Keccak Code Package), as its native binding exposes it. */
interface KeccakSponge {
  initialize(rate: number, capacity: number): void;
  absorb(data: Buffer): void;
  absorbLastFewBits(bits: number): void;
  squeeze(length: number): Buffer;
}

function loadNative(): KeccakSponge | undefined {
  if (process.env.WAVS_KECCAK === "js") return undefined;
  try {
    // the addon only: the package's own wrapper is a stream per hash, and its fallback slower
    // than @noble/hashes
    const require = createRequire(import.meta.url);
    const load = require("node-gyp-build") as (dir: string) => unknown;
    const Sponge = load(dirname(require.resolve("keccak/package.json")));
    if (typeof Sponge !== "function") return undefined;
    return new (Sponge as new () => KeccakSponge)();
  } catch {
    return undefined;
  }
}

/** One sponge, reinitialized for every hash: hashing is synchronous, so nothing interleaves. */
const nativeSponge = lazyAddon(loadNative);

/** Which implementation is in use: `native` (the `keccak` addon) or `js` (@noble/hashes). */
export function keccakBackend(): "native" | "js" {
  return nativeSponge() ? "native" : "js";
}

const HEX_RE = /^0x(?:[0-9a-fA-F]{2})*$/;

/** The bytes of `value` as a Buffer (hex must be 0x and whole bytes, as viem writes it). */
function toBuffer(value: Hex | Uint8Array): Buffer {
  if (typeof value !== "string")
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  // Buffer.from(hex) stops silently at the first bad character: refuse what it would cut
  if (!HEX_RE.test(value))
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `keccak256: ${value.slice(0, 20)}... is not 0x-prefixed hex of whole bytes`,
    );
  return Buffer.from(value.slice(2), "hex");
}

/** keccak-256 of `value` (bytes, or 0x hex of whole bytes) as 32 bytes. */
export function keccak256Bytes(value: Hex | Uint8Array): Uint8Array {
  const bytes = toBuffer(value);
  const sponge = nativeSponge();
  if (!sponge) return keccak_256(bytes);
  // rate 1088 bits, capacity 512, Keccak's own padding (0x01), not SHA-3's (0x06)
  sponge.initialize(1088, 512);
  sponge.absorb(bytes);
  sponge.absorbLastFewBits(0x01);
  return sponge.squeeze(32);
}

/** keccak-256 of `value` (bytes, or 0x hex of whole bytes) as 0x hex, as viem's `keccak256`. */
export function keccak256(value: Hex | Uint8Array): Hex {
  const digest = keccak256Bytes(value);
  return `0x${Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength).toString("hex")}`;
}
