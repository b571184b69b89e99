/**
 * Our RPC layer for one EVM chain: a list of endpoints (HTTP and WebSocket) with retries,
 * backoff and failover, and the few calls the triggers need. Behaviour under failure is ours:
 * viem's own retries and reconnects are off. Errors that reach callers are
 * WAVS_ERR_CHAIN_RPC with the endpoint redacted of credentials.
 */

import type { Logger } from "../internal/index.js";
import { errorMessage, WavsError } from "../internal/index.js";
import type { HeadSubscription } from "./chain-follower.js";
import { type RpcEndpoint, RpcResponseError, rpcEndpoint } from "./rpc-endpoint.js";
import { createRpcPool, type RpcPoolTuning } from "./rpc-pool.js";

/** A block header, as far as the triggers need it. Hashes are lowercase 0x hex. */
export interface BlockHeader {
  number: bigint;
  hash: string;
  parentHash: string;
  timestamp: bigint;
  /** 0x + 512 hex characters, when the node sent one. */
  logsBloom?: string | undefined;
}

/** A log as returned by eth_getLogs; address and hashes lowercase 0x hex. */
export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: bigint;
  blockHash: string;
  transactionHash: string;
  transactionIndex: bigint;
  logIndex: bigint;
  /** Set by nodes that include it in logs (anvil, recent geth and reth). */
  blockTimestamp: bigint | undefined;
}

/** Filter of `getLogs`; `addresses: undefined` means any address, `[]` matches nothing. */
export interface LogFilter {
  fromBlock: bigint;
  toBlock: bigint;
  addresses?: readonly string[] | undefined;
  /** Accepted topic0 values; undefined means any. */
  topic0s?: readonly string[] | undefined;
}

/** Options of `createEvmRpc`. */
export interface EvmRpcOptions extends RpcPoolTuning {
  /** Chain key, for messages (e.g. `evm:31337`). */
  chain: string;
  /** Endpoint URLs (http, https, ws, wss), in order of preference. */
  endpoints: readonly string[];
  logger?: Logger | undefined;
  /** Addresses per eth_getLogs call; longer lists are split (default 500). */
  maxAddressesPerQuery?: number | undefined;
}

/** The RPC client of one chain. */
export interface EvmRpc {
  readonly chain: string;
  /** Whether a WebSocket endpoint is configured (new heads can be subscribed to). */
  readonly hasWebSocket: boolean;
  /** A raw JSON-RPC call with retries and failover. */
  request(method: string, params?: readonly unknown[]): Promise<unknown>;
  /** The latest block number. */
  getBlockNumber(): Promise<bigint>;
  /** A block header by number (or the latest); undefined when the chain has no such block. */
  getBlock(block: bigint | "latest"): Promise<BlockHeader | undefined>;
  /** Logs of a range, sorted by (block, log index); ranges the node refuses are split. */
  getLogs(filter: LogFilter): Promise<RpcLog[]>;
  /**
   * Subscribe to new heads on the first WebSocket endpoint that accepts (failover in order);
   * `header` is undefined when the pushed one lacks a field.
   */
  subscribeNewHeads(
    onHead: (blockNumber: bigint, header: BlockHeader | undefined) => void,
    onDrop: (error: Error) => void,
  ): Promise<HeadSubscription>;
  /** Close connections and make pending and later calls fail. */
  close(): void;
}

const toHex = (n: bigint) => `0x${n.toString(16)}`;

/**
 * Whether a JSON-RPC error says the log query was too large. Providers have no common code for
 * this (Infura: -32005 "query returned more than 10000 results"; Alchemy: "Log response size
 * exceeded"; others name a block-range cap), so this is the one place that reads message text:
 * it turns them into one decision, split the range.
 */
export function isLogRangeError(err: unknown): boolean {
  if (!(err instanceof RpcResponseError)) return false;
  if (err.rpcCode === -32005) return true;
  return /more than \d+ (results|logs)|too many (results|logs)|response size|(block )?range.*(too (large|wide|big)|exceed|limit|max)|(exceed|limit).*(block )?range|limit exceeded|max(imum)? (block )?range/i.test(
    err.message,
  );
}

