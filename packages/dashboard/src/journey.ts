/**
 * An event's journey as one timeline, put together from what each operator's node recorded:
 * the trigger seen, each execution and signature, the signatures each node received over
 * gossip, quorum, the transaction sent and mined (and by whom, with takeovers), and
 * disagreements. Pure: the event page renders it, tests check it.
 */
import type { Aggregation, EventAnswer, Execution } from "./types.js";

/** What one node said about the event, with who runs it. */
export interface NodeView {
  /** How the page names the node (its URL, or "this node"). */
  node: string;
  /** The address this node signs the event's service with, when known. */
  signer: string | null;
  answer: EventAnswer;
}

/** The kinds of step, in the order they happen for one operator. */
export const STEP_KINDS = [
  "trigger",
  "execution",
  "signed",
  "received",
  "disagreement",
  "quorum",
  "tx-sent",
  "takeover",
  "tx-mined",
  "landed",
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** One line of the timeline. */
export interface Step {
  /** ms since the Unix epoch. */
  at: number;
  kind: StepKind;
  node: string;
  title: string;
  detail: string;
  /** false for failures (a failed execution, a reverted transaction, a disagreement). */
  ok: boolean;
}

/** Where an envelope's signers stand: one entry per distinct envelope signed for the event. */
export interface EnvelopeGroup {
  envelope_hash: string;
  signers: string[];
}

/** The whole journey. */
export interface Journey {
  steps: Step[];
  /** Distinct envelopes and who signed each: more than one means the operators disagree. */
  envelopes: EnvelopeGroup[];
  /** Service and workflow, from the first record that names them. */
  serviceId: string | null;
  workflowId: string | null;
}

const lower = (s: string | null | undefined) => (s ?? "").toLowerCase();

/** Block, transaction and log of the trigger, from WAVS's trigger-data JSON. */
export function triggerWhere(data: Record<string, unknown> | null): string {
  if (!data) return "";
  const [variant, body] = Object.entries(data)[0] ?? [];
  if (!variant || typeof body !== "object" || body === null) return String(variant ?? "");
  const b = body as Record<string, unknown>;
  const parts = [variant];
  if (b.chain !== undefined) parts.push(`on ${String(b.chain)}`);
  if (b.block_number !== undefined) parts.push(`block ${String(b.block_number)}`);
  if (b.block_height !== undefined) parts.push(`height ${String(b.block_height)}`);
  if (b.tx_hash !== undefined) parts.push(`tx ${String(b.tx_hash)}`);
  if (b.log_index !== undefined) parts.push(`log ${String(b.log_index)}`);
  // a Cosmos contract event: its type and its position among the block's events
  const event = b.event as { type?: unknown } | undefined;
  if (typeof event?.type === "string") parts.push(event.type);
  if (b.event_index !== undefined) parts.push(`event ${String(b.event_index)}`);
  if (b.trigger_time !== undefined) parts.push(`time ${String(b.trigger_time)}`);
  return parts.join(", ");
}

function executionSteps(node: string, e: Execution): Step[] {
  const steps: Step[] = [
    {
      at: e.queued_at,
      kind: "trigger",
      node,
      title: "trigger seen",
      detail: triggerWhere(e.trigger_data),
      ok: true,
    },
  ];
  if (e.finished_at !== null) {
    const failed = e.status === "failed";
    const fuel = e.fuel_used === null ? "" : `, fuel ${e.fuel_used.toLocaleString("en-US")}`;
    steps.push({
      at: e.started_at ?? e.finished_at,
      kind: "execution",
      node,
      title: failed ? "execution failed" : "executed",
      detail: failed
        ? `${e.error_code ?? "error"}: ${e.error_message ?? ""}`
        : `${e.workflow_id} in ${(e.duration_ms ?? 0).toFixed(1)} ms${fuel}`,
      ok: !failed,
    });
  }
  return steps;
}

function aggregationSteps(view: NodeView, a: Aggregation): Step[] {
  const { node } = view;
  const steps: Step[] = [];
  for (const s of a.signers) {
    if (s.origin !== "peer") continue; // its own signature is the "signed" step
    steps.push({
      at: s.received_at,
      kind: "received",
      node,
      title: "signature received",
      detail: `${s.signer} over gossip from peer ${s.peer_id ?? "?"}`,
      ok: true,
    });
  }
  for (const d of a.disagreements) {
    steps.push({
      at: d.received_at,
      kind: "disagreement",
      node,
      title: "disagreement",
      detail: `${d.signer} signed envelope ${d.envelope_hash}, not ${a.envelope_hash}`,
      ok: false,
    });
  }
  if (a.quorum_reached_at !== null) {
    steps.push({
      at: a.quorum_reached_at,
      kind: "quorum",
      node,
      title: "quorum reached",
      detail: `${(a.quorum_signers ?? []).length} signers on ${a.chain} handler ${a.handler}; designated submitter ${a.designated_submitter ?? "-"}`,
      ok: true,
    });
  }
  const tx = a.transaction;
  if (tx?.sent_at) {
    steps.push({
      at: tx.sent_at,
      kind: "tx-sent",
      node,
      title: "transaction sent",
      detail: `${tx.tx_hash ?? "(no hash yet)"} by ${view.signer ?? "this operator"}`,
      ok: true,
    });
    const designated = lower(a.designated_submitter);
    if (designated !== "" && view.signer !== null && designated !== lower(view.signer)) {
      steps.push({
        at: tx.sent_at,
        kind: "takeover",
        node,
        title: "takeover",
        detail: `${view.signer} sent it in place of the designated submitter ${a.designated_submitter}`,
        ok: true,
      });
    }
  }
  if (tx?.mined_at) {
    const reverted = tx.receipt_status === "reverted";
    steps.push({
      at: tx.mined_at,
      kind: "tx-mined",
      node,
      title: reverted ? "transaction reverted" : "transaction mined",
      detail: `${tx.tx_hash ?? "-"} in block ${tx.block_number ?? "-"}, gas ${tx.gas_used ?? "-"}`,
      ok: !reverted,
    });
  }
  if (a.landed_by === "other" && a.landed_at !== null) {
    steps.push({
      at: a.landed_at,
      kind: "landed",
      node,
      title: "landed by another operator",
      detail: `${a.landed_tx_hash ?? "a transaction"}${a.landed_block === null ? "" : ` in block ${a.landed_block}`}`,
      ok: true,
    });
  }
  return steps;
}

/** Put the nodes' records of one event together into one timeline, oldest step first. */
export function buildJourney(views: NodeView[]): Journey {
  const steps: Step[] = [];
  const envelopes = new Map<string, Set<string>>();
  const sign = (hash: string, signer: string) => {
    const set = envelopes.get(hash) ?? new Set<string>();
    envelopes.set(hash, set);
    set.add(lower(signer));
  };
  let serviceId: string | null = null;
  let workflowId: string | null = null;
  for (const view of views) {
    const { answer, node } = view;
    for (const e of answer.executions) {
      serviceId ??= e.service_id;
      workflowId ??= e.workflow_id;
      steps.push(...executionSteps(node, e));
    }
    for (const s of answer.submissions) {
      serviceId ??= s.service_id;
      workflowId ??= s.workflow_id;
      sign(s.envelope_hash, s.signer);
      steps.push({
        at: s.created_at,
        kind: "signed",
        node,
        title: "signed",
        detail: `${s.signer} signed envelope ${s.envelope_hash}`,
        ok: true,
      });
    }
    for (const a of answer.aggregations) {
      serviceId ??= a.service_id;
      workflowId ??= a.workflow_id;
      for (const s of a.signers) sign(a.envelope_hash, s.signer);
      for (const d of a.disagreements) sign(d.envelope_hash, d.signer);
      steps.push(...aggregationSteps(view, a));
    }
  }
  const rank = (kind: StepKind) => STEP_KINDS.indexOf(kind);
  steps.sort((x, y) => x.at - y.at || rank(x.kind) - rank(y.kind));
  return {
    steps,
    envelopes: [...envelopes].map(([envelope_hash, signers]) => ({
      envelope_hash,
      signers: [...signers].sort(),
    })),
    serviceId,
    workflowId,
  };
}
