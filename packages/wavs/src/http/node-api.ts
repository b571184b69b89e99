/**
 * What the HTTP server asks of the node. The server only parses requests, calls these methods
 * and renders their results; the node implements them. Methods signal expected failures by
 * throwing a WavsError (unknown service -> a 404 code, already registered -> a 409 code, chain
 * or download failure -> a 502/504 code); the server maps the code to the HTTP status.
 */
import type { Service, ServiceManager, TriggerData } from "../service/index.js";

/** One execution of a workflow, as listed by GET /services/{service_id}/executions. */
export interface ExecutionRecord {
  /** Increasing id; pass it as `before` to page back. */
  id: number;
  service_id: string;
  workflow_id: string;
  /** Hex event id of the trigger that caused it. */
  event_id: string;
  /** Trigger variant name, e.g. `evm_contract_event`, `cron`, `manual`. */
  trigger_type: string;
  status: "queued" | "running" | "succeeded" | "failed";
  /** WAVS error code when it failed. */
  error_code: string | null;
  error_message: string | null;
  duration_ms: number | null;
  /** Milliseconds since the Unix epoch. */
  started_at: number | null;
  /** Milliseconds since the Unix epoch. */
  finished_at: number | null;
  logs: { level: string; source: string; message: string }[];
  responses: { payload_hex: string; ordering: number | null; event_id_salt: string | null }[];
}

/** One signed submission, as listed by GET /services/{service_id}/submissions. */
export interface SubmissionRecord {
  /** Increasing id; pass it as `before` to page back. */
  id: number;
  service_id: string;
  workflow_id: string;
  event_id: string;
  /** 0x-hex hash of the signed envelope. */
  envelope_hash: string;
  /** 0x EVM address of the signing key. */
  signer: string;
  /** 0x-hex signature. */
  signature: string;
  /** Milliseconds since the Unix epoch. */
  created_at: number;
  /** Where the submission stands, e.g. `signed`, `submitted`, `failed`. */
  status: string;
}

/** A /dev/triggers request after validation. */
export interface FireTriggerRequest {
  serviceId: string;
  workflowId: string;
  /** The parsed Trigger when the request named one. */
  trigger?: unknown;
  data: TriggerData;
  /** How many times to fire (at least 1). */
  count: number;
  /** Resolve only after every execution finished (the result is then returned as JSON). */
  waitForCompletion: boolean;
}

/** The operations of the node that the HTTP API exposes. */
export interface NodeApi {
  listServices(): Promise<{
    services: Service[];
    serviceIds: string[];
    componentDigests: string[];
  }>;
  /** The registered service of this manager; WavsError with a 404 code when unknown. */
  getService(manager: ServiceManager): Promise<Service>;
  addService(manager: ServiceManager): Promise<void>;
  removeServices(managers: ServiceManager[]): Promise<void>;
  signer(manager: ServiceManager): Promise<{ hdIndex: number; evmAddress: string }>;
  /** Health per chain key. */
  health(): Promise<Record<string, { ok: true } | { ok: false; error: string }>>;
  info(): Promise<{
    version: string;
    operatorAddress: string | null;
    services: { serviceId: string; signer: string }[];
  }>;
  uploadComponent(bytes: Uint8Array): Promise<{ digest: string }>;
  storeDevService(json: unknown): Promise<{ hash: string }>;
  /** The stored dev service JSON; WavsError with a 404 code when unknown. */
  getDevService(hash: string): Promise<unknown>;
  addDevService(hash: string): Promise<void>;
  fireTrigger(req: FireTriggerRequest): Promise<unknown>;
  /** The value, or undefined when the key is not set. */
  getKv(serviceId: string, bucket: string, key: string): Promise<Uint8Array | undefined>;
  addChain(chain: string, config: unknown): Promise<void>;
  /** Newest first; only ids below `before` when given. */
  listExecutions(
    serviceId: string,
    opts: { limit: number; before?: number },
  ): Promise<ExecutionRecord[]>;
  /** Newest first; only ids below `before` when given. */
  listSubmissions(
    serviceId: string,
    opts: { limit: number; before?: number },
  ): Promise<SubmissionRecord[]>;
  p2pStatus(): Promise<unknown>;
}
