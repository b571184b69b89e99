/**
 * Our client of a Cosmos chain's CometBFT RPC: the calls the node needs (latest height, a
 * block's events, CosmWasm smart queries) over HTTP JSON-RPC with the shared retries and
 * failover, and new blocks over CometBFT's `/websocket` subscription
 * (`tm.event='NewBlockHeader'`).
 */
import {
  QueryContractInfoRequest,
  QueryContractInfoResponse,
  QuerySmartContractStateRequest,
  QuerySmartContractStateResponse,
} from "cosmjs-types/cosmwasm/wasm/v1/query";
import WebSocket from "ws";
import { type CosmosChainConfig, redactUrl } from "../config/index.js";
import type { Logger } from "../internal/index.js";
import { errorMessage, WavsError } from "../internal/index.js";
import type { HeadSubscription } from "./chain-follower.js";
import {
  describeFailure,
  httpEndpoint,
  RpcResponseError,
  RpcTransportError,
} from "./rpc-endpoint.js";
import { createRpcPool, type RpcPoolTuning } from "./rpc-pool.js";

/** One ABCI event; attributes in the order the chain emitted them. */
export interface CosmosEvent {
  type: string;
  attributes: { key: string; value: string }[];
}

const SMART_QUERY_PATH = "/cosmwasm.wasm.v1.Query/SmartContractState";
const CONTRACT_INFO_PATH = "/cosmwasm.wasm.v1.Query/ContractInfo";

/** The contract that emitted an event (its `_contract_address` attribute), if any. */
export function contractAddressOf(event: CosmosEvent): string | undefined {
  return event.attributes.find((a) => a.key === "_contract_address")?.value;
}

/** A `tx` / `tx_search` entry as a {@link CommittedTx}. */
function committedTx(raw: unknown): CommittedTx {
  const tx = raw as {
    hash?: unknown;
    height?: unknown;
    index?: unknown;
    tx?: unknown;
    tx_result?: { code?: unknown; log?: unknown; gas_used?: unknown };
  } | null;
  const height = tx?.height;
  if (typeof height !== "string" || !/^\d+$/.test(height))
    throw new RpcResponseError("malformed tx height", 0);
  const gas = tx?.tx_result?.gas_used;
  return {
    hash: String(tx?.hash ?? "").toUpperCase(),
    height: BigInt(height),
    index: Number(tx?.index ?? 0),
    code: Number(tx?.tx_result?.code ?? 0),
    log: String(tx?.tx_result?.log ?? ""),
    gasUsed: typeof gas === "string" && /^\d+$/.test(gas) ? BigInt(gas) : 0n,
    tx: typeof tx?.tx === "string" ? Buffer.from(tx.tx, "base64") : new Uint8Array(),
  };
}

/** Options of `createCosmosRpc`. */
export interface CosmosRpcOptions extends RpcPoolTuning {
  /** Chain key, for messages (e.g. `cosmos:wasmd-1`). */
  chain: string;
  /** CometBFT RPC URLs (http, https), in order of preference. */
  endpoints: readonly string[];
  logger?: Logger | undefined;
  /** Subscribe to new blocks over each endpoint's `/websocket` (default true). */
  webSocket?: boolean | undefined;
}

/** A committed transaction as CometBFT reports it. */
export interface CommittedTx {
  /** Upper-case hex, no 0x (CometBFT's spelling). */
  hash: string;
  height: bigint;
  /** Position in its block. */
  index: number;
  /** 0 when the transaction succeeded. */
  code: number;
  log: string;
  gasUsed: bigint;
  /** The raw transaction (protobuf `TxRaw`). */
  tx: Uint8Array;
}

