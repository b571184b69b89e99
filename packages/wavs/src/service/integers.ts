/**
 * Integer fields of WAVS JSON. u64 and s64 values are held as bigint so they stay exact past
 * 2^53. JSON.parse has already rounded large JSON numbers, so a value beyond 2^53 is only
 * exact when written as a decimal string; we accept both and write numbers back when safe.
 */
import { z } from "zod";
import { addProblem } from "./schema-helpers.js";
import { expectedFound } from "./validation-error.js";

/** Largest u64. */
export const U64_MAX = (1n << 64n) - 1n;
/** Smallest and largest s64. */
export const S64_MIN = -(1n << 63n);
export const S64_MAX = (1n << 63n) - 1n;
/** Largest u32. */
export const U32_MAX = 0xffff_ffff;

// JSON.parse reads u64::MAX (18446744073709551615, common in Rust-written JSON) as 2^64, the
// nearest double; reading that double back as u64::MAX keeps such files loadable.
const U64_MAX_AS_DOUBLE = 2 ** 64;

/** Read a JSON u64 (non-negative integer number, decimal string or bigint); undefined if not one. */
export function toU64(value: unknown): bigint | undefined {
  let big: bigint;
  if (typeof value === "bigint") big = value;
  else if (typeof value === "number") {
    if (!Number.isInteger(value) || value < 0) return undefined;
    if (value === U64_MAX_AS_DOUBLE) return U64_MAX;
    big = BigInt(value);
  } else if (typeof value === "string" && /^[0-9]{1,20}$/.test(value)) big = BigInt(value);
  else return undefined;
  return big >= 0n && big <= U64_MAX ? big : undefined;
}

/** Read a JSON s64 (integer number, decimal string with optional `-`, or bigint); undefined if not one. */
export function toS64(value: unknown): bigint | undefined {
  let big: bigint;
  if (typeof value === "bigint") big = value;
  else if (typeof value === "number") {
    if (!Number.isInteger(value)) return undefined;
    big = BigInt(value);
  } else if (typeof value === "string" && /^-?[0-9]{1,19}$/.test(value)) big = BigInt(value);
  else return undefined;
  return big >= S64_MIN && big <= S64_MAX ? big : undefined;
}

/** A u64 or s64 for JSON: a number when it is exact as a double, else a decimal string. */
export function bigintToJson(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

/** A u64 field (number or decimal string) parsed to bigint, at least `min`. */
export function u64Schema(min = 0n) {
  const expected =
    min === 0n ? "a non-negative integer (u64)" : `an integer from ${min} to ${U64_MAX}`;
  return z.unknown().transform((input, ctx) => {
    const value = toU64(input);
    if (value === undefined || value < min) {
      addProblem(ctx, input, expectedFound(input, expected), expected);
      return z.NEVER;
    }
    return value;
  });
}

/** An s64 field (number or decimal string) parsed to bigint. */
export function s64Schema() {
  const expected = "an integer (s64)";
  return z.unknown().transform((input, ctx) => {
    const value = toS64(input);
    if (value === undefined) {
      addProblem(ctx, input, expectedFound(input, expected), expected);
      return z.NEVER;
    }
    return value;
  });
}

/** An integer JSON number within [min, max], kept as a number (u32 fields, small u64 fields). */
export function uintNumberSchema(min: number, max: number) {
  const expected = `an integer from ${min} to ${max}`;
  return z.unknown().transform((input, ctx) => {
    if (typeof input !== "number" || !Number.isInteger(input) || input < min || input > max) {
      addProblem(ctx, input, expectedFound(input, expected), expected);
      return z.NEVER;
    }
    return input;
  });
}
