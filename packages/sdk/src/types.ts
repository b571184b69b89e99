// TypeScript shapes of the WAVS 2.6 WIT values, in the representation jco and componentize-js
// use on both sides of the component boundary: records become camelCase objects, variants
// `{ tag, val }`, u64/s64 bigint, list<u8> Uint8Array, option<T> `T | undefined`, and
// result<T, E> is returned as T or thrown as E. Field order mirrors the WIT for easy review.

/** A variant case without a payload. */
export interface Case<T extends string> {
  tag: T;
}

/** A variant case with a payload. */
export interface CaseOf<T extends string, V> {
  tag: T;
  val: V;
}

// ---- wavs:types/core ----

/** `wavs:types/core.digest`: a component digest as a hex string. */
export type Digest = string;

/** `wavs:types/core.timestamp`: nanoseconds since the Unix epoch. */
export interface Timestamp {
  nanos: bigint;
}

/** `wavs:types/core.duration`: whole seconds. */
export interface Duration {
  secs: bigint;
}

/** `wavs:types/core.u128`: `value[0]` holds the low 64 bits, `value[1]` the high 64 bits. */
export interface U128 {
  value: [bigint, bigint];
}

/** `wavs:types/core.log-level`. */
export type LogLevel = Case<"error"> | Case<"warn"> | Case<"info"> | Case<"debug"> | Case<"trace">;

// ---- wavs:types/chain ----

/** `wavs:types/chain.chain-key`, such as `evm:31337`. */
export type ChainKey = string;
/** 32-byte EVM transaction hash. */
export type EvmTxHash = Uint8Array;
/** Cosmos transaction hash as a string. */
export type CosmosTxHash = string;

/** `wavs:types/chain.any-tx-hash`. */
export type AnyTxHash = CaseOf<"evm", EvmTxHash> | CaseOf<"cosmos", CosmosTxHash>;

/** `wavs:types/chain.cosmos-address`. */
export interface CosmosAddress {
  bech32Addr: string;
  prefixLen: number;
}

/** `wavs:types/chain.cosmos-event`. */
export interface CosmosEvent {
  ty: string;
  attributes: Array<[string, string]>;
}

/** `wavs:types/chain.cosmos-chain-config`. */
export interface CosmosChainConfig {
  chainId: string;
  rpcEndpoint?: string | undefined;
  grpcEndpoint?: string | undefined;
  grpcWebEndpoint?: string | undefined;
  gasPrice: number;
  gasDenom: string;
  bech32Prefix: string;
}

/** `wavs:types/chain.evm-address`: 20 raw bytes. */
export interface EvmAddress {
  rawBytes: Uint8Array;
}

/** `wavs:types/chain.evm-event-log-data`. */
export interface EvmEventLogData {
  topics: Uint8Array[];
  data: Uint8Array;
}

/** `wavs:types/chain.evm-event-log`. */
export interface EvmEventLog {
  address: EvmAddress;
  data: EvmEventLogData;
  txHash: EvmTxHash;
  blockNumber: bigint;
  logIndex: bigint;
  blockHash: Uint8Array;
  blockTimestamp?: bigint | undefined;
  txIndex: bigint;
}

/** `wavs:types/chain.evm-chain-config`. */
export interface EvmChainConfig {
  chainId: string;
  wsEndpoints: string[];
  httpEndpoint?: string | undefined;
}

// ---- wavs:types/events ----

/** 20-byte event id. */
export type EventId = Uint8Array;

/** `trigger-data-evm-contract-event`. */
export interface TriggerDataEvmContractEvent {
  chain: ChainKey;
  log: EvmEventLog;
}

/** `trigger-data-cosmos-contract-event`. */
export interface TriggerDataCosmosContractEvent {
  contractAddress: CosmosAddress;
  chain: ChainKey;
  event: CosmosEvent;
  eventIndex: bigint;
  blockHeight: bigint;
}

/** `trigger-data-block-interval`. */
export interface TriggerDataBlockInterval {
  chain: ChainKey;
  blockHeight: bigint;
}

/** `trigger-data-cron`. */
export interface TriggerDataCron {
  triggerTime: Timestamp;
}

