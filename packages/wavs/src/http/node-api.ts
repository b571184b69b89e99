/**
 * What the HTTP server asks of the node. The server only parses requests, calls these methods
 * and renders their results; the node implements them. Methods signal expected failures by
 * throwing a WavsError (unknown service -> a 404 code, already registered -> a 409 code, chain
 * or download failure -> a 502/504 code); the server maps the code to the HTTP status.
 */
import type { LogEntry, LogFilter } from "../internal/index.js";
import type { Service, ServiceManager, TriggerData } from "../service/index.js";
import type { ServiceFile } from "../store/index.js";

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
  /** The trigger data in WAVS's JSON form (chain, block, transaction and log of an EVM event). */
  trigger_data: unknown;
  status: "queued" | "running" | "succeeded" | "failed";
  /** WAVS error code when it failed. */
  error_code: string | null;
  error_message: string | null;
  duration_ms: number | null;
  /** Fuel the run used; null when the component's code is not metered or it did not run. */
  fuel_used: number | null;
  /** When the trigger was recorded (ms since the Unix epoch). */
  queued_at: number;
  /** Milliseconds since the Unix epoch. */
  started_at: number | null;
  /** Milliseconds since the Unix epoch. */
  finished_at: number | null;
  /** Runs so far (more than 1 after a restart interrupted one). */
  attempts: number;
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

/** Where a signature came from: this node's own execution, or a peer (with its P2P id). */
export interface SignatureOrigin {
  origin: "local" | "peer";
  /** The peer's libp2p id when `origin` is `peer`, else null. */
  peer_id: string | null;
}

/**
 * One event's aggregation towards one handler, as listed by
 * GET /services/{service_id}/aggregations: who signed and when, quorum, the designated
 * submitter, who landed it, and notes saying why it waits or failed.
 */
export interface AggregationRecord {
  /** Increasing id; pass it as `before` to page back. */
  id: number;
  service_id: string;
  workflow_id: string;
  event_id: string;
  /** Submit chain key, e.g. `evm:31337`. */
  chain: string;
  /** The service handler the result is submitted to (0x address, or bech32 on Cosmos). */
  handler: string;
  /** `collecting` (waiting for quorum), `quorum` (submitting), `failed` (last attempt failed), `burned` (landed). */
  status: string;
  /** keccak256(abi.encode(envelope)) of the envelope this record collects signatures for. */
  envelope_hash: string;
  /** Signatures over that envelope, in order of arrival. */
  signers: ({ signer: string; received_at: number } & SignatureOrigin)[];
  /** Milliseconds since the Unix epoch. */
  quorum_reached_at: number | null;
  /** The signers whose signatures reached quorum. */
  quorum_signers: string[] | null;
  /** The signer chosen to send the result transaction. */
  designated_submitter: string | null;
  /** `self` when this node's transaction landed it, `other` when another operator's did. */
  landed_by: "self" | "other" | null;
  /** The transaction that landed it, when this node knows it (always when `landed_by` is `self`). */
  landed_tx_hash: string | null;
  landed_block: number | null;
  /** When this node learned that it landed (ms since the Unix epoch). */
  landed_at: number | null;
  /** This node's own result transaction, if it sent (or tried to send) one. */
  transaction: {
    tx_hash: string | null;
    hashes: string[];
    status: string;
    receipt_status: string | null;
    gas_used: string | null;
    block_number: number | null;
    nonce: number | null;
    error: string | null;
    sent_at: number | null;
    mined_at: number | null;
  } | null;
  /** Valid submissions for the same event whose envelope differs: operators that disagree. */
  disagreements: ({
    signer: string;
    envelope_hash: string;
    received_at: number;
  } & SignatureOrigin)[];
  /** Why it waits or failed, newest knowledge first (empty when there is nothing to say). */
  notes: string[];
  created_at: number;
  updated_at: number;
}

