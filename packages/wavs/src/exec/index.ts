/** Local runs of components (`wavs exec`, `wavs exec-aggregator`) over the engine. */
export { parseConfigPairs, parseInputBytes, parseJsonArg } from "./input-arg.js";
export type { LocalExecOptions } from "./local-exec.js";
export {
  AGGREGATOR_FUNCTIONS,
  execAggregator,
  execOperator,
  LocalExecError,
} from "./local-exec.js";
export { replayEvmLog } from "./replay-log.js";
