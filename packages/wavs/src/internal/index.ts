/**
 * What every folder uses: the error family, validation messages, logger, progress. Metrics
 * are a folder of their own (`metrics/`): prom-client and what it loads would otherwise be part
 * of every command's start, `wavs exec` included.
 */

export type { ErrorCode } from "@wavs-ts/errors";
export { ERROR_CODES, errorMessage, toWavsError, WavsError } from "@wavs-ts/errors";
export { closeSocketClient } from "./close-socket-client.js";
export type { EventStage, EventTrace, EventTraceOptions, TraceAttributes } from "./event-trace.js";
export {
  createEventTrace,
  deferredTrace,
  eventTraceIds,
  NO_TRACE,
  parseTraceparent,
} from "./event-trace.js";
export type { LogEntry, LogFilter } from "./log-buffer.js";
export { LOG_LEVEL_NUMBERS, LogBuffer, matchesLog } from "./log-buffer.js";
export type { Logger, LogLevel } from "./logger.js";
export { createLogger, LOG_LEVELS, silentLogger } from "./logger.js";
export { missingMallocEnv, NODE_MALLOC_ENV } from "./malloc-env.js";
export type { MetricsPush } from "./metrics-push.js";
export { createMetricsPush } from "./metrics-push.js";
export { printableUtf8 } from "./printable-utf8.js";
export type { Progress } from "./progress.js";
export { createProgress } from "./progress.js";
export { unlessAborted } from "./unless-aborted.js";
export { splitCredentials } from "./url-credentials.js";
export type { LocatedProblem, Vocabulary } from "./validation-problems.js";
export {
  expectedFound,
  expectedType,
  problemsError,
  problemsMessage,
} from "./validation-problems.js";
