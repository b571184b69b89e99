// The one implementation of WAVS envelope encoding and signing (spec: signing.md). The node's
// signing module, the aggregator and the tests all use it, so what operators sign and what
// `WavsServiceManager.validate` checks can never drift apart.
import { WavsError } from "@wavs-ts/errors";
import {
  type Address,
  concat,
  encodeAbiParameters,
  getAddress,
  type Hex,
  isHex,
  type LocalAccount,
  numberToHex,
  size,
  slice,
} from "viem";
import { keccak256 } from "./keccak.js";
import { recoverDigestSigner, signDigest } from "./secp256k1.js";

/** `Envelope { bytes20 eventId; bytes12 ordering; bytes payload; }` */
export interface Envelope {
  eventId: Hex;
  ordering: Hex;
  payload: Hex;
}

/** `SignatureData { address[] signers; bytes[] signatures; uint32 referenceBlock; }` */
export interface SignatureData {
  signers: readonly Address[];
  signatures: readonly Hex[];
  referenceBlock: number;
}

/** One operator's signature over an envelope. */
export interface EnvelopeSignature {
  signer: Address;
  signature: Hex;
}

/** The `prefix` of a secp256k1 `signature_kind`: EIP-191 (the default) or none. */
export type SignaturePrefix = "eip191" | null;

/** ABI parameter of the Envelope struct. */
export const envelopeAbiParameter = {
  name: "envelope",
  type: "tuple",
  components: [
    { name: "eventId", type: "bytes20" },
    { name: "ordering", type: "bytes12" },
    { name: "payload", type: "bytes" },
  ],
} as const;

/** ABI parameter of the SignatureData struct. */
export const signatureDataAbiParameter = {
  name: "signatureData",
  type: "tuple",
  components: [
    { name: "signers", type: "address[]" },
    { name: "signatures", type: "bytes[]" },
    { name: "referenceBlock", type: "uint32" },
  ],
} as const;

/** Ordering used when the component set none: 12 zero bytes. */
export const ZERO_ORDERING: Hex = "0x000000000000000000000000";

/** Length in bytes of an `r || s || v` signature. */
export const SIGNATURE_LENGTH = 65;

/** Envelope `ordering` for a component's u64 ordering: big-endian in the first 8 bytes. */
export function orderingFromU64(ordering: bigint | number | undefined): Hex {
  if (ordering === undefined) return ZERO_ORDERING;
  return concat([numberToHex(BigInt(ordering), { size: 8 }), "0x00000000"]);
}

const HEX_BYTES = /^0x[0-9a-fA-F]*$/;

/**
 * `abi.encode(envelope)`: the struct as one dynamic tuple (starts with the 0x20 offset word).
 * Written out by hand: every signature, verification and quorum check encodes an envelope, and
 * the general ABI encoder costs several times more. Anything that is not well-formed hex of
 * the right sizes goes to the general encoder, which says what is wrong.
 */
export function encodeEnvelope(envelope: Envelope): Hex {
  const { eventId, ordering, payload } = envelope;
  if (
    eventId.length !== 42 ||
    ordering.length !== 26 ||
    payload.length % 2 !== 0 ||
    !HEX_BYTES.test(eventId) ||
    !HEX_BYTES.test(ordering) ||
    !HEX_BYTES.test(payload)
  ) {
    return encodeAbiParameters([envelopeAbiParameter], [envelope]);
  }
  const bytes = (payload.length - 2) / 2;
  const tail = payload.slice(2).padEnd(Math.ceil(bytes / 32) * 64, "0");
  return `0x${word(0x20)}${eventId.slice(2).padEnd(64, "0")}${ordering.slice(2).padEnd(64, "0")}${word(0x60)}${word(bytes)}${tail}`.toLowerCase() as Hex;
}

/** A uint256 word of a small number, as 64 hex digits. */
function word(n: number): string {
  return n.toString(16).padStart(64, "0");
}

/**
 * Hashes of recent envelopes, by their encoding. Operators that agree sign identical envelopes,
 * and a node hashes the same one when it signs it, when its own submission is verified and
 * when each peer's is: one keccak in JavaScript (tens of microseconds) instead of several.
 * Bounded in entries and in the size of what is kept.
 */
const recentHashes = new Map<string, Hex>();
const RECENT_HASHES = 1024;
const RECENT_HASH_MAX_CHARS = 4096;

/** `keccak256(abi.encode(envelope))`. */
export function envelopeHash(envelope: Envelope): Hex {
  const encoded = encodeEnvelope(envelope);
  if (encoded.length > RECENT_HASH_MAX_CHARS) return keccak256(encoded);
  const known = recentHashes.get(encoded);
  if (known !== undefined) return known;
  const hash = keccak256(encoded);
  if (recentHashes.size >= RECENT_HASHES) {
    // the oldest first: a Map iterates in insertion order
    recentHashes.delete(recentHashes.keys().next().value as string);
  }
  recentHashes.set(encoded, hash);
  return hash;
}

/** "\x19Ethereum Signed Message:\n32" as hex, the prefix of a signed 32-byte hash. */
const EIP191_PREFIX_32 =
  `0x${Buffer.from("\x19Ethereum Signed Message:\n32").toString("hex")}` as Hex;