/** The CometBFT client of one chain. */
export interface CosmosRpc {
  readonly chain: string;
  /** Whether new blocks can be subscribed to. */
  readonly hasWebSocket: boolean;
  /** The latest committed height (CometBFT's block store). */
  getLatestHeight(): Promise<bigint>;
  /**
   * The height the application has committed (`abci_info`): what contract queries see as the
   * current block. It can trail `getLatestHeight` for a moment (CometBFT stores a block
   * before the application commits it).
   */
  getAppHeight(): Promise<bigint>;
  /**
   * A block's events in `event_index` order: every transaction's events in transaction
   * order, then the block's own (finalize-block) events.
   */
  getBlockEvents(height: bigint): Promise<CosmosEvent[]>;
  /** The same, with where each transaction's events start. */
  getBlockResults(height: bigint): Promise<BlockEvents>;
  /** A committed transaction (height, position, result, bytes); undefined when unknown. */
  getTx(hash: string): Promise<CommittedTx | undefined>;
  /**
   * One page (from 1, up to 100 per page) of the committed transactions matching a CometBFT
   * `tx_search` query, newest first unless `order` is `asc`.
   */
  searchTxs(
    query: string,
    page?: { page?: number; perPage?: number; order?: "asc" | "desc" },
  ): Promise<CommittedTx[]>;
  /**
   * A CosmWasm smart query (`abci_query` of `/cosmwasm.wasm.v1.Query/SmartContractState`);
   * resolves with the contract's JSON answer. A contract that refuses the query (or an
   * address with no contract) rejects with `ContractQueryError`.
   */
  queryContractSmart(address: string, msg: unknown): Promise<unknown>;
  /** A contract's code id and label; undefined when no contract is at that address. */
  getContractInfo(address: string): Promise<{ codeId: bigint; label: string } | undefined>;
  /** Subscribe to new block heights on the first endpoint whose socket accepts. */
  subscribeNewBlocks(
    onHeight: (height: bigint) => void,
    onDrop: (error: Error) => void,
  ): Promise<HeadSubscription>;
  /** Close connections and make pending and later calls fail. */
  close(): void;
}

/** The chain answered a smart query with an error (no contract there, or the contract refused). */
export class ContractQueryError extends WavsError {
  override readonly name = "ContractQueryError";
  constructor(
    readonly chain: string,
    readonly address: string,
    readonly log: string,
  ) {
    super("WAVS_ERR_INPUT_INVALID", `${chain}: contract ${address} refused the query: ${log}`, {
      details: { chain, address },
    });
  }
}

/** A height the node no longer keeps (pruned); `lowest` is its lowest available height. */
export class PrunedHeightError extends WavsError {
  override readonly name = "PrunedHeightError";
  constructor(
    readonly chain: string,
    readonly height: bigint,
    readonly lowest: bigint,
  ) {
    super("WAVS_ERR_CHAIN_PRUNED", `${chain}: block ${height} is pruned (lowest kept: ${lowest})`, {
      details: { chain, height: String(height), lowest: String(lowest) },
      hint: "Point rpc_endpoint at an archive node to catch up further back.",
    });
  }
}

function events(raw: unknown, what: string): CosmosEvent[] {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) throw new RpcResponseError(`malformed ${what}`, 0);
  return raw.map((e: { type?: unknown; attributes?: unknown }) => {
    if (typeof e?.type !== "string") throw new RpcResponseError(`malformed ${what}`, 0);
    const attributes = Array.isArray(e.attributes) ? e.attributes : [];
    return {
      type: e.type,
      attributes: attributes.map((a: { key?: unknown; value?: unknown }) => ({
        key: typeof a?.key === "string" ? a.key : "",
        value: typeof a?.value === "string" ? a.value : "",
      })),
    };
  });
}

/** A block's events in event_index order, and where each transaction's events start. */
export interface BlockEvents {
  events: CosmosEvent[];
  /** `txStarts[i]`: event_index of transaction i's first event (its events run to the next). */
  txStarts: number[];
  /** event_index just after the last transaction's events. */
  txEnd: number;
}

/** The events of a `block_results` answer in event_index order (CometBFT 0.37 and 0.38+). */
export function blockResultEvents(result: unknown): BlockEvents {
  const r = (result ?? {}) as Record<string, unknown>;
  const out: CosmosEvent[] = [];
  const txStarts: number[] = [];
  // 0.37 had begin/end-block events around the transactions; 0.38+ one finalize-block list.
  out.push(...events(r.begin_block_events, "begin_block_events"));
  const txs = r.txs_results;
  if (txs !== null && txs !== undefined) {
    if (!Array.isArray(txs)) throw new RpcResponseError("malformed txs_results", 0);
    for (const tx of txs as { events?: unknown }[]) {
      txStarts.push(out.length);
      out.push(...events(tx?.events, "tx events"));
    }
  }
  const txEnd = out.length;
  out.push(...events(r.end_block_events, "end_block_events"));
  out.push(...events(r.finalize_block_events, "finalize_block_events"));
  return { events: out, txStarts, txEnd };
}

