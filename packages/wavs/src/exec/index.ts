/** Local runs of components (`wavs exec`, `wavs exec-aggregator`) over the engine. */
export { parseConfigPairs, parseInputBytes, parseJsonArg } from "./input-arg.js";
export type { LocalExecOptions } from "./local-exec.js";
export {
  AGGREGATOR_FUNCTIONS,
  execAggregator,
  execOperator,
  LocalExecError,
} from "./local-exec.js";

import type { TriggerDataOf } from "../service/index.js";
import type { ReplayCosmosEventRequest } from "./replay-cosmos-event.js";
import type { EvmContractEventData, ReplayLogRequest } from "./replay-log.js";

/** Read a real log from a chain as trigger data (`--trigger-tx`); viem loads only when used. */
export async function replayEvmLog(req: ReplayLogRequest): Promise<EvmContractEventData> {
  return (await import("./replay-log.js")).replayEvmLog(req);
}

/** Read a real Cosmos contract event as trigger data (`--trigger-tx` on a Cosmos chain). */
export async function replayCosmosEvent(
  req: ReplayCosmosEventRequest,
): Promise<TriggerDataOf<"cosmos_contract_event">> {
  return (await import("./replay-cosmos-event.js")).replayCosmosEvent(req);
}
