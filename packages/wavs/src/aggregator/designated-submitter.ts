/**
 * One designated submitter per event (spec: signing.md, "ours"): every operator computes the
 * same choice from the event id, so only one sends the transaction, and it can send the moment
 * it sees quorum. The others take over in a fixed order, each one grace period after the
 * previous, so a crashed submitter costs one grace period and not N duplicate transactions.
 *
 * The order ranks every operator this node knows for the service (signing keys seen recently,
 * plus its own and this event's signers) by keccak256(eventId ‖ signer): rendezvous hashing, so
 * an operator missing from one node's view does not reshuffle the others. The designated
 * submitter is the first operator in that order who signed the event:
 *
 * - first in the order and signed: send at quorum, without waiting (the happy path);
 * - signed, but operators ranked ahead have not (yet): they may be down or merely slow, so send
 *   after a short settle window, unless one of their signatures arrives meanwhile; while one of
 *   them keeps signing other events (alive but behind), wait window by window, up to one grace
 *   period, then check the result landed before sending (`settleExtends`);
 * - an operator ranked ahead signed (it will send), or this node did not sign: wait `rank`
 *   grace periods, then check whether the result landed and take over if not.
 *
 * Operators agree as soon as they have seen the same signatures of the operators ahead; a
 * disagreement (a signature that took longer than the settle window) costs a duplicate attempt
 * that the landing checks (landing-proof.ts) stop unless both transactions are in flight at
 * the same moment.
 */
import { keccak256 } from "@wavs-ts/contracts";
import { type Address, getAddress, type Hex } from "viem";

/** Rendezvous weights computed lately: an event's order is asked for at every step of its queue. */
const weights = new Map<string, bigint>();
const WEIGHTS_KEPT = 4096;

/** keccak256(eventId ‖ signer) as a number, remembered for the events in flight. */
function weightOf(eventId: Hex, signer: Address): bigint {
  const key = eventId + signer;
  let w = weights.get(key);
  if (w === undefined) {
    w = BigInt(keccak256(`${eventId}${signer.slice(2)}` as Hex));
    if (weights.size >= WEIGHTS_KEPT) weights.delete(weights.keys().next().value as string);
    weights.set(key, w);
  }
  return w;
}

/** Operators in submission order for one event: the first that signed is the submitter. */
export function submissionOrder(eventId: Hex, operators: readonly Address[]): Address[] {
  const unique = [...new Set(operators.map((s) => getAddress(s)))];
  const weight = new Map(unique.map((s) => [s, weightOf(eventId, s)]));
  return unique.sort((a, b) => {
    const wa = weight.get(a)!;
    const wb = weight.get(b)!;
    return wa < wb ? -1 : wa > wb ? 1 : 0;
  });
}

/** What this node does once a queue reached quorum. */
export type SubmitterPlan =
  /** This node is first in the order: send now. */
  | { kind: "send"; rank: 0; designated: Address }
  /**
   * This node is the first signer, but the operators ranked ahead (`ahead`) have not signed:
   * send after the settle window.
   */
  | { kind: "settle"; rank: number; designated: Address; ahead: Address[] }
  /** Someone ahead signed (`designated` sends), or this node did not sign: take over after `rank` grace periods. */
  | { kind: "takeover"; rank: number; designated: Address | undefined };

/**
 * The plan of `self` for one event. `operators`: every signing key known for the service;
 * `signers`: those whose signature for this event the queue holds. Both may include `self`.
 * A node that did not sign (or has no key) ranks after everyone.
 */
export function planSubmission(args: {
  eventId: Hex;
  operators: readonly Address[];
  signers: readonly Address[];
  self: Address | undefined;
}): SubmitterPlan {
  const signed = new Set(args.signers.map((s) => getAddress(s)));
  const self = args.self === undefined ? undefined : getAddress(args.self);
  const order = submissionOrder(args.eventId, [
    ...args.operators,
    ...args.signers,
    ...(self ? [self] : []),
  ]);
  const designated = order.find((s) => signed.has(s));
  if (self === undefined || !signed.has(self)) {
    return { kind: "takeover", rank: order.length, designated };
  }
  const rank = order.indexOf(self);
  if (designated !== self) return { kind: "takeover", rank, designated };
  return rank === 0
    ? { kind: "send", rank: 0, designated: self }
    : { kind: "settle", rank, designated: self, ahead: order.slice(0, rank) };
}

/** An operator ahead counts as alive when seen sign within this many settle windows. */
export const ALIVE_WINDOWS = 5;

/** What a settle-window sender knows of one operator ranked ahead of it. */
export interface OperatorAhead {
  /** When it was last seen sign anything for the service (ms), if ever. */
  lastSeen: number | undefined;
  /**
   * Whether it signed another envelope for this event (operators disagree): it will not send
   * this one. A matching signature that arrived but has not joined the queue yet still counts
   * as behind: once it joins, this node is planned again and steps back.
   */
  disagrees: boolean;
}

/**
 * Whether a settle-window sender should wait one more window: an operator ranked ahead signed
 * other events within the last {@link ALIVE_WINDOWS} windows but its signature of this one is not in the queue, so it
 * is behind (an overloaded node) rather than down, and will send at its own quorum; sending too
 * would race it into a reverted duplicate. Never past one grace period after quorum, when the result is checked
 * and taken over if it has not landed.
 */
export function settleExtends(args: {
  ahead: readonly OperatorAhead[];
  now: number;
  settleMs: number;
  quorumAt: number;
  gracePeriodMs: number;
}): boolean {
  if (args.now >= args.quorumAt + args.gracePeriodMs) return false;
  // an overloaded node's signatures arrive in bursts with gaps of seconds: several windows
  const alive = args.now - ALIVE_WINDOWS * args.settleMs;
  return args.ahead.some(
    (op) => !op.disagrees && op.lastSeen !== undefined && op.lastSeen >= alive,
  );
}
