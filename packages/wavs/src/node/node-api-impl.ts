import { randomUUID } from "node:crypto";
import type {
  ExecutionRecord,
  FireTriggerRequest,
  NodeApi,
  SubmissionRecord,
} from "../http/node-api.js";
import { WavsError } from "../internal/errors.js";
import type { Trigger } from "../service/index.js";
import { ComponentStore } from "../store/component-store.js";
import type { ExecutionRow } from "../store/execution-store.js";
import type { NodeParts } from "./wavs-node.js";

function executionRecord(row: ExecutionRow): ExecutionRecord {
  return {
    id: row.id,
    service_id: row.service_id,
    workflow_id: row.workflow_id,
    event_id: row.trigger_key,
    trigger_type: row.trigger_type,
    status: row.status,
    error_code: row.error_code,
    error_message: row.error_message,
    duration_ms: row.duration_ms,
    started_at: row.started_at,
    finished_at: row.finished_at,
    logs: row.logs,
    responses: row.responses.map((r) => ({
      payload_hex: r.payload_hex,
      ordering: r.ordering === null ? null : Number(r.ordering),
      event_id_salt: r.event_id_salt,
    })),
  };
}

/** The node's implementation of what the HTTP API exposes. */
export function createNodeApi(parts: NodeParts): NodeApi {
  const { registry, engine, dispatcher, executions, submissions, kv, triggers, version } = parts;
  const components = new ComponentStore(parts.db);

  function serviceOrThrow(serviceId: string) {
    const entry = registry.get(serviceId);
    if (!entry) {
      throw new WavsError("WAVS_ERR_SERVICE_NOT_FOUND", `service ${serviceId} is not registered`, {
        hint: "GET /services lists the registered services",
      });
    }
    return entry;
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
        operatorAddress: registry.operatorAddress() ?? null,
        services: registry
          .signers()
          .map((s) => ({ serviceId: s.service_id, signer: s.evm_address })),
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
    async addChain(chain) {
      throw new WavsError(
        "WAVS_ERR_INPUT_INVALID",
        `chain ${chain} cannot be added to a running node`,
        {
          hint: `add [default.chains.${chain.replace(":", ".")}] to wavs.toml and restart the node; its cursor and services are kept`,
        },
      );
    },
    async listExecutions(serviceId, opts) {
      return executions.list(serviceId, opts.limit, opts.before).map(executionRecord);
    },
    async listSubmissions(serviceId, opts): Promise<SubmissionRecord[]> {
      return submissions.list(serviceId, opts.limit, opts.before).map((s) => ({
        id: s.id,
        service_id: s.service_id,
        workflow_id: s.workflow_id,
        event_id: s.event_id,
        envelope_hash: s.envelope_hash,
        signer: s.signer,
        signature: s.signature,
        created_at: s.created_at,
        status: s.status,
      }));
    },
    async p2pStatus() {
      return parts.p2p.status();
    },
  };
}
