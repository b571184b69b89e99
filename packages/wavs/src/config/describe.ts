/** How config messages show a value that was found: quoted, shortened, never a secret. */
import { redactUrlsInText } from "./redact-url.js";

const MAX_SHOWN = 80;

/** A short description of a found value: `"eighty"`, `42`, `true`, `a list`, `a table`. */
export function describeFound(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") {
    // Endpoint URLs may carry API keys; a message must not leak them.
    const safe = redactUrlsInText(value);
    return JSON.stringify(safe.length > MAX_SHOWN ? `${safe.slice(0, MAX_SHOWN)}...` : safe);
  }
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  if (value instanceof Date) return "a date";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  if (typeof value === "object") return "a table";
  return typeof value;
}

/** The description of a secret's value: only its kind and size, never its content. */
export function describeSecret(value: unknown): string {
  if (typeof value === "string") {
    const words = value.trim() === "" ? 0 : value.trim().split(/\s+/).length;
    return words > 1 ? `a string of ${words} words` : `a string of ${value.length} characters`;
  }
  if (typeof value === "number" || typeof value === "bigint") return "a number";
  if (typeof value === "boolean") return "true or false";
  return describeFound(value);
}