/** Everything this node knows of one event, as GET /events/{event_id} shows it. */
export interface EventRecord {
  event_id: string;
  /** This node's executions of it (one per workflow it triggered). */
  executions: ExecutionRecord[];
  /** What this node signed for it. */
  submissions: SubmissionRecord[];
  /** Its aggregations (one per handler): every operator's signature as it arrived, quorum, the transaction. */
  aggregations: AggregationRecord[];
}

/** Finished executions counted over time, as GET /stats/executions shows them. */
export interface ExecutionStats {
  /** Start of the first bucket and end of the window (ms since the Unix epoch). */
  from: number;
  to: number;
  bucket_s: number;
  /** One entry per bucket, oldest first, empty buckets included. */
  buckets: { t: number; succeeded: number; failed: number; avg_ms: number | null }[];
  /** Totals over the window per service. */
  services: { service_id: string; succeeded: number; failed: number; avg_ms: number | null }[];
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

/** One trigger stream: a chain the node watches for triggers. */
export interface TriggerStreamInfo {
  chain: string;
  /** How heads arrive: a WebSocket subscription or HTTP polling. */
  mode: string;
  healthy: boolean;
  error: string | null;
  /** Latest head seen. */
  head: number | null;
  /** Last block fully processed. */
  cursor: number | null;
  /** Blocks between the head and the cursor. */
  lag: number | null;
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
    /** When the node started (ms since the Unix epoch). */
    startedAt: number;
    /** Other operators' HTTP API URLs shown on the dashboard (config `dashboard_peers`). */
    dashboardPeers: string[];
    operatorAddress: string | null;
    services: { serviceId: string; signer: string }[];
    /** Engine workers, and components still loading ahead of their first use. */
    engine: { workers: number; warming: number };
    /** Which implementations sign, recover and hash: native addons, or JavaScript. */
    crypto: { secp256k1: "native" | "js"; keccak: "native" | "js" };
  }>;
  uploadComponent(bytes: Uint8Array): Promise<{ digest: string }>;
  storeDevService(json: unknown): Promise<{ hash: string }>;
  /** The stored dev service JSON; WavsError with a 404 code when unknown. */
  getDevService(hash: string): Promise<unknown>;
  addDevService(hash: string): Promise<void>;
  fireTrigger(req: FireTriggerRequest): Promise<unknown>;
  /** The value, or undefined when the key is not set. */
  getKv(serviceId: string, bucket: string, key: string): Promise<Uint8Array | undefined>;
  /** Add a chain to the running node; false when it was configured already, the same. */
  addChain(chain: string, config: unknown): Promise<boolean>;
  /** Pause or resume a registered service; WavsError with a 404 code when unknown. */
  setServiceStatus(serviceId: string, status: "active" | "paused"): Promise<void>;
  /** Keys a service stored, in (bucket, key) byte order, a page at a time. */
  listKv(
    serviceId: string,
    opts: { cursor?: string | undefined; limit: number },
  ): Promise<{ keys: { bucket: string; key: string }[]; cursor: string | null }>;
  /** A file, or a directory's entries, under a service's file-system root. */
  readServiceFile(serviceId: string, path: string): Promise<ServiceFile>;
  /** Recent log lines passing `filter`, oldest first; undefined when logs are not captured. */
  logs(filter: LogFilter, limit: number): Promise<LogEntry[] | undefined>;
  /** Follow new log lines; returns the unsubscribe function, undefined when not captured. */
  followLogs(listener: (entry: LogEntry) => void): (() => void) | undefined;
  /** What each trigger stream (chain watcher) is doing. */
  triggerStreams(): Promise<TriggerStreamInfo[]>;
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
  /** Newest first; only ids below `before` when given. WavsError with a 404 code when unknown. */
  listAggregations(
    serviceId: string,
    opts: { limit: number; before?: number },
  ): Promise<AggregationRecord[]>;
  /** What this node knows of one event (empty lists when nothing). */
  event(eventId: string): Promise<EventRecord>;
  /** Finished executions of the last `windowS` seconds in `bucketS` buckets. */
  executionStats(opts: { windowS: number; bucketS: number }): Promise<ExecutionStats>;
  p2pStatus(): Promise<unknown>;
}
