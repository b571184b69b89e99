/** Chain configs (as in wavs.toml / POST /dev/chains) -> WIT values for host get-*-chain-config. */
import type { WitCosmosChainConfig, WitEvmChainConfig } from "./wit-types.js";

/** An EVM chain's config as the node holds it. */
export interface EvmChainConfigInput {
  chain_id: string;
  ws_endpoints?: readonly string[] | undefined;
  http_endpoint?: string | null | undefined;
}

/** A Cosmos chain's config as the node holds it. */
export interface CosmosChainConfigInput {
  chain_id: string;
  rpc_endpoint?: string | null | undefined;
  grpc_endpoint?: string | null | undefined;
  grpc_web_endpoint?: string | null | undefined;
  gas_price: number;
  gas_denom: string;
  bech32_prefix: string;
}

/** WIT `evm-chain-config` of an EVM chain config. */
export function evmChainConfigToWit(config: EvmChainConfigInput): WitEvmChainConfig {
  return {
    chainId: config.chain_id,
    wsEndpoints: [...(config.ws_endpoints ?? [])],
    httpEndpoint: config.http_endpoint ?? undefined,
  };
}

/** WIT `cosmos-chain-config` of a Cosmos chain config. */
export function cosmosChainConfigToWit(config: CosmosChainConfigInput): WitCosmosChainConfig {
  return {
    chainId: config.chain_id,
    rpcEndpoint: config.rpc_endpoint ?? undefined,
    grpcEndpoint: config.grpc_endpoint ?? undefined,
    grpcWebEndpoint: config.grpc_web_endpoint ?? undefined,
    gasPrice: config.gas_price,
    gasDenom: config.gas_denom,
    bech32Prefix: config.bech32_prefix,
  };
}
