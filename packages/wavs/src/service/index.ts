/** The service model: schemas and JSON <-> model (ids derived from it: ../ids; WIT values: ../wit). */
export {
  CosmosAddressSchema,
  type EvmAddress,
  EvmAddressSchema,
  Hash32HexSchema,
  isEvmAddress,
} from "./address.js";
export { type Bech32Decoded, decodeBech32, encodeBech32 } from "./bech32.js";
export { bytesSchema } from "./bytes-field.js";
export {
  CHAIN_ID_RE,
  CHAIN_NAMESPACE_RE,
  type ChainKey,
  ChainKeySchema,
  chainKeyProblem,
  isChainKey,
  isCosmosChain,
  type ParsedChainKey,
  parseChainKey,
} from "./chain-key.js";
export {
  type Component,
  ComponentSchema,
  type ComponentSource,
  ComponentSourceSchema,
  componentSourceToJson,
  componentToJson,
} from "./component.js";
export type { ComponentWorld } from "./component-world.js";
export {
  defaultExecService,
  EXEC_MANAGER_ADDRESS,
  type ExecServiceOptions,
} from "./default-exec-service.js";
export { componentDigest, type Digest, DigestSchema, isDigest } from "./digest.js";
export type { ExecLog } from "./exec-log.js";
export { bytesToHex, hexToBytes, isHexBytes } from "./hex.js";
export { bigintToJson, toS64, toU64, U64_MAX } from "./integers.js";
export type { JsonObject, JsonValue } from "./json.js";
export { isJsonObject, jsonNestingDepth, MAX_JSON_DEPTH } from "./json.js";
export {
  type AllowedHosts,
  AllowedHostsSchema,
  type Permissions,
  PermissionsSchema,
  permissionsToJson,
  type ResolvedPermissions,
  resolvePermissions,
} from "./permissions.js";
export { taggedEnum } from "./schema-helpers.js";
export {
  parseService,
  parseServiceManager,
  parseTrigger,
  type Service,
  ServiceSchema,
  type ServiceStatus,
  ServiceStatusSchema,
  serviceToJson,
  type Workflow,
  WorkflowSchema,
  workflowToJson,
} from "./service.js";
export {
  type ServiceManager,
  ServiceManagerSchema,
  serviceManagerToJson,
} from "./service-manager.js";
export {
  type SignatureKind,
  SignatureKindSchema,
  type Submit,
  SubmitSchema,
  submitToJson,
} from "./submit.js";
export {
  ATPROTO_ACTIONS,
  type Trigger,
  type TriggerOf,
  TriggerSchema,
  type TriggerType,
  triggerToJson,
} from "./trigger.js";
export {
  type AtProtoEventData,
  type CosmosAddressValue,
  parseTriggerDataJson,
  type TriggerData,
  type TriggerDataOf,
  TriggerDataSchema,
  type TriggerDataType,
  triggerDataToJson,
} from "./trigger-data.js";
export {
  parseTriggerDataText,
  parseTriggerDataValue,
  triggerDataText,
} from "./trigger-data-memo.js";
export {
  describeValue,
  formatPath,
  parseOrThrow,
  problemsOf,
  type ValidationProblem,
  validationError,
} from "./validation-error.js";
export {
  DEFAULT_WORKFLOW_ID,
  isWorkflowId,
  type WorkflowId,
  WorkflowIdSchema,
} from "./workflow-id.js";
