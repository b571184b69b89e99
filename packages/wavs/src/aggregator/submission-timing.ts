/**
 * When a queue at quorum is sent, taken over or looked at again: the timing rules of the
 * designated submitter (designated-submitter.ts decides who; this decides when). Pure: the
 * caller passes the time, so the rules are tested with made-up clocks.
 *
 * - first in the order (`send`): send at once;
 * - first signer with operators ranked ahead unsigned (`settle`): look again when the settle
 *   window after quorum ends; then send, unless an operator ahead is alive but behind (wait
 *   window by window, see `settleExtends`); once past the window by a full window more, the
 *   result may have landed meanwhile, so take over (which checks) instead of sending;
 * - anyone else (`takeover`): take over `rank` grace periods after quorum;
 * - a sender (`send` or `settle`) whose own signature joined the queue half a settle window or
 *   more after quorum (it is late: the operators behind it had quorum without it, and the first
 *   of them may be sending at the end of its window) takes over two settle windows after
 *   quorum instead, which looks for the result on-chain first.
 */
import type { SubmitterPlan } from "./designated-submitter.js";

/** What to do with a queue at quorum now. */
export type SubmissionStep =
  | { do: "send" }
  | { do: "takeover" }
  /** Wait until `at`, then plan again (`replan`) or take over (`takeover`), as `next` says. */
  | { do: "wait"; at: number; next: "replan" | "takeover" };

/** The settle window and the grace period per rank, in ms. */
export interface SubmissionTiming {
  settleMs: number;
  gracePeriodMs: number;
}

/** When a plan's turn comes: at once, after the settle window, or `rank` grace periods. */
export function turnOf(plan: SubmitterPlan, quorumAt: number, timing: SubmissionTiming): number {
  if (plan.kind === "send") return 0;
  return quorumAt + (plan.kind === "settle" ? timing.settleMs : plan.rank * timing.gracePeriodMs);
}

/** Whether this node's own signature joined so long after quorum that others may be sending. */
export function signedLate(ownSignedAt: number | undefined, quorumAt: number, settleMs: number) {
  return ownSignedAt !== undefined && ownSignedAt - quorumAt >= settleMs / 2;
}

/**
 * The step for `plan` at `now`, for a queue that reached quorum at `quorumAt`; `ownSignedAt`:
 * when this node's own signature joined it, if it did. `aheadIsBehind` is asked only when a
 * settle window has ended.
 */
export function submissionStep(args: {
  plan: SubmitterPlan;
  quorumAt: number;
  now: number;
  timing: SubmissionTiming;
  ownSignedAt?: number | undefined;
  aheadIsBehind: () => boolean;
}): SubmissionStep {
  const { plan, now, timing } = args;
  if (plan.kind !== "takeover" && signedLate(args.ownSignedAt, args.quorumAt, timing.settleMs)) {
    const turn = args.quorumAt + 2 * timing.settleMs;
    return now >= turn ? { do: "takeover" } : { do: "wait", at: turn, next: "takeover" };
  }
  const due = turnOf(plan, args.quorumAt, timing);
  if (plan.kind === "settle" && now >= due) {
    if (args.aheadIsBehind()) return { do: "wait", at: now + timing.settleMs, next: "replan" };
    // waited past the window for an operator that was behind: it may have landed it by now
    if (now >= due + timing.settleMs) return { do: "takeover" };
  }
  if (plan.kind !== "takeover" && now >= due) return { do: "send" };
  return { do: "wait", at: due, next: plan.kind === "settle" ? "replan" : "takeover" };
}
