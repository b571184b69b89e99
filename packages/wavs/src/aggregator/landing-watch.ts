/**
 * Whether a queue's result has landed, decided from the chain (landing-proof.ts): what peers
 * announced (landing-announcement.ts), checked by receipt and re-checked while pending, and a
 * search of the blocks since quorum for a node that heard nothing. The aggregator asks it
 * before a takeover, a retried or resumed send, and after its own transaction failed; it tells
 * the aggregator when an announced transaction is seen landed.
 */
import type { Address, Hex, PublicClient } from "viem";
import type { ChainClients } from "../chain/index.js";
import type { Logger } from "../internal/index.js";
import { isCosmosChain, parseTriggerDataText, type Service } from "../service/index.js";
import type { AggregationInputStore, QuorumQueueRow } from "../store/index.js";
import { checkCosmosLandingTx, findCosmosLanding } from "./cosmos-landing.js";
import {
  type LandingAnnouncement,
  landingKey,
  landingSignedBySigner,
} from "./landing-announcement.js";
import { LandingClaims } from "./landing-claims.js";
import {
  type CarriedCall,
  carriedCall,
  checkLandingTx,
  type LandingCheck,
  type LandingProof,
  LandingScanner,
  type LandingTxArgs,
} from "./landing-proof.js";
import type { SignerRegistration } from "./signer-registration.js";
import { UsedNonces } from "./used-nonces.js";

/** Blocks before the quorum block where a search for a landing starts (this node may lag). */
const LOOKBACK_BLOCKS = 256n;
/** Re-checks of an announced transaction not mined yet (1 s, doubling). */
const MAX_CLAIM_CHECKS = 8;

/** The scheduler key of the looks at one announced transaction. */
function claimTimer(a: LandingAnnouncement): string {
  return `claim:${landingKey(a.event_id, a.chain, a.handler)}:${a.tx_hash}`;
}

/** What a look for a queue's result found. */
export type LandingState =
  | ({ kind: "landed" } & LandingProof)
  /** A transaction a peer announced is in the pool, not mined yet. */
  | { kind: "pending" }
  | { kind: "none" };

/** See the module comment. */
export class LandingWatch {
  private readonly claims = new LandingClaims();
  private readonly scanners = new Map<string, LandingScanner>();
  private readonly nonces = new Map<string, UsedNonces>();

  constructor(
    private readonly deps: {
      chains: ChainClients;
      inputs: AggregationInputStore;
      registration: SignerRegistration;
      log: Logger;
      /** The registered service, if any. */
      service(serviceId: string): Service | undefined;
      /** Run `fn` at `due` (cancelled when the aggregator stops). */
      schedule(key: string, due: number, fn: () => Promise<void>): void;
      /** Run `fn` at the chain's next head (or when the wait for one runs out). */
      atNextHead(chain: string, key: string, fn: () => Promise<void>): void;
      running(): boolean;
      /** An announced transaction landed the result of (event id, chain, handler). */
      landed(a: LandingAnnouncement, proof: LandingProof): Promise<void>;
    },
  ) {}

  /** The proof already in hand for a queue (no RPC). */
  known(q: QuorumQueueRow): LandingProof | undefined {
    return this.claims.proof(landingKey(q.event_id, q.chain, q.handler));
  }

  /**
   * Whether a queue's result is on-chain: a proof already found, the transactions peers
   * announced, then (`scan`) the blocks since quorum, up to the newest head (`fresh`) or one
   * looked up in the last 250 ms.
   */
  async find(q: QuorumQueueRow, opts: { scan: boolean; fresh?: boolean }): Promise<LandingState> {
    const key = landingKey(q.event_id, q.chain, q.handler);
    const known = this.claims.proof(key);
    if (known) return { kind: "landed", ...known };
    if (!this.deps.chains.knows(q.chain)) return { kind: "none" };
    let pending = false;
    for (const { hash, call } of this.claims.announced(key)) {
      const check = await this.checkTx(q.chain, {
        hash,
        call,
        handler: q.handler,
        eventId: q.event_id,
        confirmUnmined: true,
      });
      if (check.kind === "landed") {
        this.claims.prove(key, check);
        return check;
      }
      if (check.kind === "pending") pending = true;
    }
    if (opts.scan) {
      const search = { handler: q.handler, eventId: q.event_id };
      const from = this.searchFrom(q);
      const proof = isCosmosChain(q.chain)
        ? await findCosmosLanding(this.deps.chains.cosmos(q.chain), { ...search, fromHeight: from })
        : await this.scanner(q.chain).find({ ...search, fromBlock: from, freshHead: opts.fresh });
      if (proof) {
        this.claims.prove(key, proof);
        return { kind: "landed", ...proof };
      }
    }
    return pending ? { kind: "pending" } : { kind: "none" };
  }