/** `trigger-data-atproto-event`. */
export interface TriggerDataAtprotoEvent {
  sequence: bigint;
  timestamp: bigint;
  repo: string;
  collection: string;
  rkey: string;
  action: string;
  cid?: string | undefined;
  recordData?: string | undefined;
  rev?: string | undefined;
  opIndex?: number | undefined;
}

/** `trigger-data-hypercore-append`. */
export interface TriggerDataHypercoreAppend {
  feedKey: string;
  index: bigint;
  data: Uint8Array;
}

/** `wavs:types/events.trigger-data`: what fired the trigger. */
export type TriggerData =
  | CaseOf<"evm-contract-event", TriggerDataEvmContractEvent>
  | CaseOf<"cosmos-contract-event", TriggerDataCosmosContractEvent>
  | CaseOf<"block-interval", TriggerDataBlockInterval>
  | CaseOf<"cron", TriggerDataCron>
  | CaseOf<"atproto-event", TriggerDataAtprotoEvent>
  | CaseOf<"hypercore-append", TriggerDataHypercoreAppend>
  | CaseOf<"raw", Uint8Array>;

// ---- wavs:types/service ----

/** The 64-hex service id. */
export type ServiceId = string;
/** Workflow id within a service. */
export type WorkflowId = string;
/** Registry package reference. */
export type PackageRef = string;
/** Semver version string. */
export type SemverVersion = string;

/** `service-status`. */
export type ServiceStatus = Case<"active"> | Case<"paused">;

/** `evm-manager`. */
export interface EvmManager {
  chain: ChainKey;
  address: EvmAddress;
}

/** `cosmos-manager`. */
export interface CosmosManager {
  chain: ChainKey;
  address: CosmosAddress;
}

/** `service-manager`. */
export type ServiceManager = CaseOf<"evm", EvmManager> | CaseOf<"cosmos", CosmosManager>;

/** `component-source-download`. */
export interface ComponentSourceDownload {
  uri: string;
  digest: Digest;
}

/** `registry`. */
export interface Registry {
  digest: Digest;
  domain?: string | undefined;
  version?: SemverVersion | undefined;
  pkg: PackageRef;
}

/** `component-source`. */
export type ComponentSource =
  | CaseOf<"download", ComponentSourceDownload>
  | CaseOf<"registry", Registry>
  | CaseOf<"digest", Digest>;

/** `allowed-host-permission`. */
export type AllowedHostPermission = Case<"all"> | CaseOf<"only", string[]> | Case<"none">;

/** `permissions`. */
export interface Permissions {
  allowedHttpHosts: AllowedHostPermission;
  fileSystem: boolean;
  rawSockets: boolean;
  dnsResolution: boolean;
}

/** `component`: a workflow's component settings. */
export interface Component {
  source: ComponentSource;
  permissions: Permissions;
  fuelLimit?: bigint | undefined;
  timeLimitSeconds?: bigint | undefined;
  config: Array<[string, string]>;
  envKeys: string[];
}

/** `trigger-evm-contract-event`. */
export interface TriggerEvmContractEvent {
  address: EvmAddress;
  chain: ChainKey;
  eventHash: Uint8Array;
}

/** `trigger-cosmos-contract-event`. */
export interface TriggerCosmosContractEvent {
  address: CosmosAddress;
  chain: ChainKey;
  eventType: string;
}

/** `trigger-block-interval`. */
export interface TriggerBlockInterval {
  chain: ChainKey;
  nBlocks: number;
  startBlock?: bigint | undefined;
  endBlock?: bigint | undefined;
}

/** `trigger-cron`. */
export interface TriggerCron {
  schedule: string;
  startTime?: Timestamp | undefined;
  endTime?: Timestamp | undefined;
}

/** `trigger-atproto-event`. */
export interface TriggerAtprotoEvent {
  collection: string;
  repoDid?: string | undefined;
  action?: string | undefined;
}

/** `trigger-hypercore-append`. */
export interface TriggerHypercoreAppend {
  feedKey: string;
}

/** `wavs:types/service.trigger`: how a workflow is triggered. */
export type Trigger =
  | CaseOf<"evm-contract-event", TriggerEvmContractEvent>
  | CaseOf<"cosmos-contract-event", TriggerCosmosContractEvent>
  | CaseOf<"block-interval", TriggerBlockInterval>
  | CaseOf<"cron", TriggerCron>
  | CaseOf<"atproto-event", TriggerAtprotoEvent>
  | CaseOf<"hypercore-append", TriggerHypercoreAppend>
  | Case<"manual">;

