/**
 * An operator's presence: "signing key `signer` runs service `service_id`, as of `at`", signed
 * by that key (EIP-191 over a fixed text). Published on the service's presence topic when a node
 * joins it, when a peer joins it, and periodically, so every node ranks every operator in the
 * designated-submitter order before any of them has signed an event: without it, the first
 * event after a start is ranked over whoever happened to sign first, and two operators can
 * each believe they are first and send the same result. Receivers check the signature, the
 * age, and that the key is registered with the service's manager before they count it.
 */
import { personalMessageDigest, recoverDigestSigner, signDigestAs } from "@wavs-ts/contracts";
import { type Address, getAddress, type Hex, type LocalAccount } from "viem";
import type { Service } from "../service/index.js";
import type { KnownOperators } from "./known-operators.js";
import type { SignerRegistration } from "./signer-registration.js";

/** The presence as it travels (plain JSON). */
export interface OperatorPresence {
  /** 64 lowercase hex characters, no 0x. */
  service_id: string;
  /** The operator's signing key for the service (0x + 20 bytes). */
  signer: string;
  /** When it was signed (ms since the epoch). */
  at: number;
  /** 0x + 65 bytes `r || s || v` over {@link presenceDigest}. */
  signature: string;
}

/** How far a presence's time may be from the receiver's clock (replays and skewed clocks). */
export const PRESENCE_MAX_SKEW_MS = 5 * 60_000;

/** The EIP-191 digest a presence is signed over. */
export function presenceDigest(p: Omit<OperatorPresence, "signature">): Hex {
  const text = [
    "wavs presence v1",
    `service ${p.service_id.toLowerCase()}`,
    `signer ${p.signer.toLowerCase()}`,
    `at ${p.at}`,
  ].join("\n");
  return personalMessageDigest(text);
}

/** Sign this node's presence for a service with its signing account for that service. */
export async function signPresence(
  account: LocalAccount,
  serviceId: string,
  at = Date.now(),
): Promise<OperatorPresence> {
  const unsigned = { service_id: serviceId, signer: account.address, at };
  return { ...unsigned, signature: await signDigestAs(account, presenceDigest(unsigned)) };
}

/** Why a presence is refused before any RPC, or undefined when its signature and age hold. */
export async function presenceFault(
  p: OperatorPresence,
  now = Date.now(),
): Promise<string | undefined> {
  if (Math.abs(now - p.at) > PRESENCE_MAX_SKEW_MS) return "presence too old or in the future";
  try {
    const recovered = await recoverDigestSigner(presenceDigest(p), p.signature as Hex);
    return recovered === getAddress(p.signer as Address)
      ? undefined
      : "signature does not recover to the signer";
  } catch {
    return "malformed signature";
  }
}

/**
 * Judge a peer's presence: the service known here, signature and age, then the key registered
 * with the service's manager; an accepted one makes its signer a known operator.
 */
export async function judgePresence(
  p: OperatorPresence,
  deps: {
    service(serviceId: string): Service | undefined;
    registration: SignerRegistration;
    operators: KnownOperators;
  },
): Promise<"accept" | "reject" | "ignore"> {
  const service = deps.service(p.service_id);
  if (!service) return "ignore";
  const fault = await presenceFault(p);
  // an old presence may be an honest peer's, relayed late: not a reason to penalise
  if (fault !== undefined) return fault.startsWith("presence too old") ? "ignore" : "reject";
  // not registered (yet): an operator announces itself before it registers its key, so this
  // is no reason to penalise; it announces itself again, and is asked about again then
  const reg = await deps.registration.check(service, p.signer as Address, true);
  if (!reg.registered) return "ignore";
  // the time it arrived, not the time it claims: clocks of peers differ
  deps.operators.announced(p.service_id, p.signer);
  return "accept";
}
