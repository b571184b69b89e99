/** The chain end of the flow: clients of the configured EVM chains, and the transaction manager that lands results. */

export { deferredReason } from "./broadcast-check.js";
export {
  answeredByNode,
  classifySendError,
  errorLine,
  isRevert,
  nodeReason,
  revertReason,
  type SendErrorKind,
} from "./call-errors.js";
export { ChainClients } from "./chain-clients.js";
export { CosmosTxManager, type CosmosTxRequest } from "./cosmos-tx-manager.js";
export {
  type CosmosWallet,
  type CosmosWalletOptions,
  connectCosmosWallet,
  type ExecutedTx,
} from "./cosmos-wallet.js";
export { TxManager } from "./tx-manager.js";
export {
  type BroadcastCheck,
  DEFAULT_TX_MANAGER_OPTIONS,
  type LandedTx,
  type TxManagerOptions,
  type TxOutcome,
  type TxRequest,
} from "./tx-types.js";
