/** Triggers: EVM logs, block intervals and cron schedules, with catch-up and reorg handling. */
export {
  BlockIntervalAnchors,
  blockIntervalFiresAt,
  blockIntervalHeights,
} from "./block-interval.js";
export type { ChainWatcherStatus, HeadMode } from "./chain-follower.js";
export {
  type CommittedTx,
  ContractQueryError,
  type CosmosEvent,
  type CosmosRpc,
  contractAddressOf,
  cosmosRpcFor,
  createCosmosRpc,
} from "./cosmos-rpc.js";
export {
  CronScheduler,
  compileCronSchedule,
  DEFAULT_CRON_CATCH_UP_LIMIT,
} from "./cron-trigger.js";
export { DEFAULT_MAX_LOG_RANGE, EvmChainWatcher } from "./evm-chain-watcher.js";
export {
  type BlockHeader,
  createEvmRpc,
  type EvmRpc,
  type EvmRpcOptions,
  type LogFilter,
  type RpcLog,
} from "./evm-rpc.js";
export { type RpcEndpoint, RpcResponseError, wsEndpoint } from "./rpc-endpoint.js";
export type {
  ServiceUriUpdatedHandler,
  TriggerEvent,
  TriggerEventHandler,
} from "./trigger-event.js";
export { benchTriggerLookup, SERVICE_URI_UPDATED_TOPIC, TriggerIndex } from "./trigger-index.js";
export {
  type ChainHealth,
  createTriggerManager,
  type TriggerManager,
  type TriggerManagerOptions,
} from "./trigger-manager.js";
