/**
 * The one error family of WAVS-TS. Every error a user can see carries a stable `code`
 * (`WAVS_ERR_<AREA>_<WHAT>`), a short message, optional details and a hint saying what to do.
 * Codes are listed, with their HTTP status, in `error-codes.ts` and documented in docs/errors.md.
 */
import { ERROR_CODES, type ErrorCode } from "./error-codes.js";

export interface WavsErrorOptions {
  /** Extra facts: where it happened, what was found, what was expected. Never secrets. */
  details?: Record<string, unknown> | undefined;
  /** What the user can do about it. */
  hint?: string | undefined;
  cause?: unknown;
}

/** Base class of every error WAVS-TS raises on purpose. */
export class WavsError extends Error {
  override readonly name: string = "WavsError";
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: WavsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
    this.hint = options.hint;
  }

  /** Whether retrying the same operation later may succeed (decided by code, never by text). */
  get retryable(): boolean {
    return ERROR_CODES[this.code].retryable;
  }

  /** HTTP status for this error at the API edge. */
  get httpStatus(): number {
    return ERROR_CODES[this.code].status;
  }

  /** JSON shape used on the HTTP API and by `--json` CLI output. */
  toJSON(): { code: ErrorCode; message: string; hint?: string; details?: Record<string, unknown> } {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/** The message of anything thrown (an Error's message, else its string form). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Wrap anything thrown into a WavsError, keeping WavsErrors as they are. */
export function toWavsError(err: unknown, fallback: ErrorCode = "WAVS_ERR_INTERNAL"): WavsError {
  if (err instanceof WavsError) return err;
  return new WavsError(fallback, errorMessage(err), { cause: err });
}
