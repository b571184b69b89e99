/** What the transaction manager is given, what it answers, and how it is tuned. */

import type { Address, Hex } from "viem";

/** A transaction that already did what a queued one would do (it is then not sent). */
export interface LandedTx {
  /** 0x hex on EVM; upper-case hex without 0x on Cosmos (CometBFT's spelling). */
  txHash: string;
  block: bigint;
  /** The sender: 0x address on EVM, bech32 on Cosmos. */
  from: string;
}

/**
 * What the owner of a queued transaction says just before its broadcast: send it; it already
 * landed (`landed`: cancelled, settled with the proof); or not now (`defer`: cancelled without
 * a nonce spent, settled as `deferred`, so the owner can queue it again later; a queue never
 * waits behind a held-back head).
 */
export type BroadcastCheck =
  | { kind: "send" }
  | { kind: "landed"; landed: LandedTx }
  | { kind: "defer"; reason: string };

/** How the error of a transaction cancelled by a `defer` starts (recognised after a restart). */
export const DEFERRED_PREFIX = "deferred: ";

/** A transaction to send. */
export interface TxRequest {
  to: Address;
  data: Hex;
  /** The component's gas price (wei), used as a legacy gas price. */
  gasPrice?: bigint | undefined;
  /** Routes the outcome back to whoever asked (survives restarts). */
  ref: string;
}

/** How a transaction ended. */
export type TxOutcome =
  | {
      kind: "mined";
      txHash: string;
      status: "success" | "reverted";
      gasUsed: bigint;
      block: bigint;
    }
  /**
   * Never mined: the estimate reverted, we gave up, or (`landed`) the owner found the result
   * already landed by another transaction before this one was sent, or (`deferred`) it asked
   * to hold it back.
   */
  | {
      kind: "failed";
      reason: string;
      landed?: LandedTx | undefined;
      /** Cancelled before its broadcast at the owner's word (`BroadcastCheck` `defer`). */
      deferred?: boolean | undefined;
    };

/** Tuning of the transaction manager. */
export interface TxManagerOptions {
  /** Receipt polling and loop interval; default 250 ms (a new transaction wakes the loop at once). */
  pollMs: number;
  /** Transactions sent and not yet mined at most (pipelined nonces); default 64. */
  maxInFlight: number;
  /** A sent transaction not mined after this long is re-sent with a fee bump; default 30 s. */
  stuckAfterMs: number;
  /** Fee bump for a stuck transaction, percent; default 25 (nodes need at least 10). */
  feeBumpPercent: number;
  /** Gas limit margin over the estimate, percent; default 25. */
  gasMarginPercent: number;
  /** First retry delay after a send failed (no funds, RPC down); doubles; default 1 s. */
  initialBackoffMs: number;
  /** Largest retry delay; default 30 s. */
  maxBackoffMs: number;
}

/** Defaults of {@link TxManagerOptions}. */
export const DEFAULT_TX_MANAGER_OPTIONS: TxManagerOptions = {
  pollMs: 250,
  maxInFlight: 64,
  stuckAfterMs: 30_000,
  feeBumpPercent: 25,
  gasMarginPercent: 25,
  initialBackoffMs: 1000,
  maxBackoffMs: 30_000,
};
