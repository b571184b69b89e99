/**
 * Retries, backoff and failover over a chain's JSON-RPC endpoints, shared by the EVM and the
 * Cosmos (CometBFT) clients. Calls stick to the endpoint that last answered; on a failure the
 * next endpoint is tried at once, and only after every endpoint failed in a round does the
 * pool back off (doubling, with jitter). Errors that reach callers are WAVS_ERR_CHAIN_RPC with
 * the endpoint redacted of credentials.
 */
import type { Logger } from "../internal/index.js";
import { errorMessage, WavsError } from "../internal/index.js";
import { type RpcEndpoint, RpcResponseError } from "./rpc-endpoint.js";

/** Retry and timeout settings of a pool. */
export interface RpcPoolTuning {
  /** Attempts per call over all endpoints (default 5, at least one per endpoint). */
  maxAttempts?: number | undefined;
  /** First backoff delay after every endpoint failed once (default 100 ms; doubles, with jitter). */
  initialBackoffMs?: number | undefined;
  /** Largest backoff delay (default 5 s). */
  maxBackoffMs?: number | undefined;
  /** Timeout of one request on one endpoint (default 15 s). */
  requestTimeoutMs?: number | undefined;
  /** Called before every request on an endpoint (metrics, tests). */
  onRequest?: ((method: string, endpoint: string) => void) | undefined;
}

/** Options of `createRpcPool`. */
export interface RpcPoolOptions extends RpcPoolTuning {
  /** Chain key, for messages. */
  chain: string;
  /** The endpoints, in order of preference (at least one). */
  endpoints: readonly RpcEndpoint[];
  /** Aborted when the owning client closes. */
  closed: AbortSignal;
  logger?: Logger | undefined;
}

/** Calls over a chain's endpoints. */
export interface RpcPool {
  /** Timeout of one request on one endpoint. */
  readonly timeoutMs: number;
  /** One call with retries and failover; `giveUpOn` may stop retrying early. */
  request(
    method: string,
    params?: readonly unknown[],
    giveUpOn?: (err: unknown) => boolean,
  ): Promise<unknown>;
  /** The error calls get once the client closed. */
  closedError(method: string): WavsError;
}

/** Sleep that ends early when `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** A pool over the given endpoints. */
export function createRpcPool(options: RpcPoolOptions): RpcPool {
  const { chain, endpoints, closed, logger } = options;
  const maxAttempts = Math.max(options.maxAttempts ?? 5, endpoints.length);
  const initialBackoff = options.initialBackoffMs ?? 100;
  const maxBackoff = options.maxBackoffMs ?? 5_000;
  const timeoutMs = options.requestTimeoutMs ?? 15_000;
  // Sticky: once an endpoint fails we stay on the next one until it fails in turn.
  let current = 0;

  const closedError = (method: string) =>
    new WavsError("WAVS_ERR_CHAIN_RPC", `${method} on ${chain}: RPC client closed`, {
      details: { chain, method },
    });

  async function request(
    method: string,
    params: readonly unknown[] = [],
    giveUpOn?: (err: unknown) => boolean,
  ): Promise<unknown> {
    let last: unknown;
    let lastEndpoint = endpoints[current] as RpcEndpoint;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (closed.aborted) throw closedError(method);
      const index = current;
      const endpoint = endpoints[index] as RpcEndpoint;
      lastEndpoint = endpoint;
      try {
        options.onRequest?.(method, endpoint.display);
        return await endpoint.request(method, params, timeoutMs);
      } catch (err) {
        if (closed.aborted) throw closedError(method);
        // the error family decides what a retry may fix; the caller may give up sooner
        if (giveUpOn?.(err) || (err instanceof WavsError && !err.retryable)) throw err;
        last = err;
        if (endpoints.length > 1 && current === index) current = (index + 1) % endpoints.length;
        // Failover is worth a warning; retrying the only endpoint is the caller's to report.
        const fields = { chain, method, endpoint: endpoint.display, attempt, err: String(err) };
        if (endpoints.length > 1)
          logger?.warn(fields, "chain endpoint failed, trying the next one");
        else logger?.debug(fields, "chain endpoint failed, retrying");
        // Fail over at once; back off only after every endpoint failed in this round.
        if (attempt < maxAttempts && attempt % endpoints.length === 0) {
          const round = attempt / endpoints.length;
          const base = Math.min(maxBackoff, initialBackoff * 2 ** (round - 1));
          await abortableSleep(base * (0.8 + Math.random() * 0.4), closed);
        }
      }
    }
    const message = errorMessage(last);
    throw new WavsError(
      "WAVS_ERR_CHAIN_RPC",
      `${method} on ${chain} failed after ${maxAttempts} attempts: ${message}`,
      {
        details: {
          chain,
          method,
          endpoint: lastEndpoint.display,
          attempts: maxAttempts,
          ...(last instanceof RpcResponseError ? { rpc_code: last.rpcCode } : {}),
        },
        hint: "Check that the chain's endpoints in wavs.toml are reachable and synced.",
        cause: last,
      },
    );
  }

  return { timeoutMs, request, closedError };
}
