/**
 * One JSON-RPC endpoint of a chain, over HTTP (fetch) or WebSocket (viem's socket client).
 * Endpoints make a single attempt per call; retries and failover belong to `evm-rpc.ts`.
 * Every error raised here has a message with credentials already removed from URLs.
 */
import { setMaxListeners } from "node:events";
import { getWebSocketRpcClient } from "viem/utils";
import { redactUrl, redactUrlsInText } from "../config/index.js";
import { closeSocketClient, splitCredentials, WavsError } from "../internal/index.js";

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

interface JsonRpcReply {
  result?: unknown;
  error?: { code?: unknown; message?: unknown; data?: unknown };
}

function fromReply(reply: JsonRpcReply, method: string): unknown {
  if (reply.error) {
    const code = typeof reply.error.code === "number" ? reply.error.code : 0;
    const message = redactUrlsInText(
      typeof reply.error.message === "string" ? reply.error.message : "error",
    ).slice(0, 500);
    throw new RpcResponseError(`${method}: ${message}`, code, reply.error.data, message);
  }
  return reply.result ?? null;
}

/** An HTTP(S) endpoint. Credentials in the URL become a Basic authorization header. */
export function httpEndpoint(url: string, closed: AbortSignal): RpcEndpoint {
  const { url: href, authorization } = splitCredentials(url);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (authorization) headers.authorization = authorization;
  let nextId = 1;
  return {
    kind: "http",
    display: redactUrl(url),
    async request(method, params, timeoutMs) {
      const body = JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params });
      let status: number;
      let text: string;
      try {
        const response = await fetch(href, {
          method: "POST",
          headers,
          body,
          signal: AbortSignal.any([closed, AbortSignal.timeout(timeoutMs)]),
        });
        status = response.status;
        text = await response.text();
      } catch (err) {
        if (closed.aborted) throw new RpcTransportError(`${method}: client closed`);
        throw new RpcTransportError(`${method}: ${describeFailure(err)}`);
      }
      let reply: JsonRpcReply | undefined;
      try {
        reply = JSON.parse(text) as JsonRpcReply;
      } catch {
        reply = undefined;
      }
      // Some providers send JSON-RPC errors with a 4xx/5xx status; keep their error object.
      if (reply && typeof reply === "object" && (reply.error || status < 300)) {
        return fromReply(reply, method);
      }
      throw new RpcTransportError(
        `${method}: HTTP ${status}: ${redactUrlsInText(text.slice(0, 200))}`,
      );
    },
    close() {},
  };
}

type SocketClient = Awaited<ReturnType<typeof getWebSocketRpcClient>>;

function withTimeout<T>(
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

/** WebSocket endpoints made so far (each keeps its socket apart, see `wsEndpoint`). */
let socketEndpoints = 0;

/**
 * A WebSocket endpoint: one connection, opened on first use and dropped on the first
 * failure (the next call reconnects). viem's own reconnect is off so that a dropped socket
 * is reported to us, and the watcher can fall back to polling and catch up.
 */
export function wsEndpoint(url: string, closed: AbortSignal): RpcEndpoint {
  const display = redactUrl(url);
  // every call in flight listens on `closed` until it settles (and then stops): a busy node
  // has dozens at once, which is not the leak Node's default limit of 10 warns about
  setMaxListeners(0, closed);
  const keepAlive = { interval: 15_000 + (socketEndpoints++ % 1000) };
  let client: Promise<SocketClient> | undefined;

  const connect = (timeoutMs: number): Promise<SocketClient> => {
    if (closed.aborted) return Promise.reject(new RpcTransportError("client closed"));
    if (client === undefined) {
      // viem caches sockets by URL and options, and two first calls racing through its cache
      // can each open one, the earlier left open for ever: a keep-alive interval of this
      // endpoint's own gives it a socket nobody else in the process shares
      const opening = getWebSocketRpcClient(url, { reconnect: false, keepAlive });
      client = withTimeout(opening, timeoutMs, "connect", closed).catch((err: unknown) => {
        client = undefined;
        throw err instanceof RpcTransportError
          ? err
          : new RpcTransportError(`connect: ${describeFailure(err)}`);
      });
    }
    return client;
  };

  const drop = (dead: SocketClient) => {
    void client?.then(
      (current) => {
        if (current === dead) client = undefined;
      },
      () => {},
    );
    closeSocketClient(dead);
  };

  closed.addEventListener("abort", () => {
    const current = client;
    client = undefined;
    void current?.then(
      (c) => closeSocketClient(c),
      () => {},
    );
  });

  return {
    kind: "ws",
    display,
    async request(method, params, timeoutMs) {
      const socket = await connect(timeoutMs);
      let reply: JsonRpcReply;
      try {
        // not viem's requestAsync: it builds a TimeoutError (message, stack, docs link) for
        // every request in case it times out, 1.4 % of a node's main thread under load
        reply = await withTimeout(
          new Promise<JsonRpcReply>((onResponse, onError) =>
            socket.request({ body: { method, params: [...params] }, onResponse, onError }),
          ),
          timeoutMs,
          method,
          closed,
        );
      } catch (err) {
        drop(socket);
        if (err instanceof RpcTransportError) throw err;
        throw new RpcTransportError(`${method}: ${describeFailure(err)}`);
      }
      return fromReply(reply, method);
    },
    async subscribeNewHeads(onHead, onDrop, timeoutMs) {
      const socket = await connect(timeoutMs);
      let subscriptionId: string | undefined;
      let dropped = false;
      const subscribed = new Promise<void>((resolve, reject) => {
        socket.request({
          body: { method: "eth_subscribe", params: ["newHeads"] },
          onResponse(message: {
            method?: string;
            params?: { result?: unknown };
            result?: unknown;
            error?: JsonRpcReply["error"];
          }) {
            if (message.method === "eth_subscription") {
              const head = message.params?.result;
              if (head !== null && typeof head === "object")
                onHead(head as Record<string, unknown>);
              return;
            }
            if (message.error || typeof message.result !== "string") {
              reject(
                message.error
                  ? new RpcResponseError(
                      `eth_subscribe: ${String(message.error.message)}`,
                      Number(message.error.code ?? 0),
                    )
                  : new RpcTransportError("eth_subscribe: no subscription id"),
              );
              return;
            }
            subscriptionId = message.result;
            resolve();
          },
          onError(err?: unknown) {
            const error = new RpcTransportError(`newHeads: ${describeFailure(err ?? "closed")}`);
            reject(error);
            if (subscriptionId !== undefined && !dropped) {
              dropped = true;
              drop(socket);
              onDrop(error);
            }
          },
        });
      });
      try {
        await withTimeout(subscribed, timeoutMs, "eth_subscribe", closed);
      } catch (err) {
        drop(socket);
        throw err;
      }
      return () => {
        dropped = true;
        if (subscriptionId !== undefined) {
          socket.request({
            body: { method: "eth_unsubscribe", params: [subscriptionId] },
            onResponse() {},
            onError() {},
          });
        }
      };
    },
    close() {
      const current = client;
      client = undefined;
      void current?.then(
        (c) => closeSocketClient(c),
        () => {},
      );
    },
  };
}

/** The endpoint for a URL, by scheme. */
export function rpcEndpoint(url: string, closed: AbortSignal): RpcEndpoint {
  return /^wss?:\/\//i.test(url) ? wsEndpoint(url, closed) : httpEndpoint(url, closed);
}
