/**
 * Has the result already landed? A dry run (`eth_call`) of `handleSignedEnvelope`: a handler
 * that refuses an event id it already handled (SimpleSubmit's `EventAlreadyHandled`, or any
 * custom error whose name says "already") tells us another operator landed it. This is how a
 * non-designated operator decides whether to take over after its grace period.
 */
import {
  decodeRevert,
  type Envelope,
  iWavsServiceHandlerAbi,
  type SignatureData,
} from "@wavs-ts/contracts";
import type { Address, PublicClient } from "viem";
import { revertReason } from "./quorum-check.js";

/** What a dry run of handleSignedEnvelope says. */
export type DryRunOutcome =
  | { kind: "would-succeed" }
  | { kind: "already-handled"; reason: string }
  | { kind: "reverted"; reason: string };

/** Whether a revert means the handler has already handled this event. */
export function isAlreadyHandled(err: unknown): boolean {
  const decoded = decodeRevert(err);
  if (decoded) return /already/i.test(decoded.errorName);
  // handlers with string reverts (require(..., "already handled")) are matched on the text
  return /already (handled|submitted|processed)/i.test(revertReason(err));
}

/** Dry-run handleSignedEnvelope from `from` (or no sender). */
export async function dryRunHandle(args: {
  client: PublicClient;
  handler: Address;
  envelope: Envelope;
  signatureData: SignatureData;
  from?: Address | undefined;
}): Promise<DryRunOutcome> {
  try {
    await args.client.simulateContract({
      address: args.handler,
      abi: iWavsServiceHandlerAbi,
      functionName: "handleSignedEnvelope",
      args: [args.envelope, args.signatureData],
      ...(args.from ? { account: args.from } : {}),
    });
    return { kind: "would-succeed" };
  } catch (err) {
    if (isAlreadyHandled(err)) return { kind: "already-handled", reason: revertReason(err) };
    return { kind: "reverted", reason: revertReason(err) };
  }
}
