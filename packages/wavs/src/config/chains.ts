/** Chain lookups on a loaded config, by chain key (`evm:31337`, `cosmos:wasmd-1`). */

import { WavsError } from "../internal/index.js";
import { describeValue, isJsonObject, parseChainKey, parseOrThrow } from "../service/index.js";
import type { WitCosmosChainConfig, WitEvmChainConfig } from "../wit/index.js";
import { cosmosChainConfigToWit, evmChainConfigToWit } from "../wit/index.js";
import {
  type CosmosChainConfig,
  CosmosChainConfigSchema,
  type EvmChainConfig,
  EvmChainConfigSchema,
  type WavsConfig,
} from "./schema.js";

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

/**
 * Add a chain to a running node's config (POST /dev/chains): `body` is `{"type": "evm",
 * chain_id?, ws_endpoints, http_endpoint, ...}` or `{"type": "cosmos", ...}` with the fields of
 * the wavs.toml table. Mutates `config.chains` and `wit` (the parts read them on use). Returns
 * false when the same chain is configured already with the same settings; a chain configured
 * with other settings is refused (409), never replaced under running watchers.
 */
export function addChain(
  config: WavsConfig,
  wit: WitChainConfigs,
  key: string,
  body: unknown,
): boolean {
  const { namespace, id } = parseChainKey(key);
  if (!isJsonObject(body) || (body.type !== "evm" && body.type !== "cosmos")) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `config.type: expected "evm" or "cosmos", found ${describeValue(isJsonObject(body) ? body.type : body)}`,
    );
  }
  if (body.type !== namespace) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `config.type: ${describeValue(body.type)} does not match the chain key ${describeValue(key)}`,
    );
  }
  const { type: _type, chain_id: chainId, ...table } = body;
  if (namespace === "evm" && chainId !== undefined && String(chainId) !== id) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `config.chain_id: ${describeValue(chainId)} differs from the chain key's id ${describeValue(id)}`,
    );
  }
  const options = {
    subject: "chain config",
    hint: "Give the fields of a [default.chains.<namespace>.<id>] table of wavs.toml.",
  };
  const parsed =
    namespace === "evm"
      ? parseOrThrow(EvmChainConfigSchema, table, "WAVS_ERR_INPUT_INVALID", options)
      : parseOrThrow(
          CosmosChainConfigSchema,
          chainId === undefined ? table : { ...table, chain_id: chainId },
          "WAVS_ERR_INPUT_INVALID",
          options,
        );
  const existing = chainConfig(config, key);
  if (existing !== undefined) {
    if (JSON.stringify(existing) === JSON.stringify(parsed)) return false;
    throw new WavsError(
      "WAVS_ERR_CHAIN_ALREADY_CONFIGURED",
      `chain ${key} is configured already, with other settings`,
      { hint: "Change a configured chain in wavs.toml and restart the node." },
    );
  }
  if (namespace === "evm") {
    const evm = parsed as EvmChainConfig;
    config.chains.evm[id] = evm;
    wit.evm[key] = evmChainConfigToWit({ chain_id: id, ...evm });
  } else if (namespace === "cosmos") {
    const cosmos = parsed as CosmosChainConfig;
    config.chains.cosmos[id] = cosmos;
    wit.cosmos[key] = cosmosChainConfigToWit({ ...cosmos, chain_id: cosmos.chain_id ?? id });
  }
  return true;
}
