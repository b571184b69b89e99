/**
 * Has a result landed? Decided from the chain only, never from a revert's name: a handler
 * written for WAVS need not refuse a replayed event (WAVS's example handler accepts every
 * valid call), so "the dry run reverted with EventAlreadyHandled" proves nothing in general.
 *
 * A result has landed when a transaction succeeded whose `to` is the handler and whose
 * calldata is `handleSignedEnvelope` of an envelope with the event id. Two ways to find one:
 * - a hash a peer announced (landing-announcement.ts): one receipt and one transaction lookup,
 *   or only the receipt when the announcement carried the signed transaction (its hash is the
 *   announced one, so its target and calldata are read from it);
 * - a node that heard nothing scans the blocks since quorum for calls to the handler
 *   (`LandingScanner`), newest first, each block fetched once per node and kept while final.
 */

import { keccak256 } from "@wavs-ts/contracts";
import {
  getAddress,
  type Hex,
  type PublicClient,
  parseTransaction,
  type TransactionReceipt,
} from "viem";
import type { LandedTx } from "../chain/index.js";
import { handledEventId } from "./handle-call.js";

/** A transaction that landed the result. */
export type LandingProof = LandedTx;

/** What a look at one announced transaction says. */
export type LandingCheck =
  | ({ kind: "landed" } & LandingProof)
  /** Known to the node, not mined yet: it may still land. */
  | { kind: "pending" }
  /** Not a landing of this result (reverted, another call, unknown to the node). */
  | { kind: "no"; reason: string };

function sameAddress(a: string | null | undefined, b: string): boolean {
  return typeof a === "string" && a.toLowerCase() === b.toLowerCase();
}

/** The target, calldata and nonce of a signed transaction an announcement carried. */
export interface CarriedCall {
  to: string | null;
  input: Hex;
  nonce: number;
}

/** What a check of one transaction is given. */
export interface LandingTxArgs {
  hash: Hex;
  handler: string;
  eventId: string;
  /** The call of the transaction, read from its signed bytes ({@link carriedCall}). */
  call?: CarriedCall | undefined;
  /**
   * With `call` and no receipt yet: also look the transaction up, to tell one in the pool
   * (pending) from one the node does not know (no). Without, it is taken as pending.
   */
  confirmUnmined?: boolean | undefined;
  /**
   * With `call`: asked first whether the transaction is certainly not mined yet (its sender's
   * nonce not used, used-nonces.ts); while it is not, it is taken as pending without asking
   * for its receipt, whether it is in the pool or was dropped.
   */
  notMinedYet?: (() => Promise<boolean>) | undefined;
}

/** Check one transaction: did it land `eventId` on `handler`? */
export async function checkLandingTx(
  client: PublicClient,
  args: LandingTxArgs,
): Promise<LandingCheck> {
  if (args.call === undefined) return lookUpLandingTx(client, args);
  const wrong = wrongCall(args.call, args);
  if (wrong) return wrong;
  if (await args.notMinedYet?.()) return { kind: "pending" };
  const receipt = await client.getTransactionReceipt({ hash: args.hash }).catch(() => undefined);
  if (receipt) return landingOfReceipt(receipt);
  if (!args.confirmUnmined) return { kind: "pending" };
  const tx = await client.getTransaction({ hash: args.hash }).catch(() => undefined);
  return tx ? { kind: "pending" } : unknownTx(args.hash);
}

/** The call of signed transaction bytes whose hash is `hash`; undefined when they are not that. */
export function carriedCall(raw: string, hash: string): CarriedCall | undefined {
  try {
    if (keccak256(raw as Hex) !== hash.toLowerCase()) return undefined;
    const tx = parseTransaction(raw as Hex);
    return { to: tx.to ?? null, input: tx.data ?? "0x", nonce: tx.nonce ?? 0 };
  } catch {
    return undefined;
  }
}

