import { type Logger as PinoLogger, pino } from "pino";

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

/** Create the root logger. Writes JSON lines to stderr so stdout stays free for command output. */
export function createLogger(options: { level?: LogLevel; name?: string } = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      name: options.name ?? "wavs",
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    },
    pino.destination({ fd: 2, sync: false }),
  );
}

/** A logger that drops everything (library use and tests). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
