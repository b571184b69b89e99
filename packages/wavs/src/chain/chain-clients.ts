/**
 * viem public clients of the configured EVM chains, made on first use. The aggregator reads
 * with them (eth_call of validate and handlers, receipts) and broadcasts signed transactions.
 * viem (not triggers/evm-rpc.ts) because a revert is an answer here, not a failure to retry,
 * and viem decodes revert data for `isQuorumPending` and `decodeRevert`.
 *
 * WebSocket endpoints come first when there are any: a call over an open socket costs a
 * fraction of an HTTP request's CPU, on the node and on the chain's node alike (measured here:
 * ~0.15 ms against ~0.6 - 1.1 ms through viem's HTTP transport). HTTP takes over whenever the
 * sockets fail. Each `ChainClients` keeps one socket of its own per endpoint (never viem's shared
 * ones: concurrent first calls through viem's socket cache can each open a socket, and the
 * extra ones were never closed) and closes them in `close()`.
 */
import {
  createPublicClient,
  custom,
  fallback,
  http,
  type PublicClient,
  type Transport,
} from "viem";
import { chainConfig, type WavsConfig } from "../config/index.js";
import { WavsError } from "../internal/index.js";
import { type CosmosRpc, cosmosRpcFor, RpcResponseError, wsEndpoint } from "../triggers/index.js";

/** Clients per chain key: viem clients of EVM chains (`evm:31337`), CometBFT clients of Cosmos ones. */
export class ChainClients {
  private readonly clients = new Map<string, PublicClient>();
  private readonly cosmosClients = new Map<string, CosmosRpc>();
  /** Aborted by `close()`: every socket of these clients closes, later calls fail over to HTTP. */
  private readonly closed = new AbortController();

  constructor(
    private readonly config: WavsConfig,
    private readonly options: { timeoutMs?: number; pollingIntervalMs?: number } = {},
  ) {}

  /** Whether the chain is a configured EVM chain. */
  has(chain: string): boolean {
    return chain.startsWith("evm:") && chainConfig(this.config, chain) !== undefined;
  }

  /** Whether the chain is a configured chain of either family (a Cosmos one with an RPC endpoint). */
  knows(chain: string): boolean {
    if (this.has(chain)) return true;
    return (
      chain.startsWith("cosmos:") &&
      chainConfig(this.config, chain as `cosmos:${string}`)?.rpc_endpoint !== undefined
    );
  }

  /** The client of a configured EVM chain; WAVS_ERR_CHAIN_UNKNOWN otherwise. */
  get(chain: string): PublicClient {
    const existing = this.clients.get(chain);
    if (existing) return existing;
    const cfg = chain.startsWith("evm:")
      ? chainConfig(this.config, chain as `evm:${string}`)
      : undefined;
    if (!cfg) {
      throw new WavsError(
        "WAVS_ERR_CHAIN_UNKNOWN",
        `chain ${chain} is not a configured EVM chain`,
        {
          hint: `add [default.chains.${chain.replace(":", ".")}] to wavs.toml`,
        },
      );
    }
    const timeout = this.options.timeoutMs ?? 15_000;
    const transports: Transport[] = [];
    for (const ws of cfg.ws_endpoints) transports.push(this.socketTransport(ws, timeout));
    if (cfg.http_endpoint) transports.push(http(cfg.http_endpoint, { timeout, retryCount: 2 }));
    const transport = transports.length === 1 ? transports[0]! : fallback(transports);
    const client = createPublicClient({
      transport,
      pollingInterval: this.options.pollingIntervalMs ?? 1000,
    });
    this.clients.set(chain, client);
    return client;
  }

  /** The CometBFT client of a configured Cosmos chain (rpc_endpoint, then its fallbacks). */
  cosmos(chain: string): CosmosRpc {
    const existing = this.cosmosClients.get(chain);
    if (existing) return existing;
    const cfg = chain.startsWith("cosmos:")
      ? chainConfig(this.config, chain as `cosmos:${string}`)
      : undefined;
    if (cfg?.rpc_endpoint === undefined) {
      throw new WavsError(
        "WAVS_ERR_CHAIN_UNKNOWN",
        `chain ${chain} is not a configured Cosmos chain with an rpc_endpoint`,
        { hint: `add [default.chains.${chain.replace(":", ".")}] with rpc_endpoint to wavs.toml` },
      );
    }
    const client = cosmosRpcFor(chain, cfg, {
      requestTimeoutMs: this.options.timeoutMs ?? 15_000,
      maxAttempts: 3,
      webSocket: false,
    });
    this.cosmosClients.set(chain, client);
    return client;
  }

  /** Forget every client and close its sockets. */
  close(): void {
    this.clients.clear();
    for (const client of this.cosmosClients.values()) client.close();
    this.cosmosClients.clear();
    this.closed.abort();
  }

  /**
   * A WebSocket endpoint as a viem transport: our endpoint (rpc-endpoint.ts) keeps one
   * connection, opened on first use and dropped on failure, and closes it for good in
   * `close()`. A JSON-RPC error goes to viem with its code and data (revert bytes), so viem
   * decodes it as it does for HTTP; a transport failure makes the fallback try the next
   * endpoint.
   */
  private socketTransport(url: string, timeout: number): Transport {
    const endpoint = wsEndpoint(url, this.closed.signal);
    return custom(
      {
        async request({ method, params }: { method: string; params?: unknown }) {
          try {
            return await endpoint.request(method, Array.isArray(params) ? params : [], timeout);
          } catch (err) {
            if (err instanceof RpcResponseError) {
              throw Object.assign(new Error(err.rpcMessage ?? err.message), {
                code: err.rpcCode,
                data: err.rpcData,
              });
            }
            throw err;
          }
        },
      },
      { key: "webSocket", name: "WebSocket JSON-RPC", retryCount: 0 },
    );
  }
}