/** Why a call is not a landing of the event on the handler; undefined when it is one. */
function wrongCall(
  call: { to: string | null | undefined; input: Hex },
  args: LandingTxArgs,
): LandingCheck | undefined {
  if (!sameAddress(call.to, args.handler))
    return { kind: "no", reason: `transaction ${args.hash} is not sent to the handler` };
  if (handledEventId(call.input) !== args.eventId.toLowerCase())
    return { kind: "no", reason: `transaction ${args.hash} does not carry this event` };
  return undefined;
}

function unknownTx(hash: string): LandingCheck {
  return { kind: "no", reason: `transaction ${hash} is unknown to the node` };
}

/** A mined transaction's outcome as a landing (its call already checked). */
function landingOfReceipt(receipt: TransactionReceipt): LandingCheck {
  if (receipt.status !== "success")
    return { kind: "no", reason: `transaction ${receipt.transactionHash} reverted` };
  return {
    kind: "landed",
    txHash: receipt.transactionHash,
    block: receipt.blockNumber,
    from: getAddress(receipt.from),
  };
}

/** The check from the chain alone: the transaction, then its receipt once mined. */
async function lookUpLandingTx(client: PublicClient, args: LandingTxArgs): Promise<LandingCheck> {
  const tx = await client.getTransaction({ hash: args.hash }).catch(() => undefined);
  if (!tx) return unknownTx(args.hash);
  const wrong = wrongCall(tx, args);
  if (wrong) return wrong;
  if (tx.blockNumber === null) return { kind: "pending" };
  const receipt = await client.getTransactionReceipt({ hash: args.hash }).catch(() => undefined);
  return receipt ? landingOfReceipt(receipt) : { kind: "pending" };
}

/** A handleSignedEnvelope call found in a block. */
interface HandlerCall {
  to: string;
  eventId: Hex;
  hash: Hex;
}

/** Blocks scanned at most per search (newest first); older landings are not looked for. */
export const MAX_SCAN_BLOCKS = 2048;
/** Blocks kept in memory once scanned. */
const CACHE_BLOCKS = 8192;
/** Blocks this far below the head are kept; newer ones may still be reorged and are refetched. */
const CACHE_DEPTH = 3;
/**
 * How long a block newer than that is reused: as long as the head itself is (`cacheTime` of the
 * head's lookup), so one burst of sends late after quorum does not fetch the newest blocks
 * again for every transaction (with a block per transaction, that was most of the RPC of a
 * backlog's sends).
 */
const RECENT_MS = 250;
/** Blocks fetched at once. */
const SCAN_CONCURRENCY = 8;

/** Scans the blocks of one chain for landings; see the module comment. */
export class LandingScanner {
  /** Final blocks scanned, in the order scanned (the first dropped first), with their handler calls. */
  private readonly blocks = new Map<number, HandlerCall[]>();
  /**
   * The handler calls of those blocks by event id, with their block: a sender late behind a
   * backlog searches hundreds of blocks per transaction, almost all scanned already, and a
   * lookup here replaces a pass over every call in them.
   */
  private readonly byEvent = new Map<string, { block: number; call: HandlerCall }[]>();
  /** Blocks near the head, with when they were fetched. */
  private readonly recent = new Map<number, { at: number; calls: Promise<HandlerCall[]> }>();

  constructor(
    private readonly client: PublicClient,
    /** Final blocks kept once scanned (tests make it small). */
    private readonly keptBlocks = CACHE_BLOCKS,
  ) {}

