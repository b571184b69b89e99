/**
 * Small zod builders for the config schema. Each writes its own message saying what was
 * expected and what was found, so problems read the same from a file, an env var or a flag.
 */
import { z } from "zod";
import { mnemonicProblem, normalizeMnemonic } from "./bip39.js";
import { describeFound } from "./describe.js";

type Ctx = z.core.$RefinementCtx;

function problem(ctx: Ctx, message: string): void {
  ctx.addIssue({ code: "custom", message });
}

/** An integer in [min, max]. */
export function integer(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  const range =
    max === Number.MAX_SAFE_INTEGER
      ? `an integer of at least ${min}`
      : `an integer from ${min} to ${max}`;
  return z.number().superRefine((n, ctx) => {
    if (!Number.isInteger(n) || n < min || n > max) {
      problem(ctx, `expected ${range}, found ${describeFound(n)}`);
    }
  });
}

/** A number greater than zero (fractions allowed). */
export function positiveNumber() {
  return z.number().superRefine((n, ctx) => {
    if (!Number.isFinite(n) || n <= 0)
      problem(ctx, `expected a number above 0, found ${describeFound(n)}`);
  });
}

/** A number of zero or more (fractions allowed). */
export function nonNegativeNumber() {
  return z.number().superRefine((n, ctx) => {
    if (!Number.isFinite(n) || n < 0)
      problem(ctx, `expected a number of 0 or more, found ${describeFound(n)}`);
  });
}

/** A TCP port, 0 to 65535 (0 picks a free port). */
export function port() {
  return integer(0, 65535);
}

const U64_MAX = (1n << 64n) - 1n;

/** An unsigned 64-bit integer of at least `min`, read into a bigint (TOML may give either). */
export function u64(min = 0n) {
  const expected = `an integer from ${min} to ${U64_MAX}`;
  return z.unknown().transform((value, ctx): bigint => {
    const n =
      typeof value === "bigint"
        ? value
        : typeof value === "number" && Number.isSafeInteger(value)
          ? BigInt(value)
          : undefined;
    if (n === undefined || n < min || n > U64_MAX) {
      problem(ctx, `expected ${expected}, found ${describeFound(value)}`);
      return z.NEVER;
    }
    return n;
  });
}

/** A string that is not empty. */
export function nonEmptyString() {
  return z.string().superRefine((s, ctx) => {
    if (s.trim() === "") problem(ctx, "must not be empty");
  });
}

/** An absolute URL whose scheme is one of `schemes` (without the colon, e.g. "wss"). */
export function url(schemes: readonly string[]) {
  const expected = `a URL starting with ${schemes.map((s) => `${s}://`).join(" or ")}`;
  return z.string().superRefine((s, ctx) => {
    let scheme: string | undefined;
    try {
      scheme = new URL(s).protocol.replace(/:$/, "");
    } catch {
      scheme = undefined;
    }
    if (scheme === undefined || !schemes.includes(scheme)) {
      problem(ctx, `expected ${expected}, found ${describeFound(s)}`);
    }
  });
}

/** A BIP-39 mnemonic (secret: messages never quote it), normalized to single spaces. */
export function mnemonic() {
  return z.string().transform((s, ctx) => {
    const why = mnemonicProblem(s);
    if (why !== undefined) {
      problem(ctx, `is not a valid BIP-39 mnemonic: ${why}`);
      return z.NEVER;
    }
    return normalizeMnemonic(s);
  });
}

/** A mnemonic or a 0x-prefixed 32-byte private key (secret: messages never quote it). */
export function credential() {
  return z.string().transform((s, ctx) => {
    const trimmed = s.trim();
    if (/^0x/i.test(trimmed)) {
      const digits = trimmed.slice(2);
      if (!/^[0-9a-fA-F]{64}$/.test(digits)) {
        const found = /^[0-9a-fA-F]*$/.test(digits)
          ? `${digits.length} hex digits`
          : "characters that are not hex digits";
        problem(ctx, `is not a valid private key: expected 64 hex digits after 0x, found ${found}`);
        return z.NEVER;
      }
      return `0x${digits.toLowerCase()}`;
    }
    const why = mnemonicProblem(trimmed);
    if (why !== undefined) {
      problem(ctx, `is neither a 0x private key nor a valid BIP-39 mnemonic: ${why}`);
      return z.NEVER;
    }
    return normalizeMnemonic(trimmed);
  });
}

/** A bearer token (secret): printable ASCII without spaces, as an HTTP header can carry it. */
export function token() {
  return z.string().superRefine((s, ctx) => {
    if (s === "") problem(ctx, "must not be empty (remove the key to turn authentication off)");
    else if (!/^[!-~]+$/.test(s)) {
      problem(ctx, "may only contain printable ASCII characters, without spaces");
    }
  });
}
