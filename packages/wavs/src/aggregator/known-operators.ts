/**
 * The signing keys this node has seen sign for each service recently: the operators the
 * designated-submitter order ranks (`designated-submitter.ts`). Every accepted submission (this
 * node's own and peers', whose keys were checked against the service manager) refreshes its
 * signer; a key not seen for `memoryMs` drops out, so an operator that left stops costing the
 * others a settle window. After a restart the set is rebuilt from the stored submissions of the
 * same window, so the order does not change under a node that restarts.
 */
import { type Address, getAddress } from "viem";

/** Signers seen per service, with when each was last seen. */
export class KnownOperators {
  private readonly seen = new Map<string, Map<Address, number>>();
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
    let signers = this.seen.get(serviceId);
    if (!signers) {
      signers = new Map();
      this.seen.set(serviceId, signers);
    }
    const key = getAddress(signer);
    if ((signers.get(key) ?? 0) < at) signers.set(key, at);
  }

  /** When `signer` was last seen sign for the service, if within the memory window. */
  lastSeen(serviceId: string, signer: string, now = Date.now()): number | undefined {
    this.seed(serviceId);
    const at = this.seen.get(serviceId)?.get(getAddress(signer));
    return at !== undefined && at >= now - this.memoryMs ? at : undefined;
  }

  /** The signers of a service seen within the memory window. */
  list(serviceId: string, now = Date.now()): Address[] {
    this.seed(serviceId);
    const signers = this.seen.get(serviceId);
    if (!signers) return [];
    const out: Address[] = [];
    for (const [signer, at] of signers) {
      if (at >= now - this.memoryMs) out.push(signer);
      else signers.delete(signer);
    }
    return out;
  }

  private seed(serviceId: string): void {
    if (this.seeded.has(serviceId)) return;
    this.seeded.add(serviceId);
    for (const { signer, at } of this.stored(serviceId, Date.now() - this.memoryMs)) {
      this.saw(serviceId, signer, at);
    }
  }
}
