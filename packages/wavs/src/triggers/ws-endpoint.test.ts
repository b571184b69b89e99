import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type WebSocket, WebSocketServer } from "ws";
import { RpcTransportError } from "./rpc-transport.js";
import { CALL_SOCKETS, wsEndpoint } from "./ws-endpoint.js";

/** A JSON-RPC server on 127.0.0.1 that holds `eth_call` answers until released. */
async function heldServer() {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((r) => server.once("listening", () => r()));
  const connections: WebSocket[] = [];
  /** Methods received, by connection (index in `connections`). */
  const methods: string[][] = [];
  const held: (() => void)[] = [];
  server.on("connection", (socket) => {
    const index = connections.push(socket) - 1;
    methods[index] = [];
    socket.on("message", (data) => {
      const call = JSON.parse(data.toString()) as { id: number; method: string };
      methods[index]!.push(call.method);
      const answer = (result: unknown) =>
        socket.send(JSON.stringify({ jsonrpc: "2.0", id: call.id, result }));
      if (call.method === "eth_call") held.push(() => answer("0x01"));
      else if (call.method === "eth_subscribe") answer("0xsub");
      else if (call.method === "drop_me") socket.terminate();
      else answer("0x2a");
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    connections,
    methods,
    held,
    /** Wait until `n` calls are held. */
    async holding(n: number) {
      while (held.length < n) await new Promise((r) => setTimeout(r, 5));
    },
    release() {
      for (const answer of held.splice(0)) answer();
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe("wsEndpoint", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setUp() {
    const server = await heldServer();
    const closed = new AbortController();
    const endpoint = wsEndpoint(server.url, closed.signal);
    cleanups.push(() => server.close());
    cleanups.push(() => closed.abort());
    return { server, endpoint };
  }

  it("sends calls made one after another over one socket", async () => {
    const { server, endpoint } = await setUp();
    for (let i = 0; i < 5; i++)
      expect(await endpoint.request("eth_blockNumber", [], 5_000)).toBe("0x2a");
    expect(server.connections).toHaveLength(1);
    expect(server.methods[0]).toHaveLength(5);
  });

  it("gives calls in flight at once a socket each, up to its cap, then shares the least busy", async () => {
    const { server, endpoint } = await setUp();
    const first = Array.from({ length: 3 }, () => endpoint.request("eth_call", [], 5_000));
    await server.holding(3);
    // three calls in flight: three sockets, one call on each
    expect(server.connections).toHaveLength(3);
    expect(server.methods.map((m) => m.length)).toEqual([1, 1, 1]);
    const more = Array.from({ length: CALL_SOCKETS + 1 }, () =>
      endpoint.request("eth_call", [], 5_000),
    );
    await server.holding(3 + CALL_SOCKETS + 1);
    expect(server.connections).toHaveLength(CALL_SOCKETS);
    // spread evenly: no socket carries more than one call beyond another
    const loads = server.methods.map((m) => m.length);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    server.release();
    expect(await Promise.all([...first, ...more])).toEqual(
      Array.from({ length: 3 + CALL_SOCKETS + 1 }, () => "0x01"),
    );
    // idle again: the next call reuses an open socket
    expect(await endpoint.request("eth_blockNumber", [], 5_000)).toBe("0x2a");
    expect(server.connections).toHaveLength(CALL_SOCKETS);
  });

  it("keeps new heads on a socket of their own, apart from the calls and their failures", async () => {
    const { server, endpoint } = await setUp();
    const heads: unknown[] = [];
    let dropped: Error | undefined;
    const unsubscribe = await endpoint.subscribeNewHeads!(
      (h) => heads.push(h),
      (e) => {
        dropped = e;
      },
      5_000,
    );
    expect(await endpoint.request("eth_blockNumber", [], 5_000)).toBe("0x2a");
    expect(server.connections).toHaveLength(2);
    expect(server.methods[0]).toEqual(["eth_subscribe"]);
    expect(server.methods[1]).toEqual(["eth_blockNumber"]);
    // a call whose socket dies fails alone; the next call reconnects; the heads still arrive
    await expect(endpoint.request("drop_me", [], 5_000)).rejects.toBeInstanceOf(RpcTransportError);
    expect(await endpoint.request("eth_blockNumber", [], 5_000)).toBe("0x2a");
    expect(server.connections).toHaveLength(3);
    server.connections[0]!.send(
      JSON.stringify({
        jsonrpc: "2.0",
        method: "eth_subscription",
        params: { subscription: "0xsub", result: { number: "0x7" } },
      }),
    );
    while (heads.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(heads).toEqual([{ number: "0x7" }]);
    expect(dropped).toBeUndefined();
    unsubscribe();
  });
});
