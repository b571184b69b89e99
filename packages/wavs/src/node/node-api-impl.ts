import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { keccakBackend, secp256k1Backend } from "@wavs-ts/contracts";
import type { AggregationRecord as StoredAggregation } from "../aggregator/index.js";
import { addChain, redactUrlsInText } from "../config/index.js";
import type {
  AggregationRecord,
  ExecutionRecord,
  FireTriggerRequest,
  NodeApi,
  SignatureOrigin,
  SubmissionRecord,
} from "../http/index.js";
import { WavsError } from "../internal/index.js";
import type { Trigger } from "../service/index.js";
import type { ExecutionRow, SubmissionRow } from "../store/index.js";
import {
  AggregationInputStore,
  ComponentStore,
  type OtherEnvelopeRow,
  readServiceFile,
} from "../store/index.js";
import { executionStats } from "./execution-stats.js";
import type { NodeParts } from "./wavs-node.js";

function executionRecord(row: ExecutionRow): ExecutionRecord {
  return {
    id: row.id,
    service_id: row.service_id,
    workflow_id: row.workflow_id,
    event_id: row.event_id ?? row.trigger_key,
    trigger_type: row.trigger_type,
    trigger_data: row.trigger_data,
    status: row.status,
    error_code: row.error_code,
    error_message: row.error_message,
    duration_ms: row.duration_ms,
    fuel_used: row.fuel_used,
    queued_at: row.queued_at,
    started_at: row.started_at,
    finished_at: row.finished_at,
    attempts: row.attempts,
    logs: row.logs,
    responses: row.responses.map((r) => ({
      payload_hex: r.payload_hex,
      ordering: r.ordering === null ? null : Number(r.ordering),
      event_id_salt: r.event_id_salt,
    })),
  };
}

function submissionRecord(s: SubmissionRow): SubmissionRecord {
  return {
    id: s.id,
    service_id: s.service_id,
    workflow_id: s.workflow_id,
    event_id: s.event_id,
    envelope_hash: s.envelope_hash,
    signer: s.signer,
    signature: s.signature,
    created_at: s.created_at,
    status: s.status,
  };
}

/** `local` or `peer:<id>` (as the aggregator stores it) as the API shows it. */
function signatureOrigin(stored: string): SignatureOrigin {
  return stored.startsWith("peer:")
    ? { origin: "peer", peer_id: stored.slice("peer:".length) }
    : { origin: "local", peer_id: null };
}

/** The aggregator's note for a dissenting signer (already covered by `disagreements`). */
const DISSENT_NOTE = /^signer (0x[0-9a-fA-F]{40}) signed a different envelope/;

/**
 * Why an aggregation waits or failed, in the order to read them: operators that disagree (the
 * usual reason quorum never comes), the latest quorum check or submission problem, this node's
 * transaction trouble, and who is expected to land a result at quorum.
 */
function aggregationNotes(
  r: StoredAggregation,
  dissent: OtherEnvelopeRow[],
  self: string | undefined,
): string[] {
  const notes = dissent.map(
    (d) =>
      `signer ${d.signer} signed a different envelope (${d.envelope_hash}) than ${r.envelope_hash}: the operators disagree and their signatures do not combine`,
  );
  const known = new Set(dissent.map((d) => d.signer.toLowerCase()));
  const lastError = r.last_error;
  const covered = lastError && known.has(DISSENT_NOTE.exec(lastError)?.[1]?.toLowerCase() ?? "");
  if (lastError && !covered) notes.push(lastError);
  const tx = r.transaction;
  if (tx?.error && tx.status !== "mined") notes.push(`this node's transaction: ${tx.error}`);
  if (r.status === "quorum" && tx === null && r.designated_submitter) {
    notes.push(
      self !== undefined && r.designated_submitter.toLowerCase() === self.toLowerCase()
        ? "quorum reached: this node is the designated submitter"
        : `quorum reached: waiting for the designated submitter ${r.designated_submitter} to land it`,
    );
  }
  return notes.map(redactUrlsInText);
}

