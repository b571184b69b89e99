/** Node and CLI configuration: wavs.toml + .env + WAVS_* env vars + flags, one schema. */

export { mnemonicProblem, normalizeMnemonic } from "./bip39.js";
export type { WitChainConfigs } from "./chains.js";
export {
  addChain,
  chainConfig,
  cosmosChainKeys,
  evmChainKeys,
  toWitChainConfigs,
} from "./chains.js";
export { parseDotenv } from "./dotenv.js";
export {
  CONFIG_FILE_NAME,
  type ConfigSection,
  configSearchPaths,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
} from "./load.js";
export { redactConfig } from "./redact.js";
export { REDACTED, redactUrl, redactUrlsInText } from "./redact-url.js";
export {
  type AggregatorConfig,
  AggregatorConfigSchema,
  CONFIG_FIELDS,
  type ConfigField,
  type CosmosChainConfig,
  CosmosChainConfigSchema,
  DEFAULT_DATA_DIR,
  DEFAULT_IPFS_GATEWAY,
  DEFAULT_WAVS_ENDPOINT,
  type EvmChainConfig,
  EvmChainConfigSchema,
  SECRET_FIELDS,
  type WavsConfig,
  WavsConfigSchema,
} from "./schema.js";
