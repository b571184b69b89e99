/**
 * The node's recent log lines, kept in memory for GET /dev/logs and followed live by
 * GET /dev/logs/stream. It is a second pino destination beside stderr, so it sees exactly the
 * lines the operator sees, after pino's redaction: secrets never reach it.
 */
import { Writable } from "node:stream";

/** One log line as pino wrote it (JSON), with the fields the routes filter on. */
export interface LogEntry {
  /** Sequence number, increasing: a client following the stream can resume after one. */
  seq: number;
  /** ms since the Unix epoch. */
  time: number;
  /** pino's numeric level (10 trace ... 60 fatal). */
  level: number;
  msg: string;
  service_id?: string | undefined;
  /** Every other field of the line. */
  line: Record<string, unknown>;
}

/** Filter of GET /dev/logs and its stream. */
export interface LogFilter {
  /** Lowest level shown (pino number). */
  minLevel?: number | undefined;
  serviceId?: string | undefined;
}

/** pino level names and numbers. */
export const LOG_LEVEL_NUMBERS: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

/** Whether an entry passes a filter. */
export function matchesLog(entry: LogEntry, filter: LogFilter): boolean {
  if (filter.minLevel !== undefined && entry.level < filter.minLevel) return false;
  if (filter.serviceId !== undefined && entry.service_id !== filter.serviceId) return false;
  return true;
}

/** A bounded ring of recent lines with live subscribers. */
export class LogBuffer {
  private readonly entries: LogEntry[] = [];
  private readonly listeners = new Set<(entry: LogEntry) => void>();
  private seq = 0;

  constructor(private readonly capacity = 5000) {}

  /** A writable stream for pino (one JSON line per write). */
  stream(): Writable {
    return new Writable({
      write: (chunk: Buffer | string, _encoding, done) => {
        for (const text of String(chunk).split("\n")) if (text !== "") this.add(text);
        done();
      },
    });
  }

  /** Add one JSON line. */
  add(text: string): void {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      line = { msg: text };
    }
    const entry: LogEntry = {
      seq: ++this.seq,
      time: typeof line.time === "number" ? line.time : Date.now(),
      level: typeof line.level === "number" ? line.level : 30,
      msg: typeof line.msg === "string" ? line.msg : "",
      service_id: typeof line.service_id === "string" ? line.service_id : undefined,
      line,
    };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.shift();
    for (const listener of this.listeners) listener(entry);
  }

  /** The newest `limit` entries passing the filter, oldest first. */
  recent(filter: LogFilter, limit: number): LogEntry[] {
    const out: LogEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0 && out.length < limit; i--) {
      const entry = this.entries[i]!;
      if (matchesLog(entry, filter)) out.push(entry);
    }
    return out.reverse();
  }

  /** Call `listener` with every new entry; returns the unsubscribe function. */
  subscribe(listener: (entry: LogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