function aggregationRecord(
  r: StoredAggregation,
  dissent: OtherEnvelopeRow[],
  self: string | undefined,
): AggregationRecord {
  const tx = r.transaction;
  return {
    id: r.id,
    service_id: r.service_id,
    workflow_id: r.workflow_id,
    event_id: r.event_id,
    chain: r.chain,
    handler: r.handler,
    status: r.status,
    envelope_hash: r.envelope_hash,
    signers: r.signers.map((s) => ({
      signer: s.signer,
      ...signatureOrigin(s.origin),
      received_at: s.added_at,
    })),
    quorum_reached_at: r.quorum_reached_at,
    quorum_signers: r.quorum_signers,
    designated_submitter: r.designated_submitter,
    landed_by: r.landed_by === "self" || r.landed_by === "other" ? r.landed_by : null,
    landed_tx_hash: r.landed_tx_hash,
    landed_block: r.landed_block,
    landed_at: r.burned_at,
    transaction: tx
      ? { ...tx, error: tx.error === null ? null : redactUrlsInText(tx.error) }
      : null,
    disagreements: dissent.map((d) => ({
      signer: d.signer,
      envelope_hash: d.envelope_hash,
      ...signatureOrigin(d.origin),
      received_at: d.received_at,
    })),
    notes: aggregationNotes(r, dissent, self),
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

/** The node's implementation of what the HTTP API exposes. */
export function createNodeApi(parts: NodeParts): NodeApi {
  const { registry, engine, dispatcher, executions, submissions, kv, triggers, version } = parts;
  const components = new ComponentStore(parts.db);
  // The aggregator's record keeps one note per queue, which the next quorum re-check
  // overwrites; whether operators disagree is read from the submissions it accepted, which keep
  // every signer's envelope.
  const inputs = new AggregationInputStore(parts.db);
  const startedAt = Date.now();

  function serviceOrThrow(serviceId: string) {
    const entry = registry.get(serviceId);
    if (!entry) {
      throw new WavsError("WAVS_ERR_SERVICE_NOT_FOUND", `service ${serviceId} is not registered`, {
        hint: "GET /services lists the registered services",
      });
    }
    return entry;
  }

  /** History rows, kept after an opt-out; 404 only when the service is unknown and has none. */
  function history<T>(serviceId: string, opts: { before?: number | undefined }, rows: T[]): T[] {
    // an empty later page of a known history is just the end of it
    if (rows.length === 0 && opts.before === undefined) serviceOrThrow(serviceId);
    return rows;
  }

  /** An aggregation as the API shows it, with the notes saying why it waits or failed. */
  function withNotes(r: StoredAggregation): AggregationRecord {
    let self: string | undefined;
    try {
      self = registry.signerAccount(r.service_id).address;
    } catch {
      self = undefined;
    }
    const dissent = inputs.otherEnvelopes({
      serviceId: r.service_id,
      workflowId: r.workflow_id,
      eventId: r.event_id,
      envelopeHash: r.envelope_hash,
    });
    return aggregationRecord(r, dissent, self);
  }

  return {
    async listServices() {
      const entries = registry.list();
      return {
        services: entries.map((e) => e.service),
        serviceIds: entries.map((e) => e.serviceId),
        componentDigests: registry.componentDigests(),
      };
    },
    async getService(manager) {
      const entry = registry.getByManager(manager);
      if (!entry) {
        throw new WavsError(
          "WAVS_ERR_SERVICE_NOT_FOUND",
          `no service is registered for manager ${manager.address} on ${manager.chain}`,
        );
      }
      return entry.service;
    },
    async addService(manager) {
      await registry.add(manager);
    },
    async removeServices(managers) {
      for (const m of managers) await registry.remove(m);
    },
    async signer(manager) {
      const s = registry.signer(manager);
      return { hdIndex: s.hd_index, evmAddress: s.evm_address };
    },
    async health() {
      const out: Record<string, { ok: true } | { ok: false; error: string }> = {};
      for (const [chain, h] of Object.entries(triggers.chainHealth())) {
        out[chain] = h === "healthy" ? { ok: true } : { ok: false, error: h.unhealthy.error };
      }
      return out;
    },
    async info() {
      return {
        version,
        startedAt,
        dashboardPeers: parts.config.dashboard_peers,
        operatorAddress: registry.operatorAddress() ?? null,
        services: registry
          .signers()
          .map((s) => ({ serviceId: s.service_id, signer: s.evm_address })),
        engine: engine.status(),
        crypto: { secp256k1: secp256k1Backend(), keccak: keccakBackend() },
      };
    },
    async uploadComponent(bytes) {
      const { digest, world } = await engine.register(bytes);
      components.record({
        digest,
        world,
        size: bytes.length,
        firstSource: { upload: null },
        registeredAt: Date.now(),
      });
      return { digest };
    },
    async storeDevService(json) {
      return { hash: registry.storeDevService(json) };
    },
    async getDevService(hash) {
      return registry.getDevService(hash);
    },
    async addDevService(hash) {
      await registry.addDevService(hash);
    },
    async fireTrigger(req: FireTriggerRequest) {
      const entry = serviceOrThrow(req.serviceId);
      const workflow = entry.service.workflows.get(req.workflowId);
      if (!workflow) {
        throw new WavsError(
          "WAVS_ERR_SERVICE_NOT_FOUND",
          `service ${req.serviceId} has no workflow ${req.workflowId}`,
          {
            details: { workflows: [...entry.service.workflows.keys()] },
          },
        );
      }
      const ids: number[] = [];
      for (let i = 0; i < req.count; i++) {
        // a deliberate fire is never a replay: give each its own key
        const id = await dispatcher.enqueue(
          {
            serviceId: req.serviceId,
            workflowId: req.workflowId,
            trigger: (req.trigger as Trigger | undefined) ?? workflow.trigger,
            data: req.data,
          },
          `manual:${randomUUID()}`,
        );
        if (id !== undefined) ids.push(id);
      }
      if (!req.waitForCompletion) return { execution_ids: ids };
      const rows = await Promise.all(ids.map((id) => dispatcher.waitFor(id)));
      return { executions: rows.map(executionRecord) };
    },
    async getKv(serviceId, bucket, key) {
      return kv.get(serviceId, bucket, key);
    },
    async addChain(chain, body) {
      const added = addChain(parts.config, parts.witChains, chain, body);
      if (added) {
        triggers.addChain(chain);
        parts.logger.info({ chain }, "chain added (POST /dev/chains)");
      }
      return added;
    },
    async setServiceStatus(serviceId, status) {
      serviceOrThrow(serviceId);
      await registry.setStatus(serviceId, status);
    },
    async listKv(serviceId, opts) {
      serviceOrThrow(serviceId);
      const page = kv.listAll(serviceId, decodeKvCursor(opts.cursor), opts.limit);
      return {
        keys: page.keys,
        cursor: page.next === undefined ? null : encodeKvCursor(page.next),
      };
    },
    async readServiceFile(serviceId, path) {
      serviceOrThrow(serviceId);
      return readServiceFile(join(parts.config.data, "files", serviceId), path);
    },
    async logs(filter, limit) {
      return parts.logs?.recent(filter, limit);
    },
    followLogs(listener) {
      return parts.logs?.subscribe(listener);
    },
    async triggerStreams() {
      return Object.values(triggers.chainStatus()).map((s) => ({
        chain: s.chain,
        mode: s.mode,
        healthy: s.healthy,
        error: s.error === undefined ? null : redactUrlsInText(s.error),
        head: s.head === undefined ? null : Number(s.head),
        cursor: s.cursor === undefined ? null : Number(s.cursor),
        lag: s.head === undefined || s.cursor === undefined ? null : Number(s.head - s.cursor),
      }));
    },
    async listExecutions(serviceId, opts) {
      return history(serviceId, opts, executions.list(serviceId, opts.limit, opts.before)).map(
        executionRecord,
      );
    },
    async listSubmissions(serviceId, opts) {
      return history(serviceId, opts, submissions.list(serviceId, opts.limit, opts.before)).map(
        submissionRecord,
      );
    },
    async listAggregations(serviceId, opts) {
      return history(serviceId, opts, parts.aggregator.listAggregations(serviceId, opts)).map(
        withNotes,
      );
    },
    async event(eventId) {
      return {
        event_id: eventId,
        executions: executions.byEvent(eventId).map(executionRecord),
        submissions: submissions.byEvent(eventId).map(submissionRecord),
        aggregations: parts.aggregator.eventAggregations(eventId).map(withNotes),
      };
    },
    async executionStats({ windowS, bucketS }) {
      return executionStats(executions, windowS, bucketS, Date.now());
    },
    async p2pStatus() {
      const status = await parts.p2p.status();
      // who each service's results are ranked over: operators that signed or announced themselves
      return {
        ...status,
        topics: status.topics.map((t) => ({
          ...t,
          operators: parts.aggregator.knownOperators(t.service_id),
        })),
      };
    },
  };
}

/** The opaque cursor of GET /dev/kv/{service_id}: where the next page starts. */
function encodeKvCursor(at: { bucket: string; key: string }): string {
  return Buffer.from(JSON.stringify([at.bucket, at.key])).toString("base64url");
}

function decodeKvCursor(cursor: string | undefined): { bucket: string; key: string } | undefined {
  if (cursor === undefined) return undefined;
  try {
    const at = JSON.parse(Buffer.from(cursor, "base64url").toString()) as unknown;
    if (Array.isArray(at) && typeof at[0] === "string" && typeof at[1] === "string")
      return { bucket: at[0], key: at[1] };
  } catch {
    // reported below
  }
  throw new WavsError(
    "WAVS_ERR_INPUT_INVALID",
    "query parameter cursor: not a cursor this route gave",
    {
      hint: "Pass the cursor of the previous page as it is, or none for the first page.",
    },
  );
}
