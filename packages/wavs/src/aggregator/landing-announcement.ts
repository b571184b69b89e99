/**
 * A landing announcement: "I broadcast transaction `tx_hash` carrying the result of `event_id`
 * to `handler` on `chain`", signed by the sender's signing key for the service (EIP-191 over a
 * fixed text). Shared with the service's peers so they stand down without a takeover. It is a
 * claim, never proof: every receiver checks the transaction on-chain (landing-proof.ts) before
 * it believes it; the signature only keeps strangers from making nodes spend RPC calls.
 * On EVM it may carry the signed transaction itself (`tx_raw`, not signed: its hash is
 * `tx_hash`): a receiver then reads the target and calldata from it and asks the chain only for
 * the receipt.
 */
import { personalMessageDigest, recoverDigestSigner, signDigestAs } from "@wavs-ts/contracts";
import { type Address, getAddress, type Hex, type LocalAccount } from "viem";

/** The announcement as it travels (plain JSON, hex strings). */
export interface LandingAnnouncement {
  /** 64 lowercase hex characters, no 0x. */
  service_id: string;
  /** 0x + 20 bytes. */
  event_id: string;
  /** Chain key of the handler, e.g. `evm:31337` or `cosmos:wasmd-1`. */
  chain: string;
  /** The handler contract (0x + 20 bytes on EVM, bech32 on Cosmos). */
  handler: string;
  /** The broadcast transaction (0x + 32 bytes on EVM, 64 upper-case hex on Cosmos). */
  tx_hash: string;
  /** The sender's signing key for the service (0x + 20 bytes). */
  signer: string;
  /** 0x + 65 bytes `r || s || v` over {@link landingDigest}. */
  signature: string;
  /** EVM: the signed transaction, 0x hex (left out on the wire when it is long). */
  tx_raw?: string | undefined;
}

/** The fields a landing signature covers. */
export type LandingFields = Omit<LandingAnnouncement, "signature" | "tx_raw">;

/** The EIP-191 digest a landing announcement is signed over. */
export function landingDigest(a: LandingFields): Hex {
  const text = [
    "wavs landing v1",
    `service ${a.service_id.toLowerCase()}`,
    `event ${a.event_id.toLowerCase()}`,
    `chain ${a.chain}`,
    `handler ${a.handler.toLowerCase()}`,
    `tx ${a.tx_hash.toLowerCase()}`,
    `signer ${a.signer.toLowerCase()}`,
  ].join("\n");
  return personalMessageDigest(text);
}

/** Sign an announcement with the service's signing account. */
export async function signLanding(
  account: LocalAccount,
  fields: Omit<LandingFields, "signer">,
  txRaw?: string,
): Promise<LandingAnnouncement> {
  const unsigned: LandingFields = { ...fields, signer: account.address };
  const signature = await signDigestAs(account, landingDigest(unsigned));
  return txRaw === undefined
    ? { ...unsigned, signature }
    : { ...unsigned, signature, tx_raw: txRaw };
}

/** Whether the signature recovers to the claimed signer (false on any malformed part). */
export async function landingSignedBySigner(a: LandingAnnouncement): Promise<boolean> {
  try {
    const recovered = await recoverDigestSigner(landingDigest(a), a.signature as Hex);
    return recovered === getAddress(a.signer as Address);
  } catch {
    return false;
  }
}

/** The key of the queue an announcement is about: (event id, chain, handler). */
export function landingKey(eventId: string, chain: string, handler: string): string {
  return `${eventId.toLowerCase()}|${chain}|${handler.toLowerCase()}`;
}
