/**
 * Whether a signed transaction can have been mined yet, from its sender's mined-transaction
 * count: a transaction whose nonce that count has not passed is not in any block. Behind a
 * slow chain a node watches many announced transactions of the same sender at once (a peer
 * that sent a burst of results); one `eth_getTransactionCount` every `ttlMs` answers for all
 * of them, where a receipt and a transaction lookup each were asked for every one, every look,
 * and found nothing (measured under `bench:e2e`'s burst: 2.4 empty receipts and 1.2 pending
 * lookups per event).
 */
import { signerOfTransaction } from "@wavs-ts/contracts";
import type { Address, Hex, PublicClient } from "viem";

/** Counts of mined transactions per sender on one chain, each asked at most once per `ttlMs`. */
export class UsedNonces {
  private readonly counts = new Map<string, { at: number; count: Promise<number | undefined> }>();
  /** Senders recovered from signed bytes, by transaction hash (a signature recovery each, ~0.1 ms). */
  private readonly senders = new Map<string, Promise<Address | undefined>>();

  constructor(
    private readonly client: PublicClient,
    private readonly ttlMs = 250,
  ) {}

  /**
   * Whether the signed transaction `raw` (hash `hash`, nonce `nonce`) is certainly not mined
   * yet: its sender's count has not reached past its nonce. False when that cannot be told (a
   * sender that does not recover, a failed call): the caller then asks for the receipt.
   */
  async notMinedYet(hash: string, raw: Hex, nonce: number): Promise<boolean> {
    const sender = await this.senderOf(hash, raw);
    if (sender === undefined) return false;
    const count = await this.countOf(sender);
    return count !== undefined && count <= nonce;
  }

  /** The sender's mined-transaction count at the latest block, shared for `ttlMs`. */
  private countOf(sender: Address): Promise<number | undefined> {
    const now = Date.now();
    const hit = this.counts.get(sender);
    if (hit && now - hit.at < this.ttlMs) return hit.count;
    if (this.counts.size >= MAX_KEPT) this.counts.clear();
    const count = this.client
      .getTransactionCount({ address: sender, blockTag: "latest" })
      .catch(() => undefined);
    this.counts.set(sender, { at: now, count });
    return count;
  }

  private senderOf(hash: string, raw: Hex): Promise<Address | undefined> {
    let sender = this.senders.get(hash);
    if (sender === undefined) {
      if (this.senders.size >= MAX_KEPT) this.senders.clear();
      sender = signerOfTransaction(raw);
      this.senders.set(hash, sender);
    }
    return sender;
  }
}

/** Senders and counts kept at most (a bound, not a tuning: a node watches a few senders). */
const MAX_KEPT = 1024;
