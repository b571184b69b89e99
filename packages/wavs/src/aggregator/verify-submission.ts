/**
 * Verification of a signed submission before it may cost any work (spec: signing.md, "peers'
 * submissions are verified"). Checks, cheapest first: known service and workflow that submits
 * to an aggregator; well-formed hex and sizes; the event id recomputed from the service,
 * workflow and salt (or trigger data) equals the claimed one; the envelope is exactly the one
 * built from the operator response; the signature recovers to the claimed signer. Whether the
 * signer is registered with the service manager is an RPC call, so it is a separate step
 * (`signer-registration.ts`) that the aggregator runs last, for peers only.
 */

import type { SignaturePrefix } from "@wavs-ts/contracts";
import {
  digestOfEnvelopeHash,
  type Envelope,
  envelopeHash,
  normalizeSignature,
  recoverDigestSigner,
} from "@wavs-ts/contracts";
import { type Address, getAddress, type Hex, isAddress } from "viem";
import { encodeTriggerDataForEventId, eventId, isServiceId } from "../ids/index.js";
import { WavsError } from "../internal/index.js";
import {
  bytesToHex,
  hexToBytes,
  isHexBytes,
  parseTriggerDataValue,
  type Service,
  type TriggerData,
  U64_MAX,
  type Workflow,
} from "../service/index.js";
import { buildEnvelope, signaturePrefix } from "../signing/index.js";
import { envelopeOrdering, type SignedSubmission } from "./signed-submission.js";

/** A workflow whose results go to an aggregator component. */
export type AggregatedWorkflow = Workflow & {
  submit: Extract<Workflow["submit"], { type: "aggregator" }>;
};

/** A submission that passed every local check. */
export interface VerifiedSubmission {
  serviceId: string;
  workflowId: string;
  service: Service;
  workflow: AggregatedWorkflow;
  triggerData: TriggerData;
  /** Lowercase 0x hex, 20 bytes. */
  eventId: Hex;
  envelope: Envelope;
  envelopeHash: Hex;
  signer: Address;
  signature: Hex;
  prefix: SignaturePrefix;
  response: { payload: Hex; ordering: bigint | undefined; eventIdSalt: Hex | undefined };
}

/** What verification needs from the node. */
export interface VerifyDeps {
  resolve(
    serviceId: string,
    workflowId: string,
  ): { service: Service; workflow: Workflow } | undefined;
  /** Largest operator payload accepted (the dispatcher's limit). */
  maxPayloadBytes: number;
  /**
   * For this node's own submissions (signed by the dispatcher a moment ago): its signing key
   * for the service. A submission claiming that signer is not recovered again.
   */
  ownSigner?: Address | undefined;
}

/** Refuse a submission; `penalise: false` when it cannot be judged here rather than being bad. */
function refuse(reason: string, penalise = true): never {
  throw new WavsError("WAVS_ERR_AGGREGATOR_SUBMISSION_INVALID", reason, { details: { penalise } });
}

/** Whether a refusal proves the submission bad (see `refuse`). */
export function refusalPenalises(err: unknown): boolean {
  return !(err instanceof WavsError && err.details?.penalise === false);
}

function hexField(value: unknown, field: string, bytes?: number): Hex {
  if (typeof value !== "string" || !isHexBytes(value, { prefix: "required" })) {
    refuse(`${field} is not 0x-prefixed hex`);
  }
  if (bytes !== undefined && value.length !== 2 + 2 * bytes)
    refuse(`${field} is not ${bytes} bytes`);
  return value.toLowerCase() as Hex;
}

/**
 * Check a submission without any RPC call; throws WAVS_ERR_AGGREGATOR_SUBMISSION_INVALID saying
 * what is wrong. Costs one signature recovery at most (none for the node's own, see `ownSigner`).
 */
