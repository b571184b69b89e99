/**
 * ServiceId: sha256 over `evm` or `cosmos` (ASCII), the chain key, then the manager's raw
 * address bytes (20 bytes for EVM, the bech32 data bytes for Cosmos); 64 lowercase hex.
 */
import { createHash } from "node:crypto";
import type { ServiceManager } from "../service/index.js";
import { decodeBech32, hexToBytes } from "../service/index.js";

/** A service id: 64 lowercase hex characters, no `0x`. */
export type ServiceId = string;

/** The raw address bytes of a service manager (20 for EVM; bech32 data bytes for Cosmos). */
export function managerAddressBytes(manager: ServiceManager): Uint8Array {
  return manager.type === "evm" ? hexToBytes(manager.address) : decodeBech32(manager.address).data;
}

/** The ServiceId of a service, from its manager. */
export function serviceId(manager: ServiceManager): ServiceId {
  return createHash("sha256")
    .update(manager.type)
    .update(manager.chain)
    .update(managerAddressBytes(manager))
    .digest("hex");
}

/** Whether `value` is a service id (64 lowercase hex characters). */
export function isServiceId(value: unknown): value is ServiceId {
  return typeof value === "string" && /^[0-9a-f]{64}$/.test(value);
}
