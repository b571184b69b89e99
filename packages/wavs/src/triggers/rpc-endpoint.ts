/**
 * One JSON-RPC endpoint of a chain, over HTTP (fetch, here) or WebSocket (ws-endpoint.ts).
 * Endpoints make a single attempt per call; retries and failover belong to `evm-rpc.ts`.
 * Every error raised here has a message with credentials already removed from URLs.
 */
import { redactUrl, redactUrlsInText } from "../config/index.js";
import { splitCredentials } from "../internal/index.js";
import {
  describeFailure,
  fromReply,
  type JsonRpcReply,
  type RpcEndpoint,
  RpcTransportError,
} from "./rpc-transport.js";
import { wsEndpoint } from "./ws-endpoint.js";

export {
  describeFailure,
  type RpcEndpoint,
  RpcResponseError,
  RpcTransportError,
} from "./rpc-transport.js";
export { wsEndpoint } from "./ws-endpoint.js";

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

/** The endpoint for a URL, by scheme. */
export function rpcEndpoint(url: string, closed: AbortSignal): RpcEndpoint {
  return /^wss?:\/\//i.test(url) ? wsEndpoint(url, closed) : httpEndpoint(url, closed);
}
