/** The service manager contract a service belongs to; it determines the ServiceId. */
import type { z } from "zod";
import { CosmosAddressSchema, EvmAddressSchema } from "./address.js";
import { ChainKeySchema } from "./chain-key.js";
import type { JsonObject } from "./json.js";
import { strictRecord, taggedEnum } from "./schema-helpers.js";

/** `{"evm": {chain, address}}` or `{"cosmos": {chain, address}}`. */
export const ServiceManagerSchema = taggedEnum({
  evm: strictRecord({ chain: ChainKeySchema, address: EvmAddressSchema }),
  cosmos: strictRecord({ chain: ChainKeySchema, address: CosmosAddressSchema }),
});

/** The service manager contract of a service. */
export type ServiceManager = z.output<typeof ServiceManagerSchema>;

/** JSON of a service manager. */
export function serviceManagerToJson(manager: ServiceManager): JsonObject {
  return { [manager.type]: { chain: manager.chain, address: manager.address } };
}