function str(v: unknown, what: string): string {
  if (typeof v !== "string") throw new RpcResponseError(`malformed ${what}`, 0);
  return v.toLowerCase();
}

function big(v: unknown, what: string): bigint {
  if (typeof v !== "string") throw new RpcResponseError(`malformed ${what}`, 0);
  return BigInt(v);
}

function parseHeader(raw: unknown): BlockHeader | undefined {
  if (raw === null || raw === undefined) return undefined;
  const b = raw as Record<string, unknown>;
  return {
    number: big(b.number, "block number"),
    hash: str(b.hash, "block hash"),
    parentHash: str(b.parentHash, "parent hash"),
    timestamp: big(b.timestamp, "block timestamp"),
    ...(typeof b.logsBloom === "string" ? { logsBloom: b.logsBloom } : {}),
  };
}

/** A pushed head: its number, and its header when every field we use is there; else undefined. */
function pushedHead(
  raw: Record<string, unknown>,
): { number: bigint; header: BlockHeader | undefined } | undefined {
  try {
    const header = parseHeader(raw);
    return header && { number: header.number, header };
  } catch {
    try {
      return { number: big(raw.number, "block number"), header: undefined };
    } catch {
      return undefined;
    }
  }
}

function parseLog(raw: unknown): RpcLog | undefined {
  const l = raw as Record<string, unknown>;
  // Pending logs (no block yet) and removed logs are never trigger material.
  if (l.blockNumber == null || l.blockHash == null || l.logIndex == null || l.removed === true) {
    return undefined;
  }
  return {
    address: str(l.address, "log address"),
    topics: Array.isArray(l.topics) ? l.topics.map((t) => str(t, "log topic")) : [],
    data: str(l.data ?? "0x", "log data"),
    blockNumber: big(l.blockNumber, "log block number"),
    blockHash: str(l.blockHash, "log block hash"),
    transactionHash: str(l.transactionHash, "log transaction hash"),
    transactionIndex: big(l.transactionIndex, "log transaction index"),
    logIndex: big(l.logIndex, "log index"),
    blockTimestamp: typeof l.blockTimestamp === "string" ? BigInt(l.blockTimestamp) : undefined,
  };
}

/** Sort logs by (block number, log index), in place. */
export function sortLogs(logs: RpcLog[]): RpcLog[] {
  return logs.sort((a, b) =>
    a.blockNumber === b.blockNumber
      ? Number(a.logIndex - b.logIndex)
      : a.blockNumber < b.blockNumber
        ? -1
        : 1,
  );
}