  /**
   * A landing announced by a peer. Checked before anything is believed: the service known, the
   * signed transaction, when carried, hashing to the announced hash (on EVM only), the
   * signature recovering to the signer, the signer registered with the service's manager; then
   * the transaction itself is looked at on-chain (again later while it is pending).
   */
  async receive(a: LandingAnnouncement, from: string): Promise<"accept" | "reject" | "ignore"> {
    if (!this.deps.running()) return "ignore";
    const service = this.deps.service(a.service_id);
    if (!service) return "ignore";
    let call: CarriedCall | undefined;
    if (a.tx_raw !== undefined) {
      call = isCosmosChain(a.chain) ? undefined : carriedCall(a.tx_raw, a.tx_hash);
      if (call === undefined) return "reject";
    }
    if (!(await landingSignedBySigner(a))) return "reject";
    const reg = await this.deps.registration.check(service, a.signer as Address);
    if (!reg.registered) return reg.known ? "reject" : "ignore";
    const key = landingKey(a.event_id, a.chain, a.handler);
    if (!this.claims.add(key, { hash: a.tx_hash, call })) return "accept";
    this.deps.log.debug(
      { event_id: a.event_id, tx_hash: a.tx_hash, signer: a.signer, peer: from },
      "landing announced",
    );
    // nothing can have changed before the chain's next block: the transaction was broadcast a
    // moment ago
    this.deps.atNextHead(a.chain, claimTimer(a), () => this.check(a, call, 0));
    return "accept";
  }

  /** Look at an announced transaction; report it once it landed; again while pending. */
  private async check(
    a: LandingAnnouncement,
    call: CarriedCall | undefined,
    attempt: number,
  ): Promise<void> {
    if (!this.deps.running() || !this.deps.chains.knows(a.chain)) return;
    const key = landingKey(a.event_id, a.chain, a.handler);
    if (this.claims.proof(key)) return;
    // the first look may still find it in the pool: only later ones ask whether the node
    // knows it at all. Those come when the chain is behind (the first look found it unmined):
    // they ask the sender's nonce first, one count for all its transactions, not a receipt each
    const later = attempt > 0;
    const check = await this.checkTx(a.chain, {
      hash: a.tx_hash,
      call,
      handler: a.handler,
      eventId: a.event_id,
      confirmUnmined: later,
      notMinedYet:
        later && call !== undefined && a.tx_raw !== undefined
          ? () => this.usedNonces(a.chain).notMinedYet(a.tx_hash, a.tx_raw as Hex, call.nonce)
          : undefined,
    });
    if (check.kind === "landed") {
      this.claims.prove(key, check);
      await this.deps.landed(a, check);
    } else if (check.kind === "pending" && attempt < MAX_CLAIM_CHECKS) {
      this.deps.schedule(claimTimer(a), Date.now() + 1000 * 2 ** attempt, () =>
        this.check(a, call, attempt + 1),
      );
    }
  }

  /** Look at one transaction on a chain of either family. */
  private checkTx(
    chain: string,
    args: Omit<LandingTxArgs, "hash"> & { hash: string },
  ): Promise<LandingCheck> {
    return isCosmosChain(chain)
      ? checkCosmosLandingTx(this.deps.chains.cosmos(chain), args)
      : checkLandingTx(this.deps.chains.get(chain), { ...args, hash: args.hash as Hex });
  }

  /** The first block a landing of this queue's result can be in, as far as this node knows. */
  private searchFrom(q: QuorumQueueRow): bigint {
    let from = q.quorum_block === null ? 0n : BigInt(q.quorum_block) - LOOKBACK_BLOCKS;
    // a result never lands before its trigger on the same chain
    const input = q.quorum_input_id === null ? undefined : this.deps.inputs.get(q.quorum_input_id);
    if (input) {
      const data = parseTriggerDataText(input.trigger_data);
      if (data.type === "evm_contract_event" && data.chain === q.chain) {
        if (data.log.block_number > from) from = data.log.block_number;
      }
      if (data.type === "cosmos_contract_event" && data.chain === q.chain) {
        if (data.block_height > from) from = data.block_height;
      }
    }
    return from > 0n ? from : 0n;
  }

  private usedNonces(chain: string): UsedNonces {
    return this.perChain(this.nonces, chain, (client) => new UsedNonces(client));
  }

  private scanner(chain: string): LandingScanner {
    return this.perChain(this.scanners, chain, (client) => new LandingScanner(client));
  }

  /** The helper of `chain` kept in `map`, made on first use from the chain's client. */
  private perChain<T>(map: Map<string, T>, chain: string, make: (client: PublicClient) => T): T {
    let helper = map.get(chain);
    if (helper === undefined) {
      helper = make(this.deps.chains.get(chain));
      map.set(chain, helper);
    }
    return helper;
  }
}
