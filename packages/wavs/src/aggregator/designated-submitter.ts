/**
 * One designated submitter per event (spec: signing.md, "ours"): every operator computes the
 * same choice from the event id and the sorted signer set, so only one sends the transaction.
 * The others take over in a fixed order, each one grace period after the previous, so a
 * crashed submitter costs one grace period and not N duplicate transactions.
 */
import { type Address, getAddress, type Hex, keccak256 } from "viem";

/** Index of the designated submitter: `uint(keccak256(eventId)) % n`. */
export function designatedIndex(eventId: Hex, signerCount: number): number {
  if (signerCount <= 0) throw new Error("designatedIndex: no signers");
  return Number(BigInt(keccak256(eventId)) % BigInt(signerCount));
}

/** The designated submitter among signers (sorted ascending as in SignatureData). */
export function designatedSubmitter(eventId: Hex, sortedSigners: readonly Address[]): Address {
  return sortedSigners[designatedIndex(eventId, sortedSigners.length)]!;
}

/**
 * How many grace periods `self` waits before sending: 0 for the designated submitter, k for
 * the k-th one after it (wrapping around the sorted signers), and the signer count when
 * `self` did not sign (it is the last resort).
 */
export function submitterRank(
  eventId: Hex,
  sortedSigners: readonly Address[],
  self: Address | undefined,
): number {
  const n = sortedSigners.length;
  if (self === undefined) return n;
  const at = sortedSigners.findIndex((s) => getAddress(s) === getAddress(self));
  if (at < 0) return n;
  return (at - designatedIndex(eventId, n) + n) % n;
}
