/** The exec folder as the rest of the node sees it. */
export { parseConfigPairs, parseInputBytes, parseJsonArg } from "./input-arg.js";
export type { LocalExecOptions } from "./local-exec.js";
export {
  AGGREGATOR_FUNCTIONS,
  execAggregator,
  execOperator,
  LocalExecError,
} from "./local-exec.js";
export { replayEvmLog } from "./replay-log.js";
