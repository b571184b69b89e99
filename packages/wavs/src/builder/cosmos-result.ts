/** Results on the example CosmWasm handler (`wavs result` for a service landing on Cosmos). */
import { WavsError } from "../internal/index.js";
import { ContractQueryError, createCosmosRpc } from "../triggers/index.js";

/** What the handler stored for a trigger. */
export interface CosmosTriggerResult {
  triggerId: bigint;
  /** 0x hex. */
  data: `0x${string}`;
  eventId: string;
}

/**
 * The handler's `{"trigger_data": {"trigger_id": ...}}`; WAVS_ERR_RESULT_NOT_FOUND while it has
 * none yet.
 */
export async function readCosmosResult(options: {
  rpcUrl: string;
  chain: string;
  handler: string;
  triggerId: bigint;
}): Promise<CosmosTriggerResult> {
  const { handler, triggerId } = options;
  const rpc = createCosmosRpc({
    chain: options.chain,
    endpoints: [options.rpcUrl],
    webSocket: false,
  });
  let stored: unknown;
  try {
    stored = await rpc.queryContractSmart(handler, {
      trigger_data: { trigger_id: String(triggerId) },
    });
  } catch (err) {
    if (err instanceof ContractQueryError) {
      throw new WavsError("WAVS_ERR_INPUT_INVALID", `${handler} did not answer trigger_data`, {
        hint: "is that address the example CosmWasm handler?",
        cause: err,
      });
    }
    throw err;
  } finally {
    rpc.close();
  }
  const found = stored as { data?: unknown; event_id?: unknown } | null;
  if (typeof found?.data !== "string") {
    throw new WavsError(
      "WAVS_ERR_RESULT_NOT_FOUND",
      `trigger ${triggerId} has no result on ${handler} yet`,
      {
        hint: "the operators may still be working on it: wait a moment and run `wavs result` again",
      },
    );
  }
  return {
    triggerId,
    data: `0x${Buffer.from(found.data, "base64").toString("hex")}`,
    eventId: String(found.event_id ?? ""),
  };
}
