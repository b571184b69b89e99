import type { ExecLog } from "../exec-types.js";
import type { ExecState } from "./exec-state.js";
import { ComponentExit } from "./host-error.js";
import { bufferSource, InputStream, OutputStream } from "./io.js";

/** Turns component stdout/stderr bytes into log lines, split on newlines. */
class LineSink {
  private pending = "";
  private readonly decoder = new TextDecoder();
  constructor(
    private readonly state: ExecState,
    private readonly source: ExecLog["source"],
    private readonly level: ExecLog["level"],
  ) {}
  write(bytes: Uint8Array): void {
    this.pending += this.decoder.decode(bytes, { stream: true });
    let nl = this.pending.indexOf("\n");
    while (nl >= 0) {
      this.state.log({
        level: this.level,
        source: this.source,
        message: this.pending.slice(0, nl),
      });
      this.pending = this.pending.slice(nl + 1);
      nl = this.pending.indexOf("\n");
    }
  }
  flush(): void {
    if (this.pending.length > 0)
      this.state.log({ level: this.level, source: this.source, message: this.pending });
    this.pending = "";
  }
}

class TerminalInput {}
class TerminalOutput {}

/**
 * wasi:cli imports: only the allowed environment, no arguments, empty stdin, stdout and stderr
 * captured into the execution's logs, no terminal. `exit` stops the component.
 */
export function cliImports(state: ExecState) {
  const sinks = new Map<string, LineSink>();
  const sink = (source: "stdout" | "stderr") => {
    const key = `${state.currentId()}:${source}`;
    let s = sinks.get(key);
    if (!s) {
      for (const [k, old] of sinks) {
        if (!k.startsWith(`${state.currentId()}:`)) {
          old.flush();
          sinks.delete(k);
        }
      }
      s = new LineSink(state, source, source === "stdout" ? "info" : "warn");
      sinks.set(key, s);
    }
    return s;
  };
  return {
    /** Flush partial lines at the end of an execution. */
    flushOutput(): void {
      for (const s of sinks.values()) s.flush();
      sinks.clear();
    },
    imports: {
      "wasi:cli/environment": {
        getEnvironment: (): [string, string][] => state.current().env,
        getArguments: (): string[] => [],
        initialCwd: (): string | undefined => (state.current().fsRoot ? "." : undefined),
      },
      "wasi:cli/exit": {
        exit(status: { tag: "ok" | "err" }): never {
          throw new ComponentExit(status.tag);
        },
        exitWithCode(code: number): never {
          throw new ComponentExit(code);
        },
      },
      "wasi:cli/stdin": { getStdin: () => new InputStream(state, bufferSource(new Uint8Array())) },
      "wasi:cli/stdout": { getStdout: () => new OutputStream(state, sink("stdout")) },
      "wasi:cli/stderr": { getStderr: () => new OutputStream(state, sink("stderr")) },
      "wasi:cli/terminal-input": { TerminalInput },
      "wasi:cli/terminal-output": { TerminalOutput },
      "wasi:cli/terminal-stdin": { getTerminalStdin: () => undefined },
      "wasi:cli/terminal-stdout": { getTerminalStdout: () => undefined },
      "wasi:cli/terminal-stderr": { getTerminalStderr: () => undefined },
    },
  };
}
