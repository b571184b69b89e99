/**
 * How a signed submission gets in: verified before any work (service and workflow known,
 * envelope well formed and built from the response, event id matching the trigger data,
 * signature recovering to the claimed signer; for peers also the signer registered with the
 * service manager), replays refused, then stored. A submission for a result that already
 * landed is stored as ignored: a late signature changes nothing and costs no execution.
 */
import type { Address } from "viem";
import { errorLine } from "../chain/index.js";
import type { Logger } from "../internal/index.js";
import { WavsError } from "../internal/index.js";
import type { Service, Workflow } from "../service/index.js";
import { triggerDataText } from "../service/index.js";
import type { AggregationInputStore, QuorumQueueStore } from "../store/index.js";
import type { KnownOperators } from "./known-operators.js";
import {
  originText,
  type SignedSubmission,
  type SubmissionOrigin,
  type SubmissionVerdict,
} from "./signed-submission.js";
import type { SignerRegistration } from "./signer-registration.js";
import { refusalPenalises, verifySubmission } from "./verify-submission.js";

/** What admitting a submission needs. */
export interface IntakeDeps {
  inputs: AggregationInputStore;
  queues: QuorumQueueStore;
  registration: SignerRegistration;
  operators: KnownOperators;
  log: Logger;
  maxPayloadBytes: number;
  resolve: (
    serviceId: string,
    workflowId: string,
  ) => { service: Service; workflow: Workflow } | undefined;
  /** This node's signing key for a service, if it has one. */
  selfSigner: (serviceId: string) => Address | undefined;
}

/** The verdict, and whether an accepted submission waits for its aggregator component. */
export async function admitSubmission(
  submission: SignedSubmission,
  origin: SubmissionOrigin,
  deps: IntakeDeps,
): Promise<{ verdict: SubmissionVerdict; process: boolean }> {
  let verified: Awaited<ReturnType<typeof verifySubmission>>;
  try {
    verified = await verifySubmission(submission, {
      resolve: deps.resolve,
      maxPayloadBytes: deps.maxPayloadBytes,
      // our own submissions were signed here a moment ago: no need to recover them
      ownSigner:
        origin === "local" && typeof submission?.service_id === "string"
          ? deps.selfSigner(submission.service_id)
          : undefined,
    });
  } catch (err) {
    const reason = err instanceof WavsError ? err.message : errorLine(err);
    deps.log.debug({ origin: originText(origin), err: reason }, "submission refused");
    return {
      verdict: { verdict: "rejected", reason, penalise: refusalPenalises(err) },
      process: false,
    };
  }
  const key = {
    serviceId: verified.serviceId,
    workflowId: verified.workflowId,
    eventId: verified.eventId,
    signer: verified.signer,
    envelopeHash: verified.envelopeHash,
  };
  if (deps.inputs.has(key)) return { verdict: { verdict: "duplicate" }, process: false };
  if (origin !== "local") {
    const reg = await deps.registration.check(verified.service, verified.signer);
    if (!reg.registered) {
      deps.log.debug({ origin: originText(origin), err: reg.reason }, "submission refused");
      return {
        verdict: { verdict: "rejected", reason: reg.reason, penalise: reg.known },
        process: false,
      };
    }
  }
  const inputId = deps.inputs.insert({
    service_id: verified.serviceId,
    workflow_id: verified.workflowId,
    event_id: verified.eventId,
    envelope_hash: verified.envelopeHash,
    signer: verified.signer,
    signature: verified.signature,
    payload_hex: verified.response.payload,
    ordering:
      verified.response.ordering === undefined ? null : verified.response.ordering.toString(),
    event_id_salt: verified.response.eventIdSalt ?? null,
    trigger_data: triggerDataText(verified.triggerData),
    origin: originText(origin),
    received_at: Date.now(),
  });
  if (inputId === undefined) return { verdict: { verdict: "duplicate" }, process: false };
  deps.operators.saw(verified.serviceId, verified.signer);
  if (deps.queues.hasBurned(verified.eventId, verified.envelopeHash)) {
    deps.inputs.finish(inputId, "ignored", "the result for this event has already landed");
    return { verdict: { verdict: "accepted", inputId }, process: false };
  }
  return { verdict: { verdict: "accepted", inputId }, process: true };
}
