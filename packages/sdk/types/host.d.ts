// Ambient declarations for the imports a WAVS component written in TypeScript may use.
// Shapes follow jco's JS representation of the WIT (see @wavs-ts/sdk's types): records
// camelCase, variants `{ tag, val }`, u64 bigint, list<u8> Uint8Array, option<T> T | undefined,
// result<T, E> returned as T or thrown as E.

/**
 * The inline `host` interface both WAVS worlds import. componentize-js binds it to the bare
 * specifier `"host"`.
 */
declare module "host" {
  import type {
    ChainKey,
    CosmosChainConfig,
    EventId,
    EvmChainConfig,
    LogLevel,
    ServiceAndWorkflowId,
    WorkflowAndWorkflowId,
  } from "@wavs-ts/sdk";

  /** Chain settings of an EVM chain the operator configured, e.g. `evm:31337`. */
  export function getEvmChainConfig(chainKey: ChainKey): EvmChainConfig | undefined;
  /** Chain settings of a Cosmos chain the operator configured. */
  export function getCosmosChainConfig(chainKey: ChainKey): CosmosChainConfig | undefined;
  /** A value of the running component's `config` map. */
  export function configVar(key: string): string | undefined;
  /** Log a message into the node's log, tagged with service, workflow and digest. */
  export function log(level: LogLevel, message: string): void;
  /** The service running this component and the current workflow id. */
  export function getService(): ServiceAndWorkflowId;
  /** The current workflow and its id. */
  export function getWorkflow(): WorkflowAndWorkflowId;
  /**
   * The 20-byte event id. Operator world: the id a response with this salt would get
   * (`salt` may be undefined). Aggregator world: takes no argument and returns the id of the
   * submission being aggregated.
   */
  export function getEventId(salt?: Uint8Array | undefined): EventId;
}
