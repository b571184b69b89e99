/** Chain lookups on a loaded config, by chain key (`evm:31337`, `cosmos:wasmd-1`). */
import { cosmosChainConfigToWit, evmChainConfigToWit } from "../service/chain-config-to-wit.js";
import type { WitCosmosChainConfig, WitEvmChainConfig } from "../service/wit-types.js";
import type { CosmosChainConfig, EvmChainConfig, WavsConfig } from "./schema.js";

/** Chain keys of every configured EVM chain, e.g. `["evm:31337"]`. */
export function evmChainKeys(config: WavsConfig): string[] {
  return Object.keys(config.chains.evm).map((id) => `evm:${id}`);
}

/** Chain keys of every configured Cosmos chain, e.g. `["cosmos:wasmd-1"]`. */
export function cosmosChainKeys(config: WavsConfig): string[] {
  return Object.keys(config.chains.cosmos).map((id) => `cosmos:${id}`);
}

function own<V>(table: Record<string, V>, id: string): V | undefined {
  // Own keys only: a chain id such as `constructor` must not reach Object.prototype.
  return Object.hasOwn(table, id) ? table[id] : undefined;
}

/** The entry of a chain key, or undefined when that chain is not configured. */
export function chainConfig(config: WavsConfig, key: `evm:${string}`): EvmChainConfig | undefined;
export function chainConfig(
  config: WavsConfig,
  key: `cosmos:${string}`,
): CosmosChainConfig | undefined;
export function chainConfig(
  config: WavsConfig,
  key: string,
): EvmChainConfig | CosmosChainConfig | undefined;
export function chainConfig(
  config: WavsConfig,
  key: string,
): EvmChainConfig | CosmosChainConfig | undefined {
  const colon = key.indexOf(":");
  if (colon < 0) return undefined;
  const namespace = key.slice(0, colon);
  const id = key.slice(colon + 1);
  if (namespace === "evm") return own(config.chains.evm, id);
  if (namespace === "cosmos") return own(config.chains.cosmos, id);
  return undefined;
}

/** The WIT chain configs (jco's camelCase records) of all chains, by chain key. */
export interface WitChainConfigs {
  evm: Record<string, WitEvmChainConfig>;
  cosmos: Record<string, WitCosmosChainConfig>;
}

/**
 * Every configured chain as the WIT records `evm-chain-config` / `cosmos-chain-config`, for
 * host.get-evm-chain-config and get-cosmos-chain-config. The chain id is the id part of the
 * chain key, unless a Cosmos chain sets `chain_id`.
 */
export function toWitChainConfigs(config: WavsConfig): WitChainConfigs {
  const evm: Record<string, WitEvmChainConfig> = {};
  for (const [id, chain] of Object.entries(config.chains.evm)) {
    evm[`evm:${id}`] = evmChainConfigToWit({ chain_id: id, ...chain });
  }
  const cosmos: Record<string, WitCosmosChainConfig> = {};
  for (const [id, chain] of Object.entries(config.chains.cosmos)) {
    cosmos[`cosmos:${id}`] = cosmosChainConfigToWit({ ...chain, chain_id: chain.chain_id ?? id });
  }
  return { evm, cosmos };
}
