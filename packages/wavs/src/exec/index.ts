/** Local runs of components (`wavs exec`, `wavs exec-aggregator`) over the engine. */
export { parseConfigPairs, parseInputBytes, parseJsonArg } from "./input-arg.js";
export type { LocalExecOptions } from "./local-exec.js";
export {
  AGGREGATOR_FUNCTIONS,
  execAggregator,
  execOperator,
  LocalExecError,
} from "./local-exec.js";

import type { EvmContractEventData, ReplayLogRequest } from "./replay-log.js";

/** Read a real log from a chain as trigger data (`--trigger-tx`); viem loads only when used. */
export async function replayEvmLog(req: ReplayLogRequest): Promise<EvmContractEventData> {
  return (await import("./replay-log.js")).replayEvmLog(req);
}
