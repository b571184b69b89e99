/**
 * What crosses the seam between the node's signing, the P2P layer and the aggregator: one
 * operator's signed result, as plain JSON (hex strings, decimal u64, snake_case trigger data).
 * It is structurally the gossip message of p2p/wire.ts, so a decoded peer message can be handed
 * to `Aggregator.submitSignedSubmission` as it is. Everything in it is a claim until
 * `verify-submission.ts` has checked it.
 */
import { orderingFromU64 } from "@wavs-ts/contracts";
import type { WasmResponse } from "../engine/index.js";
import { bytesToHex, type TriggerData, triggerDataToJson } from "../service/index.js";
import type { SignedResponse } from "../signing/index.js";

/** A signed submission: the envelope, who signed it, and what it was computed from. */
export interface SignedSubmission {
  /** 64 lowercase hex characters, no 0x. */
  service_id: string;
  workflow_id: string;
  /** 0x + 20 bytes. */
  event_id: string;
  /** The envelope that was signed, as in the Solidity struct. */
  envelope: { event_id: string; ordering: string; payload: string };
  /** 0x + 65 bytes `r || s || v`. */
  signature: string;
  /** The address that claims to have signed. */
  signer: string;
  /** Trigger data JSON (service/trigger-data.ts `triggerDataToJson` form). */
  trigger_data: unknown;
  /** The operator component's response the envelope was built from. */
  operator_response: { payload: string; ordering: string | null; event_id_salt: string | null };
}

/** Who handed a submission to the aggregator: this node's dispatcher, or a peer. */
export type SubmissionOrigin = "local" | { peer: string };

/** How `submitSignedSubmission` judged a submission. */
export type SubmissionVerdict =
  | { verdict: "accepted"; inputId: number }
  /** Seen before (a replay, or gossip and catch-up delivering it twice): nothing done. */
  | { verdict: "duplicate" }
  /**
   * Refused before any work. `penalise`: provably bad (forged or malformed), the sender
   * deserves a penalty; false when it only cannot be judged here now (unknown service, chain
   * unreachable, aggregator stopped).
   */
  | { verdict: "rejected"; reason: string; penalise: boolean };

/** The gossip validator's answer for a verdict (accept relays; reject penalises; ignore drops). */
export function gossipVerdict(v: SubmissionVerdict): "accept" | "reject" | "ignore" {
  if (v.verdict === "accepted") return "accept";
  if (v.verdict === "rejected" && v.penalise) return "reject";
  return "ignore";
}

/** The origin as stored: `local` or `peer:<id>`. */
export function originText(origin: SubmissionOrigin): string {
  return origin === "local" ? "local" : `peer:${origin.peer}`;
}

/** The submission of a response this node signed itself. */
export function localSubmission(args: {
  serviceId: string;
  workflowId: string;
  triggerData: TriggerData;
  response: WasmResponse;
  signed: SignedResponse;
}): SignedSubmission {
  const { signed, response } = args;
  return {
    service_id: args.serviceId,
    workflow_id: args.workflowId,
    event_id: signed.eventId,
    envelope: {
      event_id: signed.envelope.eventId,
      ordering: signed.envelope.ordering,
      payload: signed.envelope.payload,
    },
    signature: signed.signature,
    signer: signed.signer,
    trigger_data: triggerDataToJson(args.triggerData),
    operator_response: {
      payload: bytesToHex(response.payload),
      ordering: response.ordering === undefined ? null : response.ordering.toString(),
      event_id_salt: response.eventIdSalt === undefined ? null : bytesToHex(response.eventIdSalt),
    },
  };
}

/** The envelope ordering a response ordering maps to (u64 BE in the first 8 of 12 bytes). */
export function envelopeOrdering(ordering: string | null): string {
  return orderingFromU64(ordering === null ? undefined : BigInt(ordering));
}
