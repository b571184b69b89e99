/**
 * What every JSON-RPC endpoint shares (rpc-endpoint.ts over HTTP, ws-endpoint.ts over
 * WebSocket): its interface, its two errors, and reading an answer. Every error raised here has
 * a message with credentials already removed from URLs.
 */
import { redactUrlsInText } from "../config/index.js";
import { WavsError } from "../internal/index.js";

/** The endpoint could not be reached, timed out, closed, or answered something not JSON-RPC. */
export class RpcTransportError extends WavsError {
  override readonly name = "RpcTransportError";
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("WAVS_ERR_CHAIN_RPC", message, options);
  }
}

/**
 * The node answered with a JSON-RPC error object (`rpcCode`: its JSON-RPC error code; `rpcData`:
 * its `data`, e.g. a revert's bytes; `rpcMessage`: its message, URLs redacted).
 */
export class RpcResponseError extends WavsError {
  override readonly name = "RpcResponseError";
  constructor(
    message: string,
    readonly rpcCode: number,
    readonly rpcData?: unknown,
    readonly rpcMessage?: string,
  ) {
    super("WAVS_ERR_CHAIN_RPC", message, { details: { rpc_code: rpcCode } });
  }
}

/** One endpoint; `display` is the URL with credentials redacted (the only form ever shown). */
export interface RpcEndpoint {
  readonly kind: "http" | "ws";
  readonly display: string;
  /** One JSON-RPC call; rejects with RpcTransportError or RpcResponseError. */
  request(method: string, params: readonly unknown[], timeoutMs: number): Promise<unknown>;
  /** Subscribe to new heads (WebSocket only); resolves once the node accepted the subscription. */
  subscribeNewHeads?(
    /** The pushed header as the node sent it (fields not checked). */
    onHead: (header: Record<string, unknown>) => void,
    onDrop: (error: Error) => void,
    timeoutMs: number,
  ): Promise<() => void>;
  /** Drop connections; pending calls reject. */
  close(): void;
}

/** A short, credential-free description of anything thrown by fetch or a socket. */
export function describeFailure(err: unknown): string {
  let text: string;
  if (err instanceof Error) {
    const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
    const detail =
      cause && typeof cause === "object"
        ? typeof cause.code === "string"
          ? cause.code
          : typeof cause.message === "string"
            ? cause.message
            : undefined
        : undefined;
    text = detail ? `${err.message} (${detail})` : err.message;
  } else if (err && typeof err === "object" && "message" in err) {
    text = String((err as { message: unknown }).message);
  } else if (err && typeof err === "object" && "type" in err) {
    // A DOM-style Event from the socket ("error", "close") carries no message.
    text = `socket ${String((err as { type: unknown }).type)}`;
  } else {
    text = String(err);
  }
  // Only the first line: viem appends multi-line details that repeat the URL.
  return redactUrlsInText(text.split("\n")[0] ?? "").slice(0, 500);
}

/** A JSON-RPC answer, as far as the endpoints read it. */
export interface JsonRpcReply {
  result?: unknown;
  error?: { code?: unknown; message?: unknown; data?: unknown };
}

/** The result of an answer; its error object as RpcResponseError. */
export function fromReply(reply: JsonRpcReply, method: string): unknown {
  if (reply.error) {
    const code = typeof reply.error.code === "number" ? reply.error.code : 0;
    const message = redactUrlsInText(
      typeof reply.error.message === "string" ? reply.error.message : "error",
    ).slice(0, 500);
    throw new RpcResponseError(`${method}: ${message}`, code, reply.error.data, message);
  }
  return reply.result ?? null;
}

/** `promise`, or RpcTransportError once `ms` passed or the client closed. */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
  closed: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => finish(() => reject(new RpcTransportError(`${what}: client closed`)));
    const timer = setTimeout(
      () => finish(() => reject(new RpcTransportError(`${what}: timed out`))),
      ms,
    );
    function finish(settle: () => void) {
      clearTimeout(timer);
      closed.removeEventListener("abort", onAbort);
      settle();
    }
    if (closed.aborted) return onAbort();
    closed.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => finish(() => resolve(v)),
      (e: unknown) => finish(() => reject(e)),
    );
  });
}
