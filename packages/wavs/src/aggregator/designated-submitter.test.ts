import { type Address, concat, keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { planSubmission, settleExtends, submissionOrder } from "./designated-submitter.js";

const operators = [1, 2, 3, 4]
  .map((i) => privateKeyToAccount(keccak256(toHex(`key ${i}`))).address)
  .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)) as Address[];
const eventId = toHex(new Uint8Array(20).fill(7));
const order = submissionOrder(eventId, operators);

/** Every subset of `items` with at least one element. */
function subsets<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let mask = 1; mask < 1 << items.length; mask++) {
    out.push(items.filter((_, i) => mask & (1 << i)));
  }
  return out;
}

describe("submission order", () => {
  it("ranks operators by keccak256(eventId ‖ signer), whatever order or case they come in", () => {
    const weight = (s: Address) => BigInt(keccak256(concat([eventId, s])));
    const byWeight = [...operators].sort((a, b) => (weight(a) < weight(b) ? -1 : 1));
    expect(order).toEqual(byWeight);
    expect(submissionOrder(eventId, [...operators].reverse())).toEqual(order);
    const lower = operators.map((s) => s.toLowerCase() as Address);
    expect(submissionOrder(eventId, [...lower, operators[0]!])).toEqual(order);
  });

  it("keeps the others' relative order when an operator is missing from a node's view", () => {
    for (const missing of operators) {
      expect(
        submissionOrder(
          eventId,
          operators.filter((s) => s !== missing),
        ),
      ).toEqual(order.filter((s) => s !== missing));
    }
  });

  it("spreads events over operators", () => {
    const counts = new Map<Address, number>();
    for (let i = 0; i < 400; i++) {
      const first = submissionOrder(
        keccak256(toHex(i)).slice(0, 42) as `0x${string}`,
        operators,
      )[0]!;
      counts.set(first, (counts.get(first) ?? 0) + 1);
    }
    expect(counts.size).toBe(4);
    for (const n of counts.values()) expect(n).toBeGreaterThan(50);
  });
});

describe("who submits", () => {
  const plan = (signers: readonly Address[], self: Address | undefined) =>
    planSubmission({ eventId, operators, signers, self });

  it("the first operator in the order sends at quorum without waiting", () => {
    expect(plan(operators, order[0])).toEqual({ kind: "send", rank: 0, designated: order[0] });
    // quorum reached on a subset without the others makes no difference to it
    expect(plan([order[0]!, order[3]!], order[0])).toMatchObject({ kind: "send" });
  });

  it("the first signer behind operators that have not signed sends after the settle window", () => {
    expect(plan([order[1]!, order[2]!], order[1])).toEqual({
      kind: "settle",
      rank: 1,
      designated: order[1],
      ahead: [order[0]],
    });
    expect(plan([order[2]!, order[3]!], order[2])).toMatchObject({
      kind: "settle",
      rank: 2,
      ahead: [order[0], order[1]],
    });
  });

  it("the others take over after their rank's grace periods; a node that did not sign ranks last", () => {
    expect(plan(operators, order[2])).toEqual({
      kind: "takeover",
      rank: 2,
      designated: order[0],
    });
    expect(plan([order[1]!, order[3]!], order[3])).toEqual({
      kind: "takeover",
      rank: 3,
      designated: order[1],
    });
    // signers alone: this node did not sign, or has no key
    expect(plan([order[1]!, order[2]!], order[0])).toMatchObject({ kind: "takeover", rank: 4 });
    expect(plan([order[1]!, order[2]!], undefined)).toMatchObject({ kind: "takeover", rank: 4 });
    const outsider = privateKeyToAccount(keccak256(toHex("outsider"))).address;
    expect(plan(operators, outsider)).toMatchObject({ kind: "takeover", rank: 5 });
  });

  it("operators that saw the same signatures agree on one submitter, and the others are staggered", () => {
    for (const signed of subsets(operators)) {
      const plans = signed.map((self) => plan(signed, self));
      const senders = plans.filter((p) => p.kind !== "takeover");
      expect(senders).toHaveLength(1);
      expect(new Set(plans.map((p) => p.designated))).toEqual(new Set([senders[0]!.designated]));
      // takeovers come one after another, never two at the same time
      const ranks = plans.filter((p) => p.kind === "takeover").map((p) => p.rank);
      expect(new Set(ranks).size).toBe(ranks.length);
      expect(ranks.every((r) => r > senders[0]!.rank)).toBe(true);
    }
  });

  it("counts signers this node did not know of yet as operators", () => {
    const newcomer = privateKeyToAccount(keccak256(toHex("newcomer"))).address;
    const withNewcomer = submissionOrder(eventId, [...operators, newcomer]);
    const p = planSubmission({
      eventId,
      operators,
      signers: [newcomer, ...operators],
      self: operators[0],
    });
    expect(p.designated).toBe(withNewcomer[0]);
  });
});

describe("settleExtends", () => {
  const base = { now: 100_000, settleMs: 1_000, quorumAt: 99_000, gracePeriodMs: 15_000 };
  const down = { lastSeen: 94_999, disagrees: false };
  const behind = { lastSeen: 95_000, disagrees: false };

  it("waits another window while an operator ahead signs other events but not this one", () => {
    expect(settleExtends({ ...base, ahead: [behind] })).toBe(true);
    expect(settleExtends({ ...base, ahead: [down, behind] })).toBe(true);
  });

  it("sends when everyone ahead is down, unknown, or signed another envelope", () => {
    expect(settleExtends({ ...base, ahead: [down] })).toBe(false);
    expect(settleExtends({ ...base, ahead: [{ lastSeen: undefined, disagrees: false }] })).toBe(
      false,
    );
    // it signed another envelope for this event (operators disagree): it will not send this one
    expect(settleExtends({ ...base, ahead: [{ ...behind, disagrees: true }] })).toBe(false);
  });

  it("never waits past one grace period after quorum", () => {
    expect(settleExtends({ ...base, now: base.quorumAt + 15_000, ahead: [behind] })).toBe(false);
  });
});
