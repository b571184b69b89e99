/** The service registry: opt-in, live update and opt-out of services, with their keys. */
export { fetchBytes, resolveUri } from "./fetch-bytes.js";
export { fetchComponent, MAX_COMPONENT_BYTES } from "./fetch-component.js";
export { checkServiceUri, fetchServiceJson, MAX_SERVICE_JSON_BYTES } from "./fetch-service-json.js";
export { KeyedLock } from "./keyed-lock.js";
export { ServiceUriReader } from "./read-service-uri.js";
export { type ComponentUse, serviceComponents } from "./service-components.js";
export {
  type RegisteredService,
  ServiceRegistry,
  type ServiceRegistryEvents,
  type ServiceRegistryOptions,
  type ServiceSigner,
} from "./service-registry.js";
