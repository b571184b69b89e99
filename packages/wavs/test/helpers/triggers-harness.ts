/** Scenario helpers for trigger tests: temp stores, configs, proxies, event collectors. */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Anvil, logSpamAbi } from "@wavs-ts/contracts";
import type { Address } from "viem";
import { afterEach } from "vitest";
import { type WavsConfig, WavsConfigSchema } from "../../src/config/index.js";
import { type Db, openDatabase } from "../../src/store/database.js";
import type { TriggerEvent } from "../../src/triggers/trigger-event.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh database file in a temp directory, removed after the test. */
export function tempDb(): { db: Db; path: string; reopen(): Db } {
  const dir = mkdtempSync(join(tmpdir(), "wavs-triggers-"));
  const path = join(dir, "wavs.db");
  const opened: Db[] = [];
  const open = () => {
    const db = openDatabase(path);
    opened.push(db);
    return db;
  };
  cleanups.push(() => {
    for (const db of opened) if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db: open(), path, reopen: open };
}

/** Register something to undo after the test (stop a manager, close a proxy). */
export function onCleanup(fn: () => unknown): void {
  cleanups.push(fn);
}

/** A node config with one EVM chain. */
export function chainConfig(
  id: string,
  chain: {
    ws_endpoints?: string[];
    http_endpoint?: string;
    confirmations?: number;
    poll_interval_ms?: number;
    logs_bloom?: boolean;
  },
): WavsConfig {
  return WavsConfigSchema.parse({ chains: { evm: { [id]: chain } } });
}

/** A 127.0.0.1 port that nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * An HTTP JSON-RPC proxy in front of `target`. `intercept` may answer a request itself
 * (return, or resolve to, the JSON-RPC reply body) or let it through (undefined).
 */
export async function startRpcProxy(
  target: string,
  intercept: (request: { method: string; params: unknown[] }) => unknown,
): Promise<{ url: string; requests: { method: string; params: unknown[] }[] }> {
  const requests: { method: string; params: unknown[] }[] = [];
  const server = createHttpServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString("utf8");
    });
    req.on("end", async () => {
      const parsed = JSON.parse(body) as { id: number; method: string; params: unknown[] };
      requests.push({ method: parsed.method, params: parsed.params });
      const reply = await intercept(parsed);
      res.setHeader("content-type", "application/json");
      if (reply !== undefined) {
        res.end(JSON.stringify({ jsonrpc: "2.0", id: parsed.id, ...(reply as object) }));
        return;
      }
      const upstream = await fetch(target, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      res.end(await upstream.text());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, requests };
}

/** A TCP proxy to a local port that can be cut (connections dropped, new ones refused). */
export async function startTcpProxy(targetPort: number): Promise<{
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = async () => {
    const s = createServer((client) => {
      const target = connect(targetPort, "127.0.0.1");
      sockets.add(client);
      sockets.add(target);
      client.pipe(target).pipe(client);
      const close = () => {
        client.destroy();
        target.destroy();
        sockets.delete(client);
        sockets.delete(target);
      };
      client.on("error", close).on("close", close);
      target.on("error", close).on("close", close);
    });
    await new Promise<void>((resolve) => s.listen(port, "127.0.0.1", resolve));
    port = (s.address() as { port: number }).port;
    server = s;
  };
  const cut = async () => {
    const s = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await listen();
  cleanups.push(cut);
  return { port, cut, restore: listen };
}

/** Collects trigger events; `waitFor` polls until a predicate holds. */
export function collector(options: { delayMs?: number } = {}) {
  const events: TriggerEvent[] = [];
  return {
    events,
    onEvent: async (event: TriggerEvent) => {
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      events.push(event);
    },
    /** Resolves once `predicate(events)` holds; throws after `timeoutMs`. */
    async waitFor(predicate: (events: TriggerEvent[]) => boolean, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        if (Date.now() > deadline) {
          throw new Error(`timed out waiting for events (have ${events.length})`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

/** Sleep. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Emit `Spam(id)` for ids start..start+count-1 in one transaction; resolves when mined. */
export async function emitSpam(anvil: Anvil, address: Address, start: number, count = 1) {
  const { walletClient, publicClient } = anvil.clients();
  const hash = await walletClient.writeContract({
    address,
    abi: logSpamAbi,
    functionName: "emitSpam",
    args: [BigInt(start), BigInt(count)],
  });
  return publicClient.waitForTransactionReceipt({ hash });
}

/** The Spam ids carried by `evm_contract_event` events (topic 1 as a number). */
export function spamIds(events: readonly TriggerEvent[]): number[] {
  return events.flatMap((e) =>
    e.data.type === "evm_contract_event"
      ? [Number(Buffer.from(e.data.log.data.topics[1] ?? new Uint8Array()).readBigUInt64BE(24))]
      : [],
  );
}

/** Resolves once `predicate()` holds; throws after `timeoutMs`. */
export async function waitUntil(
  predicate: () => boolean,
  timeoutMs = 15_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
