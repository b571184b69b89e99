/**
 * The one error family of WAVS-TS, shared by the node, the SDK and the contracts package:
 * `WavsError` (stable code, short message, details, hint, cause; `retryable` and the HTTP
 * status follow from the code) and the table of every code.
 */
export { ERROR_CODES, type ErrorCode } from "./error-codes.js";
export { errorMessage, toWavsError, WavsError, type WavsErrorOptions } from "./wavs-error.js";
