/**
 * viem public clients of the configured EVM chains, made on first use. The aggregator reads
 * with them (eth_call of validate and handlers, receipts) and broadcasts signed transactions.
 * viem (not triggers/evm-rpc.ts) because a revert is an answer here, not a failure to retry,
 * and viem decodes revert data for `isQuorumPending` and `decodeRevert`.
 */
import {
  createPublicClient,
  fallback,
  http,
  type PublicClient,
  type Transport,
  webSocket,
} from "viem";
import { chainConfig, type WavsConfig } from "../config/index.js";
import { WavsError } from "../internal/index.js";

/** Clients per chain key (`evm:31337`). */
export class ChainClients {
  private readonly clients = new Map<string, PublicClient>();

  constructor(
    private readonly config: WavsConfig,
    private readonly options: { timeoutMs?: number; pollingIntervalMs?: number } = {},
  ) {}

  /** Whether the chain is a configured EVM chain. */
  has(chain: string): boolean {
    return chain.startsWith("evm:") && chainConfig(this.config, chain) !== undefined;
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
    // HTTP first: calls are one-shot; WebSocket endpoints stand in when there is no HTTP one
    const transports: Transport[] = [];
    if (cfg.http_endpoint) transports.push(http(cfg.http_endpoint, { timeout, retryCount: 2 }));
    for (const ws of cfg.ws_endpoints) transports.push(webSocket(ws, { timeout, retryCount: 2 }));
    const transport = transports.length === 1 ? transports[0]! : fallback(transports);
    const client = createPublicClient({
      transport,
      pollingInterval: this.options.pollingIntervalMs ?? 1000,
    });
    this.clients.set(chain, client);
    return client;
  }

  /** Forget every client (WebSocket transports close when unreferenced). */
  close(): void {
    this.clients.clear();
  }
}