/** The `/websocket` URL of a CometBFT RPC URL. */
export function cometWebSocketUrl(rpcUrl: string): string {
  const url = new URL(rpcUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/websocket`;
  return url.toString();
}

/** The client of a configured chain: its rpc_endpoint first, then its rpc_fallback_endpoints. */
export function cosmosRpcFor(
  chain: string,
  config: Pick<CosmosChainConfig, "rpc_endpoint" | "rpc_fallback_endpoints">,
  options: Omit<CosmosRpcOptions, "chain" | "endpoints"> = {},
): CosmosRpc {
  const endpoints = config.rpc_endpoint === undefined ? [] : [config.rpc_endpoint];
  return createCosmosRpc({
    ...options,
    chain,
    endpoints: [...endpoints, ...config.rpc_fallback_endpoints],
  });
}

/** Create the CometBFT client of one chain. */
export function createCosmosRpc(options: CosmosRpcOptions): CosmosRpc {
  const { chain, logger } = options;
  if (options.endpoints.length === 0) {
    throw new WavsError("WAVS_ERR_CONFIG_INVALID", `chain ${chain} has no rpc_endpoint`, {
      hint: "Set rpc_endpoint (CometBFT RPC) for this chain in wavs.toml.",
    });
  }
  const closer = new AbortController();
  const endpoints = options.endpoints.map((url) => httpEndpoint(url, closer.signal));
  const pool = createRpcPool({ ...options, endpoints, closed: closer.signal });
  const sockets = new Set<WebSocket>();
  let wsCurrent = 0;

  const asHeight = (v: unknown, what: string): bigint => {
    if (typeof v !== "string" || !/^\d+$/.test(v))
      throw new RpcResponseError(`malformed ${what}`, 0);
    return BigInt(v);
  };

  /** One gRPC-style query through `abci_query`; a refusal rejects with ContractQueryError. */
  async function abciQuery(
    path: string,
    request: Uint8Array,
    address: string,
  ): Promise<Uint8Array> {
    const result = (await pool.request("abci_query", [
      path,
      Buffer.from(request).toString("hex"),
      "0",
      false,
    ])) as { response?: { code?: unknown; log?: unknown; value?: unknown } } | null;
    const response = result?.response;
    if (response === undefined) throw new RpcResponseError("abci_query: no response", 0);
    if (response.code !== undefined && response.code !== 0) {
      throw new ContractQueryError(chain, address, String(response.log ?? "").slice(0, 1000));
    }
    if (typeof response.value !== "string") throw new RpcResponseError("abci_query: no value", 0);
    return Buffer.from(response.value, "base64");
  }

  async function getBlockResults(height: bigint): Promise<BlockEvents> {
    try {
      return blockResultEvents(await pool.request("block_results", [String(height)], isPruned));
    } catch (err) {
      const lowest = prunedLowest(err);
      if (lowest !== undefined) throw new PrunedHeightError(chain, height, lowest);
      throw err;
    }
  }

  const subscribeOn = (url: string, onHeight: (h: bigint) => void, onDrop: (e: Error) => void) =>
    new Promise<() => void>((resolve, reject) => {
      const display = redactUrl(url);
      const socket = new WebSocket(url, { handshakeTimeout: pool.timeoutMs });
      sockets.add(socket);
      let subscribed = false;
      let done = false;
      const timer = setTimeout(
        () => fail(new RpcTransportError("subscribe: timed out")),
        pool.timeoutMs,
      );
      // CometBFT pings every ~27 s; a socket silent for a minute is dead.
      let alive = Date.now();
      const watchdog = setInterval(() => {
        if (Date.now() - alive > 60_000) fail(new RpcTransportError("subscribe: socket silent"));
        else if (socket.readyState === WebSocket.OPEN) socket.ping();
      }, 15_000);
      const fail = (error: Error) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearInterval(watchdog);
        sockets.delete(socket);
        socket.removeAllListeners();
        socket.on("error", () => {});
        socket.terminate();
        if (subscribed) onDrop(error);
        else reject(error);
      };
      socket.on("pong", () => {
        alive = Date.now();
      });
      socket.on("ping", () => {
        alive = Date.now();
      });
      socket.on("open", () => {
        socket.send(
          JSON.stringify({
            jsonrpc: "2.0",
            id: "wavs-new-blocks",
            method: "subscribe",
            params: { query: "tm.event='NewBlockHeader'" },
          }),
        );
      });
      socket.on("message", (data: WebSocket.RawData) => {
        alive = Date.now();
        let message: {
          result?: { data?: { value?: { header?: { height?: unknown } } } };
          error?: { message?: unknown; data?: unknown };
        };
        try {
          message = JSON.parse(data.toString());
        } catch {
          return;
        }
        if (message.error) {
          const text = `${String(message.error.message)} ${String(message.error.data ?? "")}`;
          fail(new RpcResponseError(`subscribe on ${display}: ${text.trim()}`, 0));
          return;
        }
        const height = message.result?.data?.value?.header?.height;
        if (!subscribed) {
          subscribed = true;
          clearTimeout(timer);
          resolve(() => {
            subscribed = false;
            fail(new RpcTransportError("unsubscribed"));
          });
        }
        if (typeof height === "string" && /^\d+$/.test(height)) onHeight(BigInt(height));
      });
      socket.on("error", (err) =>
        fail(new RpcTransportError(`subscribe: ${describeFailure(err)}`)),
      );
      socket.on("close", () => fail(new RpcTransportError("subscribe: socket closed")));
    });

  return {
    chain,
    hasWebSocket: options.webSocket !== false,
    async getLatestHeight() {
      const status = (await pool.request("status")) as {
        sync_info?: { latest_block_height?: unknown };
      } | null;
      return asHeight(status?.sync_info?.latest_block_height, "status");
    },
    async getAppHeight() {
      const info = (await pool.request("abci_info")) as {
        response?: { last_block_height?: unknown };
      } | null;
      return asHeight(info?.response?.last_block_height, "abci_info");
    },
    async getBlockEvents(height) {
      return (await getBlockResults(height)).events;
    },
    getBlockResults,
    async getTx(hash) {
      const bytes = Buffer.from(hash.replace(/^0x/i, ""), "hex");
      try {
        return committedTx(await pool.request("tx", [bytes.toString("base64"), false], isNotFound));
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async searchTxs(query, page = {}) {
      const result = (await pool.request("tx_search", [
        query,
        false,
        String(page.page ?? 1),
        String(Math.min(100, Math.max(1, page.perPage ?? 100))),
        page.order ?? "desc",
      ])) as { txs?: unknown } | null;
      return Array.isArray(result?.txs) ? result.txs.map(committedTx) : [];
    },
    async queryContractSmart(address, msg) {
      const request = QuerySmartContractStateRequest.encode({
        address,
        queryData: new TextEncoder().encode(JSON.stringify(msg)),
      }).finish();
      const value = await abciQuery(SMART_QUERY_PATH, request, address);
      const { data } = QuerySmartContractStateResponse.decode(value);
      return JSON.parse(new TextDecoder().decode(data));
    },
    async getContractInfo(address) {
      const request = QueryContractInfoRequest.encode({ address }).finish();
      try {
        const { contractInfo } = QueryContractInfoResponse.decode(
          await abciQuery(CONTRACT_INFO_PATH, request, address),
        );
        return contractInfo && { codeId: contractInfo.codeId, label: contractInfo.label };
      } catch (err) {
        if (err instanceof ContractQueryError) return undefined;
        throw err;
      }
    },
    async subscribeNewBlocks(onHeight, onDrop) {
      let last: unknown;
      for (let i = 0; i < endpoints.length; i++) {
        if (closer.signal.aborted) throw pool.closedError("subscribe");
        const index = (wsCurrent + i) % endpoints.length;
        const url = cometWebSocketUrl(options.endpoints[index] as string);
        try {
          options.onRequest?.("subscribe", redactUrl(url));
          const unsubscribe = await subscribeOn(url, onHeight, onDrop);
          wsCurrent = index;
          return { endpoint: redactUrl(url), unsubscribe };
        } catch (err) {
          last = err;
          logger?.warn(
            { chain, endpoint: redactUrl(url), err: String(err) },
            "new-blocks subscription failed",
          );
        }
      }
      wsCurrent = (wsCurrent + 1) % endpoints.length;
      throw new WavsError(
        "WAVS_ERR_CHAIN_RPC",
        `subscribe on ${chain} failed on every endpoint: ${errorMessage(last)}`,
        { details: { chain, method: "subscribe" }, cause: last },
      );
    },
    close() {
      closer.abort();
      for (const endpoint of endpoints) endpoint.close();
      for (const socket of sockets) socket.terminate();
      sockets.clear();
    },
  };
}

// CometBFT answers a pruned height with "height N is not available, lowest height is M".
function prunedLowest(err: unknown): bigint | undefined {
  if (!(err instanceof RpcResponseError)) return undefined;
  const text = `${err.message} ${String(err.rpcData ?? "")}`;
  const match = /lowest height is (\d+)/.exec(text);
  return match ? BigInt(match[1] as string) : undefined;
}

// CometBFT answers an unknown transaction hash with "tx (<HASH>) not found".
function isNotFound(err: unknown): boolean {
  return (
    err instanceof RpcResponseError &&
    /not found/i.test(`${err.message} ${String(err.rpcData ?? "")}`)
  );
}

function isPruned(err: unknown): boolean {
  return prunedLowest(err) !== undefined;
}
