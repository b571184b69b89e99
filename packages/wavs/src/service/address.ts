/** Address and hash fields of service JSON: EVM addresses, Cosmos addresses, event hashes. */
import { keccak256Bytes } from "@wavs-ts/contracts/keccak";
import { tryDecodeBech32 } from "./bech32.js";
import { bytesToHex } from "./hex.js";
import { checkedString } from "./schema-helpers.js";
import { describeValue } from "./validation-error.js";

/** An EVM address as written in the JSON: `0x` + 40 hex characters, case kept as given. */
export type EvmAddress = `0x${string}`;

const EVM_ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;
const HASH32_RE = /^0x[0-9a-fA-F]{64}$/;

/** Whether `value` is `0x` + 40 hex characters (any case; no checksum check). */
export function isEvmAddress(value: unknown): value is EvmAddress {
  return typeof value === "string" && EVM_ADDRESS_RE.test(value);
}

/** Checksummed forms computed lately: a node sees the same few trigger contracts again and again. */
const checksummed = new Map<string, EvmAddress>();
const CHECKSUMMED_KEPT = 1024;

/** An EVM address in its EIP-55 checksummed form, as WAVS writes one. */
export function checksumAddress(address: Uint8Array): EvmAddress {
  const lower = bytesToHex(address, false);
  const known = checksummed.get(lower);
  if (known !== undefined) return known;
  const hash = bytesToHex(keccak256Bytes(new TextEncoder().encode(lower)), false);
  let out = "0x";
  for (let i = 0; i < lower.length; i++)
    out += Number.parseInt(hash[i]!, 16) >= 8 ? lower[i]!.toUpperCase() : lower[i];
  if (checksummed.size >= CHECKSUMMED_KEPT) checksummed.clear();
  checksummed.set(lower, out as EvmAddress);
  return out as EvmAddress;
}

/** Schema of an EVM address; the string is kept exactly as given. */
export const EvmAddressSchema = checkedString(
  (s) =>
    EVM_ADDRESS_RE.test(s)
      ? undefined
      : `${describeValue(s)} is not an EVM address (expected 0x followed by 40 hex characters)`,
  "0x followed by 40 hex characters",
).transform((s) => s as EvmAddress);

/** Schema of a 32-byte hash written as `0x` + 64 hex characters (event_hash); kept as given. */
export const Hash32HexSchema = checkedString(
  (s) =>
    HASH32_RE.test(s)
      ? undefined
      : `${describeValue(s)} is not a 32-byte hash (expected 0x followed by 64 hex characters)`,
  "0x followed by 64 hex characters",
).transform((s) => s as `0x${string}`);

/** Why `s` is not a Cosmos (bech32) address, or undefined when it is one. */
export function cosmosAddressProblem(s: string): string | undefined {
  const decoded = tryDecodeBech32(s);
  if (typeof decoded === "string")
    return `${describeValue(s)} is not a bech32 address: it ${decoded}`;
  if (decoded.data.length === 0)
    return `${describeValue(s)} is a bech32 string with no address bytes`;
  return undefined;
}

/** Schema of a Cosmos bech32 address; the checksum is verified, the string kept as given. */
export const CosmosAddressSchema = checkedString(
  cosmosAddressProblem,
  "a bech32 address such as cosmos1...",
);
