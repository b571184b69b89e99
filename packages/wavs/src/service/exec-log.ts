/** One captured log line of an execution (host.log, stdout, stderr, engine notes). */
export interface ExecLog {
  level: "error" | "warn" | "info" | "debug" | "trace";
  message: string;
  /** Where the line came from. */
  source: "host" | "stdout" | "stderr" | "engine";
}
