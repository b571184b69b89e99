/**
 * The WIT values components receive, in jco's JS representation (records camelCase, variants
 * `{tag, val}`, u64 as bigint, list<u8> as Uint8Array, option<T> as T | undefined). The shapes
 * are defined once, in @wavs-ts/sdk; they are re-exported here under `Wit*` names so they do
 * not clash with the JSON model's own `Service`, `Trigger`, ... types.
 */
export type {
  AllowedHostPermission as WitAllowedHostPermission,
  Component as WitComponent,
  ComponentSource as WitComponentSource,
  CosmosAddress as WitCosmosAddress,
  CosmosChainConfig as WitCosmosChainConfig,
  CosmosEvent as WitCosmosEvent,
  EvmAddress as WitEvmAddress,
  EvmChainConfig as WitEvmChainConfig,
  EvmEventLog as WitEvmEventLog,
  EvmEventLogData as WitEvmEventLogData,
  Permissions as WitPermissions,
  Service as WitService,
  ServiceAndWorkflowId as WitServiceAndWorkflowId,
  ServiceManager as WitServiceManager,
  ServiceStatus as WitServiceStatus,
  SignatureKind as WitSignatureKind,
  Submit as WitSubmit,
  Timestamp as WitTimestamp,
  Trigger as WitTrigger,
  TriggerAction as WitTriggerAction,
  TriggerConfig as WitTriggerConfig,
  TriggerData as WitTriggerData,
  Workflow as WitWorkflow,
  WorkflowAndWorkflowId as WitWorkflowAndWorkflowId,
} from "@wavs-ts/sdk";
