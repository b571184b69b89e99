/**
 * The operators this node knows for each service: the signing keys the designated-submitter
 * order ranks (`designated-submitter.ts`). Two ways to be known, kept apart because they mean
 * different things:
 *
 * - signed: every accepted submission (this node's own and peers', whose keys were checked
 *   against the service manager) refreshes its signer. This is also liveness: an operator ranked
 *   ahead that signed lately is behind, not down (`lastSeen`);
 * - present: a peer's signed presence (operator-presence.ts), published when it joins the
 *   service's topics and periodically. Membership only, so that the first event after a start
 *   is ranked over every operator, not just those that happened to sign before.
 *
 * A key neither signed nor announced within `memoryMs` drops out, so an operator that left stops
 * costing the others a settle window. After a restart the signed set is rebuilt from the stored
 * submissions of the same window, so the order does not change under a node that restarts.
 */
import { type Address, getAddress } from "viem";

/** One known operator of a service, as the node's status shows it. */
export interface KnownOperator {
  signer: Address;
  /** When it was last seen sign for the service (ms), if within the window. */
  last_signed_at: number | null;
  /** When its last presence announcement was accepted (ms), if within the window. */
  present_at: number | null;
}

/** Times per signer of one service. */
type Sightings = Map<Address, number>;

/** Signers seen and announced per service, with when. */
export class KnownOperators {
  private readonly signed = new Map<string, Sightings>();
  private readonly present = new Map<string, Sightings>();
  private readonly seeded = new Set<string>();

  constructor(
    private readonly memoryMs: number,
    /** Signers and times of the stored submissions of a service since a time (the restart seed). */
    private readonly stored: (
      serviceId: string,
      sinceMs: number,
    ) => readonly { signer: string; at: number }[],
  ) {}

  /** Record that `signer` signed for the service at `at`. */
  saw(serviceId: string, signer: string, at = Date.now()): void {
    this.seed(serviceId);
    note(this.signed, serviceId, signer, at);
  }

  /** Record that `signer` announced itself as an operator of the service at `at`. */
  announced(serviceId: string, signer: string, at = Date.now()): void {
    note(this.present, serviceId, signer, at);
  }

  /** When `signer` was last seen sign for the service, if within the memory window. */
  lastSeen(serviceId: string, signer: string, now = Date.now()): number | undefined {
    this.seed(serviceId);
    const at = this.signed.get(serviceId)?.get(getAddress(signer));
    return at !== undefined && at >= now - this.memoryMs ? at : undefined;
  }

  /** The operators of a service signed or announced within the memory window. */
  list(serviceId: string, now = Date.now()): Address[] {
    return this.describe(serviceId, now).map((o) => o.signer);
  }

  /** Every known operator of a service with when it last signed and announced itself. */
  describe(serviceId: string, now = Date.now()): KnownOperator[] {
    this.seed(serviceId);
    const since = now - this.memoryMs;
    const signed = live(this.signed.get(serviceId), since);
    const present = live(this.present.get(serviceId), since);
    const signers = new Set([...signed.keys(), ...present.keys()]);
    return [...signers].map((signer) => ({
      signer,
      last_signed_at: signed.get(signer) ?? null,
      present_at: present.get(signer) ?? null,
    }));
  }

  private seed(serviceId: string): void {
    if (this.seeded.has(serviceId)) return;
    this.seeded.add(serviceId);
    for (const { signer, at } of this.stored(serviceId, Date.now() - this.memoryMs)) {
      note(this.signed, serviceId, signer, at);
    }
  }
}

/** Keep the latest time of `signer` for the service. */
function note(table: Map<string, Sightings>, serviceId: string, signer: string, at: number): void {
  let signers = table.get(serviceId);
  if (!signers) {
    signers = new Map();
    table.set(serviceId, signers);
  }
  const key = getAddress(signer);
  if ((signers.get(key) ?? 0) < at) signers.set(key, at);
}

/** The sightings at or after `since`; older ones are forgotten. */
function live(signers: Sightings | undefined, since: number): Sightings {
  if (!signers) return new Map();
  for (const [signer, at] of signers) if (at < since) signers.delete(signer);
  return signers;
}
