/** Ids derived from the service model: service id, event id (and the bincode it hashes). */
export { BincodeWriter } from "./bincode-writer.js";
export { EVENT_ID_LENGTH, eventId, eventIdForTriggerData, ripemd160 } from "./event-id.js";
export { isServiceId, managerAddressBytes, type ServiceId, serviceId } from "./service-id.js";
export {
  encodeTriggerDataForEventId,
  TRIGGER_DATA_VARIANT_INDEX,
} from "./trigger-data-encoding.js";