/** `signature-algorithm`. */
export type SignatureAlgorithm = Case<"secp256k1">;
/** `signature-prefix`. */
export type SignaturePrefix = Case<"eip191">;

/** `signature-kind`. */
export interface SignatureKind {
  algorithm: SignatureAlgorithm;
  prefix?: SignaturePrefix | undefined;
}

/** `aggregator-submit`. */
export interface AggregatorSubmit {
  component: Component;
  signatureKind: SignatureKind;
}

/** `submit`. */
export type Submit = Case<"none"> | CaseOf<"aggregator", AggregatorSubmit>;

/** `workflow`. */
export interface Workflow {
  trigger: Trigger;
  component: Component;
  submit: Submit;
}

/** `service`. */
export interface Service {
  name: string;
  workflows: Array<[WorkflowId, Workflow]>;
  status: ServiceStatus;
  manager: ServiceManager;
}

/** `service-and-workflow-id`: what `host.getService()` returns. */
export interface ServiceAndWorkflowId {
  service: Service;
  workflowId: WorkflowId;
}

/** `workflow-and-workflow-id`: what `host.getWorkflow()` returns. */
export interface WorkflowAndWorkflowId {
  workflow: Workflow;
  workflowId: WorkflowId;
}

// ---- wavs:operator ----

/** `wavs:operator/input.trigger-config`. */
export interface TriggerConfig {
  serviceId: ServiceId;
  workflowId: WorkflowId;
  trigger: Trigger;
}

/** `wavs:operator/input.trigger-action`: the argument of an operator component's `run`. */
export interface TriggerAction {
  config: TriggerConfig;
  data: TriggerData;
}

/** `wavs:operator/output.wasm-response`: one result of `run`. */
export interface WasmResponse {
  payload: Uint8Array;
  ordering?: bigint | undefined;
  eventIdSalt?: Uint8Array | undefined;
}

// ---- wavs:aggregator ----

/** `wavs:aggregator/input.aggregator-input`. */
export interface AggregatorInput {
  triggerAction: TriggerAction;
  operatorResponse: WasmResponse;
}

/** `timer-action`: call `handle-timer-callback` after the delay. */
export interface TimerAction {
  delay: Duration;
}

/** `evm-submit-action`. */
export interface EvmSubmitAction {
  chain: ChainKey;
  address: EvmAddress;
  gasPrice?: U128 | undefined;
}

/** `cosmos-submit-action`. */
export interface CosmosSubmitAction {
  chain: ChainKey;
  address: CosmosAddress;
  gasPrice?: U128 | undefined;
}

/** `submit-action`. */
export type SubmitAction = CaseOf<"evm", EvmSubmitAction> | CaseOf<"cosmos", CosmosSubmitAction>;

/** `aggregator-action`: what an aggregator component asks the node to do. */
export type AggregatorAction = CaseOf<"timer", TimerAction> | CaseOf<"submit", SubmitAction>;

/** The `tx-result` argument of `handle-submit-callback` (result<any-tx-hash, string>). */
export type TxResult = CaseOf<"ok", AnyTxHash> | CaseOf<"err", string>;

// ---- wasi:keyvalue/store ----

/** `wasi:keyvalue/store.error`, thrown by keyvalue calls. */
export type KeyValueError = Case<"no-such-store"> | Case<"access-denied"> | CaseOf<"other", string>;

/** `wasi:keyvalue/store.key-response`. */
export interface KeyResponse {
  keys: string[];
  cursor?: string | undefined;
}

// ---- component exports ----

/** The export an operator-world component module must provide. */
export interface OperatorExports {
  /** Thrown values become the `err` string of the result. */
  run(triggerAction: TriggerAction): WasmResponse[];
}

/** The exports an aggregator-world component module must provide. */
export interface AggregatorExports {
  processInput(input: AggregatorInput): AggregatorAction[];
  handleTimerCallback(input: AggregatorInput): AggregatorAction[];
  handleSubmitCallback(input: AggregatorInput, txResult: TxResult): void;
}
