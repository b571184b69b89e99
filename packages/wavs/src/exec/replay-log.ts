/**
 * `wavs exec --trigger-tx`: read a real log from a configured EVM chain and turn it into the
 * `evm_contract_event` trigger data a node would have handed the component.
 */
import {
  BaseError,
  createPublicClient,
  type Hash,
  http,
  type PublicClient,
  type TransactionReceipt,
  webSocket,
} from "viem";
import type { WavsConfig } from "../config/index.js";
import { chainConfig, evmChainKeys, redactUrl, redactUrlsInText } from "../config/index.js";
import { WavsError } from "../internal/index.js";
import type { TriggerDataOf } from "../service/index.js";
import { chainKeyProblem, hexToBytes } from "../service/index.js";

/** What to replay: one log of one transaction on one configured chain. */
export interface ReplayLogRequest {
  /** Transaction hash, 0x + 64 hex digits. */
  txHash: string;
  /** The log's index in its block (as receipts and explorers number them). */
  logIndex: number;
  /** Chain key of a configured EVM chain, e.g. `evm:31337`. */
  chain: string;
  /** Config holding `[default.chains.evm.<id>]`. */
  config: WavsConfig;
  /** The wavs.toml the config came from, named in errors; undefined when none was found. */
  configFile?: string | undefined;
  /** Per-request RPC timeout; default 10 s. */
  timeoutMs?: number | undefined;
}

/** The trigger data of an EVM log. */
export type EvmContractEventData = TriggerDataOf<"evm_contract_event">;

/** Read the log and its block from the chain and build `evm_contract_event` trigger data. */
export async function replayEvmLog(req: ReplayLogRequest): Promise<EvmContractEventData> {
  const txHash = checkTxHash(req.txHash);
  const endpoint = endpointOf(req);
  const client = connect(endpoint, req.timeoutMs ?? 10_000);
  try {
    const receipt = await rpc(endpoint, req.chain, () =>
      getReceipt(client, txHash, req.chain, endpoint),
    );
    const log = receipt.logs.find((l) => l.logIndex === req.logIndex);
    if (log === undefined) throw missingLog(req, receipt);
    const block = await rpc(endpoint, req.chain, () =>
      client.getBlock({ blockHash: receipt.blockHash }),
    );
    return {
      type: "evm_contract_event",
      chain: req.chain,
      log: {
        address: hexToBytes(log.address),
        data: { topics: log.topics.map((t) => hexToBytes(t)), data: hexToBytes(log.data) },
        tx_hash: hexToBytes(receipt.transactionHash),
        block_number: receipt.blockNumber,
        log_index: BigInt(log.logIndex),
        block_hash: hexToBytes(receipt.blockHash),
        block_timestamp: block.timestamp,
        tx_index: BigInt(receipt.transactionIndex),
      },
    };
  } finally {
    await disconnect(client);
  }
}

function checkTxHash(hash: string): Hash {
  if (/^0x[0-9a-fA-F]{64}$/.test(hash)) return hash.toLowerCase() as Hash;
  throw new WavsError(
    "WAVS_ERR_INPUT_INVALID",
    `--trigger-tx ${JSON.stringify(hash.slice(0, 80))}: not a transaction hash`,
    { hint: "pass the hash as 0x followed by 64 hex digits" },
  );
}

