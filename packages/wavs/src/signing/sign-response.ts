/**
 * Turning a component's response into a signed envelope (spec: signing.md). Encoding and
 * signing are @wavs-ts/contracts' envelope module, the same code the aggregator and the
 * contract tests use, so what we sign is what `WavsServiceManager.validate` checks.
 */
import {
  type Envelope,
  envelopeHash,
  orderingFromU64,
  type SignaturePrefix,
  signEnvelope,
} from "@wavs-ts/contracts";
import { type Address, bytesToHex, type Hex, isHex, type LocalAccount, size } from "viem";
import { EVENT_ID_LENGTH } from "../ids/index.js";
import { WavsError } from "../internal/index.js";
import type { SignatureKind } from "../service/index.js";
import { U64_MAX } from "../service/index.js";

/** A component response to sign. */
export interface ResponseToSign {
  /** The event id: 20 bytes. */
  eventId: Uint8Array | Hex;
  /** The component's ordering (u64), if it set one. */
  ordering?: bigint | number | undefined;
  /** The component's payload, verbatim. */
  payload: Uint8Array | Hex;
  /** The workflow's `signature_kind`. */
  signatureKind: SignatureKind;
}

/** A signed response. */
export interface SignedResponse {
  envelope: Envelope;
  /** `keccak256(abi.encode(envelope))`. */
  envelopeHash: Hex;
  /** 65 bytes `r || s || v`, v in {27, 28}. */
  signature: Hex;
  /** Address of the key that signed. */
  signer: Address;
  /** The event id as hex (20 bytes). */
  eventId: Hex;
}

function toHex(value: Uint8Array | Hex): Hex {
  return typeof value === "string" ? value : bytesToHex(value);
}

/** The prefix a signature kind asks for; an absent prefix means none, as in the reference. */
export function signaturePrefix(kind: SignatureKind): SignaturePrefix {
  return kind.prefix === "eip191" ? "eip191" : null;
}

/** The envelope of a response: event id, ordering (u64 BE in the first 8 of 12 bytes), payload. */
export function buildEnvelope(response: Omit<ResponseToSign, "signatureKind">): Envelope {
  const eventId = toHex(response.eventId);
  // A wrong event id or ordering here is a bug upstream, never the component's doing.
  if (!isHex(eventId) || size(eventId) !== EVENT_ID_LENGTH) {
    throw new WavsError(
      "WAVS_ERR_INTERNAL",
      `event id ${eventId.slice(0, 80)} is not ${EVENT_ID_LENGTH} bytes`,
    );
  }
  const { ordering } = response;
  if (ordering !== undefined && (BigInt(ordering) < 0n || BigInt(ordering) > U64_MAX)) {
    throw new WavsError("WAVS_ERR_INTERNAL", `ordering ${ordering} is not a u64`);
  }
  const payload = toHex(response.payload);
  if (!isHex(payload)) throw new WavsError("WAVS_ERR_INTERNAL", "payload is not hex");
  return { eventId: eventId.toLowerCase() as Hex, ordering: orderingFromU64(ordering), payload };
}

/** Build the envelope of a response and sign it with `account` per its signature kind. */
export async function signResponse(
  account: LocalAccount,
  response: ResponseToSign,
): Promise<SignedResponse> {
  const envelope = buildEnvelope(response);
  const signature = await signEnvelope(envelope, account, {
    prefix: signaturePrefix(response.signatureKind),
  });
  return {
    envelope,
    envelopeHash: envelopeHash(envelope),
    signature,
    signer: account.address,
    eventId: envelope.eventId,
  };
}
