/**
 * Secrets out of everything the node shows: GET /config, logs and error messages. The
 * reference returns the mnemonic, credentials and token from GET /config; we never do.
 */
import type { JsonObject, JsonValue } from "../service/index.js";
import { REDACTED, redactUrl } from "./redact-url.js";
import { SECRET_FIELDS, type WavsConfig } from "./schema.js";

function redactValue(value: unknown): JsonValue | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value === "string") return redactUrl(value);
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "bigint") {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v) ?? null);
  if (typeof value === "object") {
    const out: JsonObject = {};
    for (const [key, v] of Object.entries(value)) {
      const redacted = redactValue(v);
      if (redacted !== undefined) {
        Object.defineProperty(out, key, { value: redacted, enumerable: true, writable: true });
      }
    }
    return out;
  }
  return String(value);
}

/**
 * A JSON-safe copy of the config for GET /config and logs: secrets replaced by "[redacted]",
 * credentials inside endpoint URLs removed, bigints as numbers (or strings when too large).
 */
export function redactConfig(config: WavsConfig): JsonObject {
  const out = redactValue(config) as JsonObject;
  for (const field of SECRET_FIELDS) {
    if (config[field] !== undefined) out[field] = REDACTED;
  }
  return out;
}