/** Create the RPC client of one chain over its endpoints. */
export function createEvmRpc(options: EvmRpcOptions): EvmRpc {
  const { chain, logger } = options;
  if (options.endpoints.length === 0) {
    throw new WavsError("WAVS_ERR_CONFIG_INVALID", `chain ${chain} has no endpoint`, {
      hint: "Set ws_endpoints or http_endpoint for this chain in wavs.toml.",
    });
  }
  const closer = new AbortController();
  const endpoints: RpcEndpoint[] = options.endpoints.map((url) => rpcEndpoint(url, closer.signal));
  // New heads come over sockets of their own, apart from the calls': a notification written
  // right after a call's answer, on the same connection, can sit in the server's send buffer
  // until the answer is acknowledged (Nagle's algorithm against delayed ACKs: ~20-40 ms seen
  // with anvil), and that delay lands on every event.
  const wsEndpoints = options.endpoints
    .filter((url) => /^wss?:\/\//i.test(url))
    .map((url) => rpcEndpoint(url, closer.signal));
  const maxAddresses = options.maxAddressesPerQuery ?? 500;
  const pool = createRpcPool({ ...options, endpoints, closed: closer.signal });
  const { request, closedError, timeoutMs } = pool;
  let wsCurrent = 0;

  async function logsOfRange(
    from: bigint,
    to: bigint,
    address: readonly string[] | undefined,
    topic0s: readonly string[] | undefined,
  ): Promise<RpcLog[]> {
    const filter: Record<string, unknown> = { fromBlock: toHex(from), toBlock: toHex(to) };
    if (address !== undefined) filter.address = address;
    if (topic0s !== undefined) filter.topics = [topic0s];
    try {
      // A single block cannot be split: treat a "too large" answer there like any failure.
      const raw = await request("eth_getLogs", [filter], from < to ? isLogRangeError : undefined);
      if (!Array.isArray(raw)) throw new RpcResponseError("eth_getLogs: not an array", 0);
      return raw.map(parseLog).filter((l): l is RpcLog => l !== undefined);
    } catch (err) {
      if (!isLogRangeError(err) || from >= to) throw err;
      const mid = from + (to - from) / 2n;
      logger?.debug({ chain, from, to }, "log range refused by the node, splitting");
      const left = await logsOfRange(from, mid, address, topic0s);
      const right = await logsOfRange(mid + 1n, to, address, topic0s);
      return left.concat(right);
    }
  }

  return {
    chain,
    hasWebSocket: wsEndpoints.length > 0,
    request: (method, params) => request(method, params),
    async getBlockNumber() {
      return big(await request("eth_blockNumber"), "block number");
    },
    async getBlock(block) {
      const tag = block === "latest" ? "latest" : toHex(block);
      return parseHeader(await request("eth_getBlockByNumber", [tag, false]));
    },
    async getLogs(filter) {
      if (filter.fromBlock > filter.toBlock) return [];
      const { addresses, topic0s } = filter;
      // An empty address list would mean "any address" to the node.
      if (addresses?.length === 0 || topic0s?.length === 0) return [];
      if (addresses === undefined || addresses.length <= maxAddresses) {
        return sortLogs(await logsOfRange(filter.fromBlock, filter.toBlock, addresses, topic0s));
      }
      const logs: RpcLog[] = [];
      for (let i = 0; i < addresses.length; i += maxAddresses) {
        const chunk = addresses.slice(i, i + maxAddresses);
        logs.push(...(await logsOfRange(filter.fromBlock, filter.toBlock, chunk, topic0s)));
      }
      return sortLogs(logs);
    },
    async subscribeNewHeads(onHead, onDrop) {
      if (wsEndpoints.length === 0) {
        throw new WavsError("WAVS_ERR_CHAIN_RPC", `${chain} has no WebSocket endpoint`, {
          details: { chain },
        });
      }
      let last: unknown;
      for (let i = 0; i < wsEndpoints.length; i++) {
        if (closer.signal.aborted) throw closedError("eth_subscribe");
        const index = (wsCurrent + i) % wsEndpoints.length;
        const endpoint = wsEndpoints[index] as RpcEndpoint;
        try {
          options.onRequest?.("eth_subscribe", endpoint.display);
          const unsubscribe = await endpoint.subscribeNewHeads!(
            (raw) => {
              const head = pushedHead(raw);
              if (head) onHead(head.number, head.header);
            },
            onDrop,
            timeoutMs,
          );
          wsCurrent = index;
          return { endpoint: endpoint.display, unsubscribe };
        } catch (err) {
          last = err;
          logger?.warn(
            { chain, endpoint: endpoint.display, err: String(err) },
            "new-heads subscription failed",
          );
        }
      }
      wsCurrent = (wsCurrent + 1) % wsEndpoints.length;
      throw new WavsError(
        "WAVS_ERR_CHAIN_RPC",
        `eth_subscribe on ${chain} failed on every WebSocket endpoint: ${errorMessage(last)}`,
        { details: { chain, method: "eth_subscribe" }, cause: last },
      );
    },
    close() {
      closer.abort();
      for (const endpoint of endpoints) endpoint.close();
    },
  };
}
