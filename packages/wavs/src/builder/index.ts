/** The builder commands' core: service JSON editing and checks, dev state, example contracts. */

export type { BuilderContext } from "./context.js";
export {
  builderContext,
  chainOf,
  contractAddress,
  exampleContractTarget,
  nodeEndpoint,
} from "./context.js";
export { type CosmosTriggerResult, readCosmosResult } from "./cosmos-result.js";
export { type AddedCosmosTrigger, addCosmosTrigger } from "./cosmos-trigger.js";
export type { DevService, DevState } from "./dev-state.js";
export { devDir, devStatePath, readDevState } from "./dev-state.js";
export { cliAccount } from "./evm-chain.js";
export {
  addTrigger,
  readResultWaiting,
  setServiceUri,
  waitForResult,
} from "./example-contracts.js";
export {
  eventHash,
  parseBool,
  parseHttpHosts,
  parseKeyValues,
  parseTimeNanos,
  parseUint,
} from "./flag-values.js";
export type { NodeEndpoint } from "./node-client.js";
export {
  componentsWarming,
  connectedPeers,
  devServiceUri,
  listServiceIds,
  registerService,
  requestSigner,
  storeService,
  uploadComponent,
} from "./node-client.js";
export type { EditResult } from "./service-builder.js";
export { checkAndWrite, editServiceFile } from "./service-builder.js";
export {
  addWorkflow,
  componentOf,
  deleteWorkflow,
  initService,
  setComponentField,
  setComponentSource,
  setManager,
  setStatus,
  setSubmitAggregator,
  setSubmitNone,
  setTrigger,
} from "./service-edit.js";
export type { ServiceDocument } from "./service-file.js";
export { readServiceFile } from "./service-file.js";
export { validateServiceDocument } from "./service-validate.js";
