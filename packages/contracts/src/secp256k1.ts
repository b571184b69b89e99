// secp256k1 signing and recovery of 32-byte digests. Operators recover every peer's signature
// and sign every result, so this is on the hot path of each event: libsecp256k1 (the prebuilt
// addon of the `secp256k1` package) recovers a signer in 0.08 ms where the JavaScript
// implementation takes 1.7 ms. Where the addon has no build for the platform, viem's @noble/curves does the same
// work with the same results (checked by a differential test).

import { createRequire } from "node:module";
import { WavsError } from "@wavs-ts/errors";
import {
  type Address,
  bytesToHex,
  getAddress,
  type Hex,
  hexToBytes,
  parseTransaction,
  recoverAddress,
  serializeTransaction,
  type TransactionSerializable,
} from "viem";
import { sign, signTransaction } from "viem/accounts";
import { keccak256, keccak256Bytes } from "./keccak.js";
import { lazyAddon } from "./native-addon.js";

/** The subset of the `secp256k1` package's API used here. */
interface NativeSecp256k1 {
  ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed: false): Uint8Array;
  ecdsaSign(msg32: Uint8Array, seckey: Uint8Array): { signature: Uint8Array; recid: number };
}

function loadNative(): NativeSecp256k1 | undefined {
  if (process.env.WAVS_SECP256K1 === "js") return undefined;
  try {
    // the addon only: the package's own fallback (elliptic) is slower than @noble/curves
    return createRequire(import.meta.url)("secp256k1/bindings") as NativeSecp256k1;
  } catch {
    return undefined;
  }
}

/** libsecp256k1, loaded at the first signature or recovery. */
const nativeSecp256k1 = lazyAddon(loadNative);

/** Which implementation is in use: `native` (libsecp256k1) or `js` (@noble/curves). */
export function secp256k1Backend(): "native" | "js" {
  return nativeSecp256k1() ? "native" : "js";
}

/** Half the curve order: an `s` above it is the malleable twin of a valid signature. */
const HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

function digestBytes(digest: Hex): Uint8Array {
  const bytes = hexToBytes(digest);
  if (bytes.length !== 32)
    throw new WavsError("WAVS_ERR_INPUT_INVALID", `expected a 32-byte digest, got ${digest}`);
  return bytes;
}

/**
 * The address that signed `digest` with a 65-byte `r || s || v` signature (v in {27, 28}).
 * Throws on a signature that does not recover, and on a high-s one: `validate`'s ecrecover
 * check rejects those, so accepting one off-chain would let anyone replace an operator's good
 * signature with its malleated twin.
 */
export async function recoverDigestSigner(digest: Hex, signature: Hex): Promise<Address> {
  const msg = digestBytes(digest);
  const sig = hexToBytes(signature);
  if (sig.length !== 65)
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `expected a 65-byte signature, got ${sig.length} bytes`,
    );
  const v = sig[64]!;
  if (v !== 27 && v !== 28)
    throw new WavsError("WAVS_ERR_INPUT_INVALID", `signature has invalid recovery byte ${v}`);
  if (BigInt(bytesToHex(sig.subarray(32, 64))) > HALF_ORDER) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      "signature has a high s value (malleable); validate rejects it",
    );
  }
  const native = nativeSecp256k1();
  if (!native) return getAddress(await recoverAddress({ hash: digest, signature }));
  let pub: Uint8Array;
  try {
    pub = native.ecdsaRecover(sig.subarray(0, 64), v - 27, msg, false);
  } catch (err) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `signature does not recover a public key (${(err as Error).message})`,
    );
  }
  return getAddress(`0x${keccak256(pub.subarray(1)).slice(-40)}`);
}

/** Signs a 32-byte digest (RFC 6979 nonce, low s); returns `r || s || v` with v in {27, 28}. */
export async function signDigest(digest: Hex, privateKey: Hex | Uint8Array): Promise<Hex> {
  const msg = digestBytes(digest);
  const native = nativeSecp256k1();
  if (!native) {
    const key = typeof privateKey === "string" ? privateKey : bytesToHex(privateKey);
    return sign({ hash: digest, privateKey: key, to: "hex" });
  }
  const key = typeof privateKey === "string" ? hexToBytes(privateKey) : privateKey;
  const { signature, recid } = native.ecdsaSign(msg, key);
  const out = new Uint8Array(65);
  out.set(signature);
  out[64] = 27 + recid;
  return bytesToHex(out);
}

/**
 * Signs a transaction as viem's `signTransaction` does, byte for byte (both use the RFC 6979
 * nonce and low s), with libsecp256k1: the sender signs one transaction per result, and the
 * JavaScript signature took ~0.15 ms of the main thread each. Blob transactions (signed
 * without their sidecars) and platforms without the addon go through viem.
 */
export async function signTransactionWithKey(
  privateKey: Hex,
  transaction: TransactionSerializable,
): Promise<Hex> {
  const native = nativeSecp256k1();
  if (!native || transaction.type === "eip4844") {
    return signTransaction({ privateKey, transaction });
  }
  const digest = keccak256Bytes(serializeTransaction(transaction));
  const { signature, recid } = native.ecdsaSign(digest, hexToBytes(privateKey));
  return serializeTransaction(transaction, {
    r: bytesToHex(signature.subarray(0, 32)),
    s: bytesToHex(signature.subarray(32, 64)),
    v: BigInt(27 + recid),
    yParity: recid,
  });
}

/** The account that signed a transaction (libsecp256k1 where available); undefined when none recovers. */
export async function signerOfTransaction(raw: Hex): Promise<Address | undefined> {
  try {
    const { r, s, v: _v, yParity, ...unsigned } = parseTransaction(raw);
    if (r === undefined || s === undefined || yParity === undefined) return undefined;
    const digest = keccak256(serializeTransaction(unsigned));
    const signature: Hex = `0x${r.slice(2).padStart(64, "0")}${s.slice(2).padStart(64, "0")}${(27 + yParity).toString(16)}`;
    return await recoverDigestSigner(digest, signature);
  } catch {
    return undefined;
  }
}
