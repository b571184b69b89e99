/**
 * What this node heard about landings, by queue key (event id, chain, handler): the hashes
 * peers announced (with the signed transaction when it came along), and the proof once one of
 * them was checked on-chain. In memory and bounded:
 * a node that restarts has heard nothing and falls back to scanning blocks (landing-proof.ts).
 */
import type { CarriedCall, LandingProof } from "./landing-proof.js";

/** An announced transaction: its hash, and its call when the announcement carried its bytes. */
export interface AnnouncedTx {
  hash: string;
  call: CarriedCall | undefined;
}

interface Claim {
  /** The carried call (or undefined) by announced hash. */
  hashes: Map<string, CarriedCall | undefined>;
  proof: LandingProof | undefined;
  at: number;
}

/** Hashes announced per key and the proofs found; oldest keys are forgotten past `maxKeys`. */
export class LandingClaims {
  private readonly claims = new Map<string, Claim>();

  constructor(
    private readonly maxKeys = 10_000,
    private readonly ttlMs = 3600_000,
  ) {}

  /** Remember an announced transaction; false when its hash was known already. */
  add(key: string, tx: AnnouncedTx): boolean {
    const claim = this.entry(key);
    const h = tx.hash.toLowerCase();
    if (claim.hashes.has(h)) return false;
    claim.hashes.set(h, tx.call);
    return true;
  }

  /** Record the on-chain proof of a landing. */
  prove(key: string, proof: LandingProof): void {
    this.entry(key).proof = proof;
  }

  /** The proof found for a key, if any. */
  proof(key: string): LandingProof | undefined {
    return this.live(key)?.proof;
  }

  /** Transactions announced for a key. */
  announced(key: string): AnnouncedTx[] {
    return [...(this.live(key)?.hashes ?? [])].map(([hash, call]) => ({ hash, call }));
  }

  private live(key: string): Claim | undefined {
    const claim = this.claims.get(key);
    if (claim && Date.now() - claim.at > this.ttlMs) {
      this.claims.delete(key);
      return undefined;
    }
    return claim;
  }

  private entry(key: string): Claim {
    let claim = this.live(key);
    if (!claim) {
      claim = { hashes: new Map(), proof: undefined, at: Date.now() };
      this.claims.set(key, claim);
      if (this.claims.size > this.maxKeys) {
        const oldest = this.claims.keys().next().value;
        if (oldest !== undefined) this.claims.delete(oldest);
      }
    }
    return claim;
  }
}
