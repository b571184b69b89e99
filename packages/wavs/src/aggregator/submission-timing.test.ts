import type { Address } from "viem";
import { describe, expect, it } from "vitest";
import type { SubmitterPlan } from "./designated-submitter.js";
import { submissionStep, turnOf } from "./submission-timing.js";

const A = "0x000000000000000000000000000000000000000A" as Address;
const B = "0x000000000000000000000000000000000000000B" as Address;
const timing = { settleMs: 1_000, gracePeriodMs: 15_000 };
const QUORUM = 100_000;

const send: SubmitterPlan = { kind: "send", rank: 0, designated: A };
const settle: SubmitterPlan = { kind: "settle", rank: 1, designated: B, ahead: [A] };
const takeover = (rank: number): SubmitterPlan => ({ kind: "takeover", rank, designated: A });

/** The step at `quorum + after` ms; `behind` answers whether an operator ahead is behind. */
function at(plan: SubmitterPlan, after: number, behind = false, ownSignedAfter?: number) {
  let asked = false;
  const step = submissionStep({
    plan,
    quorumAt: QUORUM,
    now: QUORUM + after,
    timing,
    ownSignedAt: ownSignedAfter === undefined ? undefined : QUORUM + ownSignedAfter,
    aheadIsBehind: () => {
      asked = true;
      return behind;
    },
  });
  return { step, asked };
}

describe("submission timing", () => {
  it("the first operator in the order sends at quorum", () => {
    expect(turnOf(send, QUORUM, timing)).toBe(0);
    expect(at(send, 0).step).toEqual({ do: "send" });
  });

  it("a settle-window sender looks again when the window ends, then sends", () => {
    expect(turnOf(settle, QUORUM, timing)).toBe(QUORUM + 1_000);
    const early = at(settle, 200);
    expect(early.step).toEqual({ do: "wait", at: QUORUM + 1_000, next: "replan" });
    expect(early.asked).toBe(false);
    expect(at(settle, 1_000).step).toEqual({ do: "send" });
  });

  it("an operator ahead that is alive but behind keeps the sender waiting window by window", () => {
    const waiting = at(settle, 1_000, true);
    expect(waiting.asked).toBe(true);
    expect(waiting.step).toEqual({ do: "wait", at: QUORUM + 2_000, next: "replan" });
    expect(at(settle, 4_500, true).step).toEqual({
      do: "wait",
      at: QUORUM + 5_500,
      next: "replan",
    });
  });

  it("once a full window past its turn with nobody behind, it takes over (which checks for a landing) instead of sending", () => {
    expect(at(settle, 1_999).step).toEqual({ do: "send" });
    expect(at(settle, 2_000).step).toEqual({ do: "takeover" });
  });

  it("the others take over rank grace periods after quorum", () => {
    expect(at(takeover(1), 0).step).toEqual({ do: "wait", at: QUORUM + 15_000, next: "takeover" });
    expect(at(takeover(2), 14_000).step).toEqual({
      do: "wait",
      at: QUORUM + 30_000,
      next: "takeover",
    });
    // a takeover plan never sends directly: its turn is a takeover (which checks first)
    expect(at(takeover(1), 20_000).step).toEqual({
      do: "wait",
      at: QUORUM + 15_000,
      next: "takeover",
    });
  });

  it("a sender whose own signature came half a window or more after quorum takes over two windows after it", () => {
    // on time (its signature carried quorum, or came just after): the usual plan
    expect(at(send, 0, false, 0).step).toEqual({ do: "send" });
    expect(at(send, 499, false, 499).step).toEqual({ do: "send" });
    // late: the first signer behind it may be sending at the end of its window
    expect(at(send, 500, false, 500).step).toEqual({
      do: "wait",
      at: QUORUM + 2_000,
      next: "takeover",
    });
    expect(at(settle, 1_200, false, 1_200).step).toEqual({
      do: "wait",
      at: QUORUM + 2_000,
      next: "takeover",
    });
    expect(at(send, 2_000, false, 900).step).toEqual({ do: "takeover" });
    // a takeover plan keeps its grace periods
    expect(at(takeover(1), 2_000, false, 900).step).toEqual({
      do: "wait",
      at: QUORUM + 15_000,
      next: "takeover",
    });
  });
});
