/** Parsing the flag values of `wavs service` into service JSON values, with errors naming the flag. */
import { keccak256, toHex } from "viem";
import { WavsError } from "../internal/index.js";

function invalid(flag: string, value: string, expected: string): WavsError {
  return new WavsError(
    "WAVS_ERR_INPUT_INVALID",
    `${flag}: expected ${expected}, found ${JSON.stringify(value)}`,
  );
}

/** `k=v` pairs into an object (later keys win); `=` inside the value is kept. */
export function parseKeyValues(values: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of values) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw invalid(flag, pair, "key=value");
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** `true` or `false`. */
export function parseBool(value: string, flag: string): boolean {
  if (value === "true") return true;
  if (value === "false") return false;
  throw invalid(flag, value, "true or false");
}

/** `all`, `none` or a comma-separated host list, as an allowed_http_hosts JSON value. */
export function parseHttpHosts(value: string): unknown {
  if (value === "all" || value === "none") return value;
  const hosts = value
    .split(",")
    .map((h) => h.trim())
    .filter((h) => h !== "");
  if (hosts.length === 0) throw invalid("--http-hosts", value, "all, none or host1,host2");
  return { only: hosts };
}

/** A non-negative integer (kept as a number when safe, else as a decimal string for u64). */
export function parseUint(value: string, flag: string, min = 0n): number | string {
  if (!/^\d{1,20}$/.test(value) || BigInt(value) < min) {
    throw invalid(flag, value, min > 0n ? `an integer >= ${min}` : "a non-negative integer");
  }
  const n = BigInt(value);
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : value;
}

/** A time as u64 nanoseconds since the epoch: an integer (nanoseconds) or an ISO date. */
export function parseTimeNanos(value: string, flag: string): number | string {
  if (/^\d+$/.test(value)) return parseUint(value, flag);
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || ms < 0) {
    throw invalid(flag, value, "nanoseconds since the epoch or an ISO date (2030-01-01T00:00:00Z)");
  }
  return (BigInt(ms) * 1_000_000n).toString();
}

/** The event hash (topic0): given as 0x hex, or computed from a signature such as `NewTrigger(bytes)`. */
export function eventHash(options: { eventHash?: string; eventSignature?: string }): string {
  if ((options.eventHash === undefined) === (options.eventSignature === undefined)) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      "set-evm needs exactly one of --event-hash and --event-signature",
      { hint: "e.g. --event-signature 'NewTrigger(bytes)'" },
    );
  }
  if (options.eventHash !== undefined) return options.eventHash.toLowerCase();
  const signature = (options.eventSignature ?? "").replace(/\s+/g, "");
  if (!/^[A-Za-z_][A-Za-z0-9_]*\(.*\)$/.test(signature)) {
    throw invalid("--event-signature", signature, "an event signature such as NewTrigger(bytes)");
  }
  return keccak256(toHex(signature));
}
