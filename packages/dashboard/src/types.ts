/** The node's JSON answers the dashboard reads (docs/http-api.md), as far as it reads them. */

export interface Info {
  version: string;
  started_at: number;
  uptime_s: number;
  dashboard_peers: string[];
  operator_address: string | null;
  services: { service_id: string; signer: string }[];
  engine: { workers: number; components_warming: number };
}

export interface ChainStream {
  chain: string;
  mode: string;
  healthy: boolean;
  error: string | null;
  head: number | null;
  cursor: number | null;
  lag: number | null;
}

/** An operator a node ranks for a service's results (GET /p2p/status, per topic). */
export interface KnownOperator {
  signer: string;
  last_signed_at: number | null;
  present_at: number | null;
}

export interface P2pStatus {
  enabled: boolean;
  peer_id?: string;
  connected_peers?: unknown[];
  topics?: { service_id: string; peers: number; operators?: KnownOperator[] }[];
  [key: string]: unknown;
}

export interface WorkflowJson {
  trigger: unknown;
  component: {
    source: unknown;
    permissions?: unknown;
    fuel_limit?: number | null;
    time_limit_seconds?: number | null;
    config?: Record<string, string>;
    env_keys?: string[];
  };
  submit: unknown;
  aggregators?: unknown;
}

export interface ServiceJson {
  name: string;
  status: string;
  manager: unknown;
  workflows: Record<string, WorkflowJson>;
}

export interface ServicesAnswer {
  services: ServiceJson[];
  service_ids: string[];
  component_digests: string[];
}

export interface Execution {
  id: number;
  service_id: string;
  workflow_id: string;
  event_id: string;
  trigger_type: string;
  trigger_data: Record<string, unknown> | null;
  status: string;
  error_code: string | null;
  error_message: string | null;
  duration_ms: number | null;
  fuel_used: number | null;
  queued_at: number;
  started_at: number | null;
  finished_at: number | null;
  attempts: number;
  logs: { level: string; source: string; message: string }[];
  responses: { payload_hex: string; ordering: number | null }[];
}

export interface Submission {
  id: number;
  service_id: string;
  workflow_id: string;
  event_id: string;
  envelope_hash: string;
  signer: string;
  created_at: number;
  status: string;
}

export interface Aggregation {
  id: number;
  service_id: string;
  workflow_id: string;
  event_id: string;
  chain: string;
  handler: string;
  status: string;
  envelope_hash: string;
  signers: {
    signer: string;
    origin: "local" | "peer";
    peer_id: string | null;
    received_at: number;
  }[];
  quorum_reached_at: number | null;
  quorum_signers: string[] | null;
  designated_submitter: string | null;
  landed_by: "self" | "other" | null;
  landed_tx_hash: string | null;
  landed_block: number | null;
  landed_at: number | null;
  transaction: {
    tx_hash: string | null;
    status: string;
    receipt_status: string | null;
    gas_used: string | null;
    block_number: number | null;
    error: string | null;
    sent_at: number | null;
    mined_at: number | null;
  } | null;
  disagreements: {
    signer: string;
    envelope_hash: string;
    origin: "local" | "peer";
    peer_id: string | null;
    received_at: number;
  }[];
  notes: string[];
  created_at: number;
}

export interface EventAnswer {
  event_id: string;
  executions: Execution[];
  submissions: Submission[];
  aggregations: Aggregation[];
}

export interface ExecutionStats {
  from: number;
  to: number;
  bucket_s: number;
  buckets: { t: number; succeeded: number; failed: number; avg_ms: number | null }[];
  services: { service_id: string; succeeded: number; failed: number; avg_ms: number | null }[];
}

export interface LogLine {
  seq: number;
  time: number;
  level: number;
  msg: string;
  service_id?: string;
  [key: string]: unknown;
}
