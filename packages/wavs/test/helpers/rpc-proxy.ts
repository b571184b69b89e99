/**
 * A JSON-RPC pass-through on 127.0.0.1 in front of a chain node (anvil), for one operator node:
 * HTTP requests and WebSocket connections are forwarded as they are, except that the proxy can
 * be told to refuse transaction broadcasts (`eth_sendRawTransaction`, `eth_sendTransaction`).
 * That lets a test hold every operator's result transaction back, act (kill a node), and let
 * the others send again: no timing races. The WebSocket side relays whole frames in both
 * directions and reads the client's text frames to find the broadcasts; compression is not
 * negotiated, so frames are plain.
 */
import { createServer, type IncomingMessage } from "node:http";
import { connect } from "node:net";
import type { Duplex } from "node:stream";
import { type Anvil, startAnvil } from "@wavs-ts/contracts";
import { afterAll, beforeAll } from "vitest";

/** Methods that broadcast a transaction on Ethereum. */
export const ETH_SEND_METHODS: ReadonlySet<string> = new Set([
  "eth_sendRawTransaction",
  "eth_sendTransaction",
]);

/** JSON-RPC error code of a refused broadcast ("transaction rejected", EIP-1474). */
export const REFUSED_CODE = -32003;
const REFUSED_MESSAGE = "transaction rejected: broadcasts are blocked by the test RPC proxy";

/** One JSON-RPC call that went through the proxy. */
export interface ProxiedCall {
  method: string;
  transport: "http" | "ws";
  refused: boolean;
  at: number;
}

/** A running proxy. */
export interface RpcProxy {
  /** HTTP endpoint, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** WebSocket endpoint on the same port. */
  readonly wsUrl: string;
  /** Every call seen, in order. */
  readonly calls: readonly ProxiedCall[];
  /** Refuse broadcasts from now on (answered with a JSON-RPC error, never forwarded). */
  blockSends(): void;
  /** Forward broadcasts again. */
  unblockSends(): void;
  /** Broadcasts refused so far. */
  refusedSends(): number;
  /** Broadcasts forwarded so far. */
  forwardedSends(): number;
  close(): Promise<void>;
}

interface JsonRpcCall {
  id?: unknown;
  method?: unknown;
}

function refusal(call: JsonRpcCall) {
  return {
    jsonrpc: "2.0",
    id: call.id ?? null,
    error: { code: REFUSED_CODE, message: REFUSED_MESSAGE },
  };
}

function parseCalls(text: string): { calls: JsonRpcCall[]; batch: boolean } | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (Array.isArray(parsed)) return { calls: parsed as JsonRpcCall[], batch: true };
    if (parsed !== null && typeof parsed === "object") {
      return { calls: [parsed as JsonRpcCall], batch: false };
    }
  } catch {
    // not JSON: forwarded untouched
  }
  return undefined;
}

const methodOf = (c: JsonRpcCall) => (typeof c.method === "string" ? c.method : "?");

