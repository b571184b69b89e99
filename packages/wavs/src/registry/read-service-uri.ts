/**
 * Reading `getServiceURI()` from a service manager on its chain. The endpoint comes from the
 * config (http_endpoint, else the first WebSocket endpoint); one client per endpoint is kept
 * until `close()`.
 */
import { wavsServiceManagerAbi } from "@wavs-ts/contracts";
import {
  BaseError,
  ContractFunctionRevertedError,
  ContractFunctionZeroDataError,
  createPublicClient,
  http,
  type PublicClient,
  type WebSocketTransport,
  webSocket,
} from "viem";
import type { WavsConfig } from "../config/index.js";
import { chainConfig, redactUrl, redactUrlsInText } from "../config/index.js";
import { closeSocketClient, WavsError } from "../internal/index.js";
import type { ServiceManager } from "../service/index.js";

/** Reads service URIs from manager contracts. */
export class ServiceUriReader {
  private readonly clients = new Map<string, PublicClient>();
  private readonly sockets: PublicClient<WebSocketTransport>[] = [];

  constructor(
    private readonly config: WavsConfig,
    private readonly options: { timeoutMs: number },
  ) {}

  /** The manager's current service URI (may be empty when none was ever set). */
  async read(manager: ServiceManager): Promise<string> {
    const chain = chainConfig(this.config, manager.chain);
    if (chain === undefined) {
      throw new WavsError("WAVS_ERR_CHAIN_UNKNOWN", `chain ${manager.chain} is not configured`, {
        details: { chain: manager.chain },
        hint: `Add [default.chains.${manager.chain.replace(":", ".")}] with an http_endpoint or ws_endpoints to wavs.toml.`,
      });
    }
    if (manager.type !== "evm" || !("ws_endpoints" in chain)) {
      throw new WavsError(
        "WAVS_ERR_SERVICE_MANAGER_UNSUPPORTED",
        `service manager ${manager.address} on ${manager.chain}: reading the service URI from a Cosmos manager is not supported yet`,
        { hint: "Register the service through the dev routes (POST /dev/services) instead." },
      );
    }
    const endpoint = chain.http_endpoint ?? chain.ws_endpoints[0];
    if (endpoint === undefined) {
      throw new WavsError("WAVS_ERR_CHAIN_UNKNOWN", `chain ${manager.chain} has no endpoint`);
    }
    try {
      return await this.client(endpoint).readContract({
        address: manager.address,
        abi: wavsServiceManagerAbi,
        functionName: "getServiceURI",
      });
    } catch (err) {
      throw this.readError(err, manager, endpoint);
    }
  }

  /** Close WebSocket connections. */
  async close(): Promise<void> {
    const sockets = this.sockets.splice(0);
    this.clients.clear();
    await Promise.all(
      sockets.map(async (client) => {
        try {
          closeSocketClient(await client.transport.getRpcClient());
        } catch {
          // never connected: nothing to close
        }
      }),
    );
  }

  private client(endpoint: string): PublicClient {
    let client = this.clients.get(endpoint);
    if (client === undefined) {
      const timeout = this.options.timeoutMs;
      if (endpoint.startsWith("ws")) {
        const ws = createPublicClient({ transport: webSocket(endpoint, { timeout }) });
        this.sockets.push(ws);
        client = ws as unknown as PublicClient;
      } else {
        client = createPublicClient({ transport: http(endpoint, { timeout, retryCount: 2 }) });
      }
      this.clients.set(endpoint, client);
    }
    return client;
  }

  private readError(err: unknown, manager: ServiceManager, endpoint: string): WavsError {
    const where = `service manager ${manager.address} on ${manager.chain}`;
    const details = { chain: manager.chain, address: manager.address };
    const notManager =
      err instanceof BaseError &&
      err.walk(
        (e) =>
          e instanceof ContractFunctionZeroDataError || e instanceof ContractFunctionRevertedError,
      );
    if (notManager) {
      return new WavsError(
        "WAVS_ERR_SERVICE_MANAGER_NOT_FOUND",
        `${where}: no contract there answers getServiceURI()`,
        {
          details,
          hint: "Check the manager address and chain; the contract must implement IWavsServiceManager.",
          cause: err,
        },
      );
    }
    const reason = err instanceof BaseError ? err.shortMessage : String(err);
    return new WavsError(
      "WAVS_ERR_CHAIN_RPC",
      `${where}: reading getServiceURI() through ${redactUrl(endpoint)} failed: ${redactUrlsInText(reason)}`,
      { details: { ...details, endpoint: redactUrl(endpoint) }, cause: err },
    );
  }
}