export async function verifySubmission(
  sub: SignedSubmission,
  deps: VerifyDeps,
): Promise<VerifiedSubmission> {
  if (typeof sub !== "object" || sub === null) refuse("the submission is not an object");
  if (typeof sub.service_id !== "string" || !isServiceId(sub.service_id)) {
    refuse("service_id is not a service id (64 lowercase hex characters)");
  }
  if (typeof sub.workflow_id !== "string") refuse("workflow_id is not a string");
  const resolved = deps.resolve(sub.service_id, sub.workflow_id);
  if (!resolved)
    refuse(`service ${sub.service_id} workflow ${sub.workflow_id} is not registered here`, false);
  const { service, workflow } = resolved;
  if (workflow.submit.type !== "aggregator") {
    refuse(`workflow ${sub.workflow_id} does not submit to an aggregator`, false);
  }
  const response = sub.operator_response;
  if (typeof response !== "object" || response === null) refuse("operator_response is missing");
  const payload = hexField(response.payload, "operator_response.payload");
  if ((payload.length - 2) / 2 > deps.maxPayloadBytes) {
    refuse(`the payload is larger than ${deps.maxPayloadBytes} bytes`);
  }
  let ordering: bigint | undefined;
  if (response.ordering !== null) {
    if (
      typeof response.ordering !== "string" ||
      !/^(0|[1-9][0-9]{0,19})$/.test(response.ordering)
    ) {
      refuse("operator_response.ordering is not a decimal u64");
    }
    ordering = BigInt(response.ordering);
    if (ordering > U64_MAX) refuse("operator_response.ordering is not a u64");
  }
  const salt =
    response.event_id_salt === null
      ? undefined
      : hexField(response.event_id_salt, "operator_response.event_id_salt");
  let triggerData: TriggerData;
  try {
    triggerData = parseTriggerDataValue(sub.trigger_data);
  } catch (err) {
    refuse(`trigger_data is malformed: ${(err as Error).message}`);
  }
  // the event id binds the envelope to this service, workflow and trigger (or salt)
  const computed = bytesToHex(
    eventId(
      sub.service_id,
      sub.workflow_id,
      salt === undefined ? encodeTriggerDataForEventId(triggerData) : hexToBytes(salt),
    ),
  ) as Hex;
  if (hexField(sub.event_id, "event_id", 20) !== computed) {
    refuse("event_id does not match the service, workflow and trigger data");
  }
  const envelope = buildEnvelope({ eventId: computed, ordering, payload });
  const claimed = sub.envelope;
  if (
    typeof claimed !== "object" ||
    claimed === null ||
    hexField(claimed.event_id, "envelope.event_id", 20) !== envelope.eventId ||
    hexField(claimed.ordering, "envelope.ordering", 12) !==
      envelopeOrdering(response.ordering ?? null) ||
    hexField(claimed.payload, "envelope.payload") !== envelope.payload
  ) {
    refuse("the envelope is not the one built from the operator response");
  }
  if (typeof sub.signer !== "string" || !isAddress(sub.signer, { strict: false })) {
    refuse("signer is not an address");
  }
  let signature: Hex;
  try {
    signature = normalizeSignature(hexField(sub.signature, "signature", 65));
  } catch (err) {
    refuse(`signature is malformed: ${(err as Error).message}`);
  }
  const prefix = signaturePrefix(workflow.submit.signature_kind);
  const signer = getAddress(sub.signer);
  // the hash is encoded once, for the signature check and for the caller
  const hash = envelopeHash(envelope);
  if (deps.ownSigner === undefined || getAddress(deps.ownSigner) !== signer) {
    let recovered: Address;
    try {
      recovered = await recoverDigestSigner(digestOfEnvelopeHash(hash, prefix), signature);
    } catch (err) {
      refuse(`signature does not recover: ${(err as Error).message}`);
    }
    if (recovered !== signer) refuse("the signature does not recover to the claimed signer");
  }
  return {
    serviceId: sub.service_id,
    workflowId: sub.workflow_id,
    service,
    workflow: workflow as AggregatedWorkflow,
    triggerData,
    eventId: computed,
    envelope,
    envelopeHash: hash,
    signer,
    signature,
    prefix,
    response: { payload, ordering, eventIdSalt: salt },
  };
}
