/**
 * One designated submitter per event (spec: signing.md, "ours"): every operator computes the
 * same choice from the event id and the signer set, so only one sends the transaction. The
 * others take over in a fixed order, each one grace period after the previous, so a crashed
 * submitter costs one grace period and not N duplicate transactions.
 *
 * The order is rendezvous hashing: signers sorted by keccak256(eventId ‖ signer). Unlike an
 * index modulo the signer count, adding or missing a signer does not reshuffle everyone, so
 * two operators that saw different subsets of the signatures mostly still agree, and they
 * agree exactly once both have seen the same set.
 */
import { type Address, concat, getAddress, type Hex, keccak256 } from "viem";

/** Signers in submission order for one event: the designated submitter first. */
export function submissionOrder(eventId: Hex, signers: readonly Address[]): Address[] {
  const weight = (s: Address) => BigInt(keccak256(concat([eventId, getAddress(s)])));
  return [...signers].sort((a, b) => {
    const wa = weight(a);
    const wb = weight(b);
    return wa < wb ? -1 : wa > wb ? 1 : 0;
  });
}

/** The designated submitter among signers. */
export function designatedSubmitter(eventId: Hex, signers: readonly Address[]): Address {
  const first = submissionOrder(eventId, signers)[0];
  if (first === undefined) throw new Error("designatedSubmitter: no signers");
  return first;
}

/**
 * How many grace periods `self` waits before sending: 0 for the designated submitter, k for
 * the k-th one after it, and the signer count when `self` did not sign (the last resort).
 */
export function submitterRank(
  eventId: Hex,
  signers: readonly Address[],
  self: Address | undefined,
): number {
  const order = submissionOrder(eventId, signers);
  if (self === undefined) return order.length;
  const at = order.findIndex((s) => getAddress(s) === getAddress(self));
  return at < 0 ? order.length : at;
}
