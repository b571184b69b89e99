/**
 * A JSON-RPC endpoint over WebSocket. Calls are spread over a few sockets, each opened when the
 * calls in flight need it: a server that leaves Nagle's algorithm on (anvil does) holds back an
 * answer while an earlier one on the same socket is not acknowledged, and this side
 * acknowledges late (up to 40 ms) when it has nothing to send; two `eth_call`s in flight on one
 * socket to anvil took 20 ms each on average, against 0.5 ms on two sockets. So a call goes to a
 * socket with nothing in flight, a new one while there are fewer than {@link CALL_SOCKETS},
 * else the least busy; subscriptions have a socket of their own, where pushed heads never hold
 * back an answer.
 */
import { setMaxListeners } from "node:events";
import { redactUrl } from "../config/index.js";
import {
  describeFailure,
  fromReply,
  type JsonRpcReply,
  type RpcEndpoint,
  RpcResponseError,
  RpcTransportError,
  withTimeout,
} from "./rpc-transport.js";
import { SocketLane } from "./socket-lane.js";

/** Sockets an endpoint spreads its calls over, at most. */
export const CALL_SOCKETS = 4;

/** A WebSocket endpoint; see the module comment. */
export function wsEndpoint(url: string, closed: AbortSignal): RpcEndpoint {
  const display = redactUrl(url);
  // every call in flight listens on `closed` until it settles (and then stops): a busy node
  // has dozens at once, which is not the leak Node's default limit of 10 warns about
  setMaxListeners(0, closed);
  const lanes: SocketLane[] = [];
  const heads = new SocketLane(url, closed);

  /** A socket with nothing in flight, a new one under the cap, else the least busy. */
  const pick = (): SocketLane => {
    let best: SocketLane | undefined;
    for (const lane of lanes) if (best === undefined || lane.busy < best.busy) best = lane;
    if (best !== undefined && (best.busy === 0 || lanes.length >= CALL_SOCKETS)) return best;
    const lane = new SocketLane(url, closed);
    lanes.push(lane);
    return lane;
  };

  const closeAll = () => {
    for (const lane of lanes) lane.close();
    heads.close();
  };
  closed.addEventListener("abort", closeAll);

  return {
    kind: "ws",
    display,
    async request(method, params, timeoutMs) {
      const lane = pick();
      lane.busy++;
      try {
        const socket = await lane.connect(timeoutMs);
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
          lane.drop(socket);
          if (err instanceof RpcTransportError) throw err;
          throw new RpcTransportError(`${method}: ${describeFailure(err)}`);
        }
        return fromReply(reply, method);
      } finally {
        lane.busy--;
      }
    },
    async subscribeNewHeads(onHead, onDrop, timeoutMs) {
      const socket = await heads.connect(timeoutMs);
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
              heads.drop(socket);
              onDrop(error);
            }
          },
        });
      });
      try {
        await withTimeout(subscribed, timeoutMs, "eth_subscribe", closed);
      } catch (err) {
        heads.drop(socket);
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
    close: closeAll,
  };
}
