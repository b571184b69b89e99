/**
 * jco turns a host function's thrown value into the `err` case of a WIT `result`: an object
 * with an own `payload` property is unwrapped, a thrown `Error` is treated as a trap. Host
 * shims throw `HostResultError` to return an error value to the component.
 */
export class HostResultError {
  constructor(readonly payload: unknown) {}
}

/** Return `payload` as the `err` of the WIT result the current host call returns. */
export function fail(payload: unknown): never {
  throw new HostResultError(payload);
}

/** Raised to stop the component at once (wasi:cli/exit, a revoked resource). */
export class ComponentExit extends Error {
  constructor(readonly status: "ok" | "err" | number) {
    super(`component called exit (${String(status)})`);
  }
}
