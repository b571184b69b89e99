/**
 * `wavs exec --trigger-tx <hash> --event-index <n> --chain cosmos:<id>`: read a real contract
 * event from a configured Cosmos chain (CometBFT RPC) and turn it into the
 * `cosmos_contract_event` trigger data a node would have handed the component.
 */
import type { WavsConfig } from "../config/index.js";
import { chainConfig, cosmosChainKeys } from "../config/index.js";
import { WavsError } from "../internal/index.js";
import type { TriggerDataOf } from "../service/index.js";
import { contractAddressOf, cosmosRpcFor } from "../triggers/index.js";

/** What to replay: one event of one transaction on one configured Cosmos chain. */
export interface ReplayCosmosEventRequest {
  /** Transaction hash: 64 hex digits (0x optional, any case). */
  txHash: string;
  /** The event's index among its block's events (the trigger data's `event_index`). */
  eventIndex: number;
  /** Chain key of a configured Cosmos chain, e.g. `cosmos:wasmd-1`. */
  chain: string;
  config: WavsConfig;
  /** The wavs.toml the config came from, named in errors. */
  configFile?: string | undefined;
  /** Per-request RPC timeout; default 10 s. */
  timeoutMs?: number | undefined;
}

/** Read the event from the chain and build `cosmos_contract_event` trigger data. */
export async function replayCosmosEvent(
  req: ReplayCosmosEventRequest,
): Promise<TriggerDataOf<"cosmos_contract_event">> {
  const hash = req.txHash.replace(/^0x/i, "");
  if (!/^[0-9a-fA-F]{64}$/.test(hash)) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `--trigger-tx ${JSON.stringify(req.txHash.slice(0, 80))}: not a transaction hash`,
      { hint: "pass the hash as 64 hex digits, as explorers and `wavs trigger --json` print it" },
    );
  }
  const chain = chainConfig(req.config, req.chain as `cosmos:${string}`);
  if (chain?.rpc_endpoint === undefined) {
    const configured = cosmosChainKeys(req.config);
    const id = req.chain.slice("cosmos:".length);
    throw new WavsError(
      "WAVS_ERR_CHAIN_UNKNOWN",
      `chain ${req.chain} is not configured with an rpc_endpoint (${
        req.configFile === undefined ? "no wavs.toml found" : `in ${req.configFile}`
      }; configured Cosmos chains: ${configured.join(", ") || "none"})`,
      {
        details: { chain: req.chain, configured, file: req.configFile ?? null },
        hint: `add [default.chains.cosmos.${id}] with bech32_prefix, rpc_endpoint, gas_price and gas_denom to wavs.toml`,
      },
    );
  }
  const rpc = cosmosRpcFor(req.chain, chain, {
    requestTimeoutMs: req.timeoutMs ?? 10_000,
    maxAttempts: 2,
    webSocket: false,
  });
  try {
    const tx = await rpc.getTx(hash);
    if (tx === undefined) {
      throw new WavsError(
        "WAVS_ERR_INPUT_INVALID",
        `--trigger-tx ${hash}: no such transaction on ${req.chain}`,
        { hint: "check the hash and the chain; pruned nodes forget old transactions" },
      );
    }
    const block = await rpc.getBlockResults(tx.height);
    const start = block.txStarts[tx.index] ?? block.txEnd;
    const end = block.txStarts[tx.index + 1] ?? block.txEnd;
    const event = block.events[req.eventIndex];
    const address = event && contractAddressOf(event);
    if (event === undefined || req.eventIndex < start || req.eventIndex >= end || !address) {
      const listed = block.events
        .slice(start, end)
        .map(
          (e, i) =>
            `${start + i} ${e.type}${contractAddressOf(e) ? "" : " (not a contract event)"}`,
        );
      throw new WavsError(
        "WAVS_ERR_INPUT_INVALID",
        `--event-index ${req.eventIndex}: not a contract event of transaction ${hash} (block ${tx.height})`,
        {
          details: { events: listed },
          hint: `its events are event_index ${start} to ${end - 1}: ${listed.join(", ")}`,
        },
      );
    }
    return {
      type: "cosmos_contract_event",
      contract_address: { bech32_addr: address, prefix_len: address.lastIndexOf("1") },
      chain: req.chain,
      event: { ty: event.type, attributes: event.attributes.map((a) => [a.key, a.value]) },
      block_height: tx.height,
      event_index: BigInt(req.eventIndex),
    };
  } finally {
    rpc.close();
  }
}