  /**
   * The successful landing of `eventId` on `handler` in blocks `fromBlock`..head (at most
   * {@link MAX_SCAN_BLOCKS}, newest first), or undefined when there is none.
   */
  async find(args: {
    handler: string;
    eventId: string;
    fromBlock: bigint;
    /**
     * Ask for the head afresh instead of reusing one up to 250 ms old: after this node's own
     * transaction failed, the landing that made it fail may be in a block newer than that.
     */
    freshHead?: boolean | undefined;
  }): Promise<LandingProof | undefined> {
    // block numbers as numbers: a search walks hundreds of them, and bigint keys cost more
    const head = Number(await this.client.getBlockNumber({ cacheTime: args.freshHead ? 0 : 250 }));
    const from = Math.max(Number(args.fromBlock), head - MAX_SCAN_BLOCKS + 1, 0);
    const eventId = args.eventId.toLowerCase();
    const matches = (call: HandlerCall) =>
      call.eventId === eventId && sameAddress(call.to, args.handler);
    let hits = this.scannedHits(eventId, matches);
    for (let top = head; top >= from; top -= SCAN_CONCURRENCY) {
      const bottom = Math.max(from, top - SCAN_CONCURRENCY + 1);
      // scanned blocks answer from the index; only the others are fetched (or awaited)
      const unscanned: number[] = [];
      for (let n = top; n >= bottom; n--) if (!this.blocks.has(n)) unscanned.push(n);
      let fetched: Map<number, HandlerCall[]> | undefined;
      if (unscanned.length > 0) {
        const calls = await Promise.all(unscanned.map((n) => this.callsIn(n, head)));
        fetched = new Map(unscanned.map((n, i) => [n, calls[i]!.filter(matches)]));
        // a concurrent search may have scanned blocks meanwhile
        hits = this.scannedHits(eventId, matches);
      }
      for (let n = top; n >= bottom; n--) {
        for (const call of fetched?.get(n) ?? hits.get(n) ?? []) {
          const check = await checkLandingTx(this.client, {
            hash: call.hash,
            handler: args.handler,
            eventId,
          });
          if (check.kind === "landed") return check;
        }
      }
    }
    return undefined;
  }

  /** The calls of `eventId` among the scanned blocks that `matches` accepts, by block. */
  private scannedHits(
    eventId: string,
    matches: (call: HandlerCall) => boolean,
  ): Map<number, HandlerCall[]> {
    const hits = new Map<number, HandlerCall[]>();
    for (const { block, call } of this.byEvent.get(eventId) ?? []) {
      if (!matches(call)) continue;
      const list = hits.get(block);
      if (list) list.push(call);
      else hits.set(block, [call]);
    }
    return hits;
  }

  private async callsIn(number: number, head: number): Promise<HandlerCall[]> {
    const cached = this.blocks.get(number);
    if (cached) return cached;
    if (head - number < CACHE_DEPTH) {
      const now = Date.now();
      const seen = this.recent.get(number);
      if (seen && now - seen.at < RECENT_MS) return seen.calls;
      for (const [n, r] of this.recent) if (now - r.at >= RECENT_MS) this.recent.delete(n);
      const calls = this.fetchCalls(number);
      this.recent.set(number, { at: now, calls });
      calls.catch(() => this.recent.delete(number));
      return calls;
    }
    const calls = await this.fetchCalls(number);
    this.keep(number, calls);
    return calls;
  }

  /** Keep a final block's calls (and index them), dropping the oldest beyond the bound. */
  private keep(number: number, calls: HandlerCall[]): void {
    if (this.blocks.has(number)) return; // two searches fetched it at once
    this.blocks.set(number, calls);
    for (const call of calls) {
      const list = this.byEvent.get(call.eventId) ?? [];
      list.push({ block: number, call });
      this.byEvent.set(call.eventId, list);
    }
    if (this.blocks.size <= this.keptBlocks) return;
    const oldest = this.blocks.keys().next().value as number;
    for (const call of this.blocks.get(oldest) ?? []) {
      const left = (this.byEvent.get(call.eventId) ?? []).filter((e) => e.block !== oldest);
      if (left.length === 0) this.byEvent.delete(call.eventId);
      else this.byEvent.set(call.eventId, left);
    }
    this.blocks.delete(oldest);
  }

  /** The handler calls in block `number`. */
  private async fetchCalls(number: number): Promise<HandlerCall[]> {
    const block = await this.client.getBlock({
      blockNumber: BigInt(number),
      includeTransactions: true,
    });
    const calls: HandlerCall[] = [];
    for (const tx of block.transactions) {
      if (!tx.to) continue;
      const eventId = handledEventId(tx.input);
      if (eventId) calls.push({ to: tx.to, eventId, hash: tx.hash });
    }
    return calls;
  }
}
