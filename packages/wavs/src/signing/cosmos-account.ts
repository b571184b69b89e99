/**
 * The account that pays for result transactions on Cosmos chains: `aggregator_cosmos_credential`,
 * a mnemonic (its account m/44'/118'/0'/0/0, the Cosmos coin type) or a 0x private key. Its
 * address depends on the chain's bech32 prefix. Kept apart from the signing keys, as on EVM.
 */
import { createHash } from "node:crypto";
import { toBech32 } from "@cosmjs/encoding";
import { type Hex, hexToBytes } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";

/** The key pair of a Cosmos sending account. */
export interface CosmosKey {
  privateKey: Uint8Array;
  /** Compressed secp256k1 public key (33 bytes). */
  publicKey: Uint8Array;
}

/** The Cosmos HD path of the first account. */
export const COSMOS_HD_PATH = "m/44'/118'/0'/0/0";

/** The key of a credential (already checked and normalised by the config schema). */
export function cosmosKey(credential: string): CosmosKey {
  if (credential.startsWith("0x")) {
    const account = privateKeyToAccount(credential as Hex);
    const privateKey = hexToBytes(credential as Hex);
    // viem gives the uncompressed key: 0x04 || x || y; compress it
    const full = hexToBytes(account.publicKey);
    const publicKey = new Uint8Array(33);
    publicKey[0] = (full[64]! & 1) === 0 ? 2 : 3;
    publicKey.set(full.subarray(1, 33), 1);
    return { privateKey, publicKey };
  }
  // viem's type admits only Ethereum paths; the derivation itself takes any BIP-32 path
  const path = COSMOS_HD_PATH as unknown as `m/44'/60'/${string}`;
  const hd = mnemonicToAccount(credential, { path }).getHdKey();
  if (!hd.privateKey || !hd.publicKey) throw new Error("the HD key has no private key");
  return { privateKey: hd.privateKey, publicKey: hd.publicKey };
}

/** The bech32 address of a key on a chain with this prefix. */
export function cosmosAddress(key: CosmosKey, prefix: string): string {
  const sha = createHash("sha256").update(key.publicKey).digest();
  return toBech32(prefix, createHash("ripemd160").update(sha).digest());
}
