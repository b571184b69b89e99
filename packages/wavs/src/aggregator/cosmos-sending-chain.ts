/** What sending result transactions on a Cosmos chain takes from its `wavs.toml` table. */
import { chainConfig, type WavsConfig } from "../config/index.js";
import { isCosmosChain } from "../service/index.js";

/** A configured Cosmos chain as the Cosmos transaction manager needs it. */
export interface CosmosSendingChain {
  prefix: string;
  /** The CometBFT endpoint transactions are simulated and broadcast on (`rpc_endpoint`). */
  rpcUrl: string;
  /** `gas_price` of `gas_denom`: the fee per gas unless the component names its own. */
  gasPrice: { amount: number; denom: string };
}

/** The sending settings of a configured Cosmos chain; undefined for any other chain. */
export function cosmosSendingChain(
  config: WavsConfig,
  chain: string,
): CosmosSendingChain | undefined {
  if (!isCosmosChain(chain)) return undefined;
  const cfg = chainConfig(config, chain as `cosmos:${string}`);
  if (cfg?.rpc_endpoint === undefined) return undefined;
  return {
    prefix: cfg.bech32_prefix,
    rpcUrl: cfg.rpc_endpoint,
    gasPrice: { amount: cfg.gas_price, denom: cfg.gas_denom },
  };
}