/** The endpoint to read from: the HTTP endpoint, else the first WebSocket endpoint. */
function endpointOf(req: ReplayLogRequest): string {
  const problem = chainKeyProblem(req.chain);
  if (problem !== undefined) {
    throw new WavsError("WAVS_ERR_INPUT_INVALID", `--chain: ${problem}`, {
      hint: "write the chain as evm:<chain id>, e.g. evm:31337",
    });
  }
  if (!req.chain.startsWith("evm:")) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `--chain ${req.chain}: --trigger-tx replays EVM logs only`,
      { hint: "use the key of an EVM chain, e.g. evm:31337" },
    );
  }
  const chain = chainConfig(req.config, req.chain as `evm:${string}`);
  const endpoint = chain?.http_endpoint ?? chain?.ws_endpoints[0];
  if (chain === undefined || endpoint === undefined) {
    const configured = evmChainKeys(req.config);
    const id = req.chain.slice("evm:".length);
    throw new WavsError(
      "WAVS_ERR_CHAIN_UNKNOWN",
      `chain ${req.chain} is not configured (${
        req.configFile === undefined ? "no wavs.toml found" : `not in ${req.configFile}`
      }; configured EVM chains: ${configured.join(", ") || "none"})`,
      {
        details: { chain: req.chain, configured, file: req.configFile ?? null },
        hint: `add [default.chains.evm.${id}] with http_endpoint = "http://..." to wavs.toml (found through --home, WAVS_HOME or the current directory)`,
      },
    );
  }
  return endpoint;
}

function connect(endpoint: string, timeoutMs: number): PublicClient {
  // One retry: a local replay should fail fast with a clear error rather than back off.
  const transport = /^wss?:/i.test(endpoint)
    ? webSocket(endpoint, { timeout: timeoutMs, retryCount: 1, reconnect: false, keepAlive: false })
    : http(endpoint, { timeout: timeoutMs, retryCount: 1 });
  return createPublicClient({ transport });
}

/** Close a WebSocket connection, which would otherwise keep the process alive. */
async function disconnect(client: PublicClient): Promise<void> {
  const transport = client.transport as { getRpcClient?: () => Promise<{ close(): void }> };
  if (transport.getRpcClient === undefined) return;
  try {
    (await transport.getRpcClient()).close();
  } catch {
    // never connected: nothing to close
  }
}

async function getReceipt(
  client: PublicClient,
  hash: Hash,
  chain: string,
  endpoint: string,
): Promise<TransactionReceipt> {
  try {
    return await client.getTransactionReceipt({ hash });
  } catch (err) {
    if (err instanceof BaseError && err.name === "TransactionReceiptNotFoundError") {
      throw new WavsError(
        "WAVS_ERR_INPUT_INVALID",
        `transaction ${hash} not found on ${chain} (or not mined yet)`,
        {
          details: { tx_hash: hash, chain, endpoint: redactUrl(endpoint) },
          hint: "check the hash and that --chain names the chain the transaction was sent to",
        },
      );
    }
    throw err;
  }
}

/** Run one RPC call; anything other than our own errors becomes WAVS_ERR_CHAIN_RPC. */
async function rpc<T>(endpoint: string, chain: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof WavsError) throw err;
    // viem's long message quotes the URL, which may carry an API key: keep the short one.
    const reason =
      err instanceof BaseError
        ? `${err.shortMessage}${err.details ? ` (${err.details})` : ""}`
        : err instanceof Error
          ? err.message
          : String(err);
    const where = redactUrl(endpoint);
    throw new WavsError("WAVS_ERR_CHAIN_RPC", `${chain} (${where}): ${redactUrlsInText(reason)}`, {
      details: { chain, endpoint: where },
      hint: "check that the node at this endpoint is running and reachable",
      cause: err,
    });
  }
}

function missingLog(req: ReplayLogRequest, receipt: TransactionReceipt): WavsError {
  const indexes = receipt.logs.map((l) => l.logIndex);
  const has =
    indexes.length === 0
      ? `it emitted no logs${receipt.status === "reverted" ? " (it reverted)" : ""}`
      : `its logs have indexes ${indexes.join(", ")}`;
  return new WavsError(
    "WAVS_ERR_INPUT_INVALID",
    `--log-index ${req.logIndex}: transaction ${receipt.transactionHash} has no log with that index; ${has}`,
    {
      details: { tx_hash: receipt.transactionHash, log_indexes: indexes },
      hint:
        indexes.length === 0
          ? "choose a transaction that emitted the event"
          : indexes.length === 1
            ? `pass --log-index ${indexes[0]} (log indexes count within the block)`
            : `pass one of ${indexes.join(", ")} as --log-index (log indexes count within the block)`,
    },
  );
}
