/**
 * One WebSocket connection of an endpoint (rpc-endpoint.ts): opened on first use, dropped on
 * the first failure (the next use reconnects), closed for good with the endpoint. viem's own
 * reconnect is off so that a dropped socket is reported to us, and the watcher can fall back to
 * polling and catch up.
 */
import { getWebSocketRpcClient } from "viem/utils";
import { closeSocketClient } from "../internal/index.js";
import { describeFailure, RpcTransportError, withTimeout } from "./rpc-transport.js";

/** viem's socket client. */
export type SocketClient = Awaited<ReturnType<typeof getWebSocketRpcClient>>;

/** Sockets made so far in this process (each keeps its socket apart, see `connect`). */
let socketsMade = 0;

/** See the module comment. */
export class SocketLane {
  /** Calls in flight on this socket. */
  busy = 0;
  private client: Promise<SocketClient> | undefined;
  private readonly keepAlive = { interval: 15_000 + (socketsMade++ % 1000) };

  constructor(
    private readonly url: string,
    private readonly closed: AbortSignal,
  ) {}

  /** The open socket, connecting first when there is none. */
  connect(timeoutMs: number): Promise<SocketClient> {
    if (this.closed.aborted) return Promise.reject(new RpcTransportError("client closed"));
    if (this.client === undefined) {
      // viem caches sockets by URL and options, and two first calls racing through its cache
      // can each open one, the earlier left open for ever: a keep-alive interval of this
      // lane's own gives it a socket nobody else in the process shares
      const opening = getWebSocketRpcClient(this.url, {
        reconnect: false,
        keepAlive: this.keepAlive,
      });
      this.client = withTimeout(opening, timeoutMs, "connect", this.closed).catch(
        (err: unknown) => {
          this.client = undefined;
          throw err instanceof RpcTransportError
            ? err
            : new RpcTransportError(`connect: ${describeFailure(err)}`);
        },
      );
    }
    return this.client;
  }

  /** Close a socket that failed; the next use opens another. */
  drop(dead: SocketClient): void {
    void this.client?.then(
      (current) => {
        if (current === dead) this.client = undefined;
      },
      () => {},
    );
    closeSocketClient(dead);
  }

  /** Close the socket, if any. */
  close(): void {
    const current = this.client;
    this.client = undefined;
    void current?.then(
      (c) => closeSocketClient(c),
      () => {},
    );
  }
}