/** `keccak256("\x19Ethereum Signed Message:\n32" || hash)` (OpenZeppelin toEthSignedMessageHash). */
export function eip191Digest(hash: Hex): Hex {
  if (size(hash) !== 32)
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `eip191Digest: expected a 32-byte hash, got ${hash}`,
    );
  return keccak256(`${EIP191_PREFIX_32}${hash.slice(2)}`);
}

/**
 * `keccak256("\x19Ethereum Signed Message:\n" || len(text) || text)`, viem's `hashMessage` of a
 * text (EIP-191 personal message, the length in bytes of its UTF-8).
 */
export function personalMessageDigest(text: string): Hex {
  const message = Buffer.from(text, "utf8");
  const prefix = Buffer.from(`\x19Ethereum Signed Message:\n${message.length}`, "utf8");
  return keccak256(Buffer.concat([prefix, message]));
}

/** The digest that is actually signed for an envelope. */
export function envelopeDigest(envelope: Envelope, prefix: SignaturePrefix = "eip191"): Hex {
  return digestOfEnvelopeHash(envelopeHash(envelope), prefix);
}

/** The signed digest of an envelope whose hash is already known (see `envelopeDigest`). */
export function digestOfEnvelopeHash(hash: Hex, prefix: SignaturePrefix = "eip191"): Hex {
  return prefix === "eip191" ? eip191Digest(hash) : hash;
}

/** Signs an envelope with an account or a private key; returns 65 bytes `r || s || v`, v in {27, 28}. */
export async function signEnvelope(
  envelope: Envelope,
  signer: LocalAccount | Hex,
  options: { prefix?: SignaturePrefix } = {},
): Promise<Hex> {
  const prefix = options.prefix === undefined ? "eip191" : options.prefix;
  const digest = envelopeDigest(envelope, prefix);
  const key = typeof signer === "string" ? signer : hdPrivateKey(signer);
  if (key) return signDigest(digest, key);
  const account = signer as LocalAccount;
  if (prefix === "eip191") {
    return normalizeSignature(
      await account.signMessage({ message: { raw: envelopeHash(envelope) } }),
    );
  }
  if (!account.sign)
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      "signEnvelope: this account cannot sign a raw digest",
    );
  return normalizeSignature(await account.sign({ hash: digest }));
}

/** Sign a 32-byte digest with an account (libsecp256k1 when its key is at hand) or a key. */
export async function signDigestAs(signer: LocalAccount | Hex, digest: Hex): Promise<Hex> {
  const key = typeof signer === "string" ? signer : hdPrivateKey(signer);
  if (key) return signDigest(digest, key);
  const account = signer as LocalAccount;
  if (!account.sign)
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      "signDigestAs: this account cannot sign a raw digest",
    );
  return normalizeSignature(await account.sign({ hash: digest }));
}

/** The private key of an HD account (viem's `mnemonicToAccount`), to sign without its wrapper. */
function hdPrivateKey(account: LocalAccount): Uint8Array | undefined {
  const hd = account as LocalAccount & { getHdKey?: () => { privateKey: Uint8Array | null } };
  return hd.getHdKey?.().privateKey ?? undefined;
}

/** Recovers the address that signed an envelope; throws on a malformed signature. */
export async function recoverEnvelopeSigner(
  envelope: Envelope,
  signature: Hex,
  prefix: SignaturePrefix = "eip191",
): Promise<Address> {
  return recoverDigestSigner(envelopeDigest(envelope, prefix), normalizeSignature(signature));
}

/**
 * Checks a signature is 65 bytes and returns it with v in {27, 28}: some signers (hardware,
 * remote) return v in {0, 1}, which the ecrecover precompile rejects.
 */
export function normalizeSignature(signature: Hex): Hex {
  if (!isHex(signature) || size(signature) !== SIGNATURE_LENGTH) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `expected a ${SIGNATURE_LENGTH}-byte signature, got ${signature}`,
    );
  }
  const v = Number.parseInt(signature.slice(-2), 16);
  if (v === 27 || v === 28) return signature.toLowerCase() as Hex;
  if (v === 0 || v === 1) return concat([slice(signature, 0, 64), v === 0 ? "0x1b" : "0x1c"]);
  throw new WavsError("WAVS_ERR_INPUT_INVALID", `signature has invalid recovery byte ${v}`);
}

/**
 * Builds `SignatureData`: signers sorted ascending by numeric address, each with its
 * signature at the same index. Throws on a duplicate signer.
 */
export function buildSignatureData(
  signatures: readonly EnvelopeSignature[],
  referenceBlock: number | bigint,
): SignatureData {
  const block = Number(referenceBlock);
  if (!Number.isInteger(block) || block < 0 || block > 0xffffffff) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `referenceBlock ${referenceBlock} does not fit uint32`,
    );
  }
  const entries = signatures.map(({ signer, signature }) => ({
    signer: getAddress(signer),
    key: BigInt(signer),
    signature: normalizeSignature(signature),
  }));
  entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (let i = 1; i < entries.length; i++) {
    if (entries[i]!.key === entries[i - 1]!.key) {
      throw new WavsError("WAVS_ERR_INPUT_INVALID", `duplicate signer ${entries[i]!.signer}`);
    }
  }
  return {
    signers: entries.map((entry) => entry.signer),
    signatures: entries.map((entry) => entry.signature),
    referenceBlock: block,
  };
}
