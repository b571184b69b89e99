/**
 * The step after the engine for a workflow that submits to an aggregator: sign each response
 * with the service's key, store the signature (so a restart resends nothing twice and loses
 * nothing), then hand it to the aggregator, which gossips it and counts it toward quorum.
 */
import { type Aggregator, localSubmission } from "../aggregator/index.js";
import type { EventTrace, Logger } from "../internal/index.js";
import type { Metrics } from "../metrics/index.js";
import type { ServiceRegistry } from "../registry/index.js";
import { signResponse } from "../signing/index.js";
import type { SubmissionStore } from "../store/index.js";
import type { DispatcherDeps } from "./dispatcher.js";

/** What the hand-over needs from the node. */
export interface HandOverDeps {
  registry: Pick<ServiceRegistry, "signerAccount">;
  submissions: SubmissionStore;
  aggregator: Pick<Aggregator, "submitSignedSubmission">;
  metrics: Pick<Metrics, "submission">;
  logger: Logger;
  trace: EventTrace;
}

/** The dispatcher's `submit` hook: sign, store, hand over. */
export function createHandOver(deps: HandOverDeps): DispatcherDeps["submit"] {
  const { registry, submissions, aggregator, metrics, logger, trace } = deps;
  return async ({ executionId, serviceId, workflowId, workflow, response, eventId, data }) => {
    if (workflow.submit.type !== "aggregator") return;
    const signing = Date.now();
    const signed = await signResponse(registry.signerAccount(serviceId), {
      eventId,
      ordering: response.ordering,
      payload: response.payload,
      signatureKind: workflow.submit.signature_kind,
    });
    const stored = submissions.insert({
      service_id: serviceId,
      workflow_id: workflowId,
      execution_id: executionId,
      event_id: signed.eventId,
      ordering: signed.envelope.ordering,
      payload_hex: signed.envelope.payload,
      envelope_hash: signed.envelopeHash,
      signer: signed.signer,
      signature: signed.signature,
      status: "signed",
    });
    if (stored) metrics.submission({ serviceId, workflowId });
    if (trace.enabled) {
      // recorded before the hand-over: the gossip that follows carries this span's context
      trace.record("wavs.sign", signed.eventId, signing, Date.now(), {
        "wavs.service_id": serviceId,
        "wavs.workflow_id": workflowId,
        "wavs.signer": signed.signer,
        "wavs.envelope_hash": signed.envelopeHash,
      });
    }
    // also when it was stored before: a crash may have come between storing and handing over
    const verdict = await aggregator.submitSignedSubmission(
      localSubmission({ serviceId, workflowId, triggerData: data, response, signed }),
      "local",
    );
    if (verdict.verdict === "rejected") {
      logger.error(
        { service_id: serviceId, workflow_id: workflowId, err: verdict.reason },
        "own submission refused by the aggregator",
      );
    }
  };
}
