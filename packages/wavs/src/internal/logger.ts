import { type Logger as PinoLogger, pino } from "pino";
import type { LogBuffer } from "./log-buffer.js";

/** The one logger type used across WAVS-TS: pino, with a child per subsystem and per service. */
export type Logger = PinoLogger;

/** Log levels accepted by config and CLI flags. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Field names whose values are always replaced before a line is written. */
const REDACTED_PATHS = [
  "signing_mnemonic",
  "aggregator_evm_credential",
  "bearer_token",
  "*.signing_mnemonic",
  "*.aggregator_evm_credential",
  "*.bearer_token",
  "mnemonic",
  "privateKey",
  "authorization",
  "*.authorization",
];

/**
 * Create the root logger. Writes JSON lines to stderr so stdout stays free for command output;
 * with `buffer`, also to the node's in-memory log (GET /dev/logs), after redaction; with
 * `stderr: false` only there.
 */
export function createLogger(
  options: { level?: LogLevel; name?: string; buffer?: LogBuffer; stderr?: boolean } = {},
): Logger {
  const level = options.level ?? "info";
  if (level === "silent") return silentLogger();
  const streams: { level: LogLevel; stream: pino.DestinationStream }[] = [];
  if (options.stderr !== false)
    streams.push({ level, stream: pino.destination({ fd: 2, sync: false }) });
  if (options.buffer) streams.push({ level, stream: options.buffer.stream() });
  return pino(
    {
      level,
      name: options.name ?? "wavs",
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    },
    pino.multistream(streams),
  );
}

/** A logger that drops everything (library use and tests). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
