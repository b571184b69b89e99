/** The service model as WIT values for components (wavs:types, jco's representation). */
export {
  type CosmosChainConfigInput,
  cosmosChainConfigToWit,
  type EvmChainConfigInput,
  evmChainConfigToWit,
} from "./chain-config-to-wit.js";
export {
  componentSourceToWit,
  componentToWit,
  cosmosAddressToWit,
  evmAddressToWit,
  serviceAndWorkflowIdToWit,
  serviceManagerToWit,
  serviceToWit,
  signatureKindToWit,
  submitToWit,
  triggerToWit,
  workflowAndWorkflowIdToWit,
  workflowToWit,
} from "./service-to-wit.js";
export {
  type TriggerActionInput,
  triggerActionToWit,
  triggerDataToWit,
} from "./trigger-data-to-wit.js";
export type * from "./wit-types.js";
export type { WitCosmosChainConfig, WitEvmChainConfig } from "./wit-types.js";
