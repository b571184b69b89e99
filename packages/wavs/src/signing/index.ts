/** Signing: per-service HD keys and signed response envelopes. */

export { aggregatorAccount } from "./aggregator-account.js";
export { COSMOS_HD_PATH, type CosmosKey, cosmosAddress, cosmosKey } from "./cosmos-account.js";
export { deriveAccount, HdKeys, hdPath, OPERATOR_HD_INDEX } from "./hd-keys.js";
export {
  buildEnvelope,
  type ResponseToSign,
  type SignedResponse,
  signaturePrefix,
  signResponse,
} from "./sign-response.js";