/** Start a proxy in front of `upstream` (an `http://host:port` JSON-RPC endpoint that also speaks WebSocket). */
export async function startRpcProxy(
  upstream: string,
  /** The broadcast methods (default: Ethereum's; `broadcast_tx_sync` for CometBFT). */
  options: { sendMethods?: readonly string[] } = {},
): Promise<RpcProxy> {
  const sendMethods: ReadonlySet<string> = options.sendMethods
    ? new Set(options.sendMethods)
    : ETH_SEND_METHODS;
  const target = new URL(upstream);
  const calls: ProxiedCall[] = [];
  const sockets = new Set<Duplex>();
  let blocked = false;

  const record = (list: JsonRpcCall[], transport: "http" | "ws") => {
    const at = Date.now();
    const refused = blocked && list.some((c) => sendMethods.has(methodOf(c)));
    for (const c of list) {
      calls.push({
        method: methodOf(c),
        transport,
        refused: refused && sendMethods.has(methodOf(c)),
        at,
      });
    }
    return refused;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const parsed = parseCalls(body.toString("utf8"));
        if (parsed && record(parsed.calls, "http")) {
          // a batch holding a broadcast: the broadcasts are refused, the rest forwarded
          const others = parsed.calls.filter((c) => !sendMethods.has(methodOf(c)));
          const answers = new Map<unknown, unknown>();
          if (others.length > 0) {
            const up = await fetch(target, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify(others),
            });
            for (const a of (await up.json()) as { id?: unknown }[]) answers.set(a.id, a);
          }
          const out = parsed.calls.map((c) =>
            sendMethods.has(methodOf(c)) ? refusal(c) : answers.get(c.id),
          );
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify(parsed.batch ? out : out[0]));
          return;
        }
        const up = await fetch(target, {
          method: req.method ?? "POST",
          headers: { "content-type": req.headers["content-type"] ?? "application/json" },
          ...(req.method === "GET" || req.method === "HEAD" ? {} : { body }),
        });
        res.writeHead(up.status, {
          "content-type": up.headers.get("content-type") ?? "application/json",
        });
        res.end(Buffer.from(await up.arrayBuffer()));
      })().catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
        res.end(`rpc proxy: upstream failed: ${(err as Error).message}`);
      });
    });
  });
  server.keepAliveTimeout = 1000;

  server.on("upgrade", (req: IncomingMessage, client: Duplex, head: Buffer) => {
    const up = connect(Number(target.port), target.hostname);
    sockets.add(client);
    sockets.add(up);
    const destroy = () => {
      client.destroy();
      up.destroy();
      sockets.delete(client);
      sockets.delete(up);
    };
    client.on("error", destroy);
    client.on("close", destroy);
    up.on("error", destroy);
    up.on("close", destroy);

    // the handshake, without extensions (no permessage-deflate: frames stay readable)
    const lines = [`${req.method ?? "GET"} ${req.url ?? "/"} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!;
      if (name.toLowerCase() === "sec-websocket-extensions") continue;
      lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
    }
    up.write(`${lines.join("\r\n")}\r\n\r\n`);

    // upstream -> client: the handshake answer verbatim, then whole frames
    let handshake: Buffer | undefined = Buffer.alloc(0);
    const pendingToClient: Buffer[] = [];
    const toClient = (frame: Buffer) => {
      if (handshake !== undefined) pendingToClient.push(frame);
      else client.write(frame);
    };
    const fromUpstream = new FrameReader((frame) => client.write(frame));
    up.on("data", (chunk: Buffer) => {
      if (handshake === undefined) return fromUpstream.push(chunk);
      handshake = Buffer.concat([handshake, chunk]);
      const end = handshake.indexOf("\r\n\r\n");
      if (end < 0) return;
      client.write(handshake.subarray(0, end + 4));
      const rest = handshake.subarray(end + 4);
      handshake = undefined;
      for (const f of pendingToClient.splice(0)) client.write(f);
      if (rest.length > 0) fromUpstream.push(rest);
    });

    // client -> upstream: whole frames; text frames holding a refused broadcast stay here
    const fromClient = new FrameReader((frame, info) => {
      if (info.opcode === 1 && info.fin) {
        const parsed = parseCalls(info.payload.toString("utf8"));
        if (parsed && record(parsed.calls, "ws")) {
          const out = parsed.calls.map((c) => refusal(c));
          toClient(serverTextFrame(JSON.stringify(parsed.batch ? out : out[0])));
          return;
        }
      }
      up.write(frame);
    });
    client.on("data", (chunk: Buffer) => fromClient.push(chunk));
    if (head.length > 0) fromClient.push(head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as { port: number };
  const count = (refused: boolean) =>
    calls.filter((c) => sendMethods.has(c.method) && c.refused === refused).length;

  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    calls,
    blockSends() {
      blocked = true;
    },
    unblockSends() {
      blocked = false;
    },
    refusedSends: () => count(true),
    forwardedSends: () => count(false),
    async close() {
      for (const s of sockets) s.destroy();
      sockets.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface FrameInfo {
  fin: boolean;
  opcode: number;
  /** The payload, unmasked. */
  payload: Buffer;
}

/** Splits a WebSocket byte stream into whole frames (RFC 6455 section 5.2). */
class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (frame: Buffer, info: FrameInfo) => void) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const b = this.buffer;
      if (b.length < 2) return;
      let length = b[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) return;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) return;
        length = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      const masked = (b[1]! & 0x80) !== 0;
      const maskAt = offset;
      if (masked) offset += 4;
      if (b.length < offset + length) return;
      const frame = b.subarray(0, offset + length);
      const payload = Buffer.from(b.subarray(offset, offset + length));
      if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= b[maskAt + (i % 4)]!;
      this.buffer = b.subarray(offset + length);
      this.onFrame(frame, { fin: (b[0]! & 0x80) !== 0, opcode: b[0]! & 0x0f, payload });
    }
  }
}

/** An unmasked, final text frame (what a server sends). */
function serverTextFrame(text: string): Buffer {
  const payload = Buffer.from(text, "utf8");
  let header: Buffer;
  if (payload.length < 126) {
    header = Buffer.from([0x81, payload.length]);
  } else if (payload.length < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x81;
    header[1] = 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x81;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  return Buffer.concat([header, payload]);
}

/** A real anvil behind a proxy for one test file: started before its tests, stopped after. */
export function useProxiedAnvil(): { anvil(): Anvil; proxy(): RpcProxy } {
  let anvil: Anvil | undefined;
  let proxy: RpcProxy | undefined;
  beforeAll(async () => {
    anvil = await startAnvil();
    proxy = await startRpcProxy(anvil.rpcUrl);
  });
  afterAll(async () => {
    await proxy?.close();
    await anvil?.stop();
  });
  const started = <T>(part: T | undefined): T => {
    if (part === undefined) throw new Error("the proxied anvil is not started yet");
    return part;
  };
  return { anvil: () => started(anvil), proxy: () => started(proxy) };
}

/** The methods of the calls a proxy sees from now on, in order, each time it is asked. */
export function methodsFromNow(proxy: RpcProxy): () => string[] {
  const mark = proxy.calls.length;
  return () => proxy.calls.slice(mark).map((c) => c.method);
}
