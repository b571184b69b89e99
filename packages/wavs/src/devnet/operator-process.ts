/**
 * One dev operator as a child process (`wavs node --home <operator home>`), its output appended
 * to a log file. The child gets a clean environment: a WAVS_* variable in the developer's shell
 * must not silently reconfigure the dev nodes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { NODE_MALLOC_ENV, WavsError } from "../internal/index.js";

const BIN = fileURLToPath(new URL("../../bin/wavs.js", import.meta.url));

/** A running operator node. */
export interface OperatorProcess {
  readonly index: number;
  readonly url: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  readonly exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** The environment of a child process without the developer's WAVS_* settings. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("WAVS_")) env[k] = v;
  return { ...env, ...extra };
}

/** The last lines of a log file, for error messages. */
export function logTail(path: string, lines = 15): string {
  if (!existsSync(path)) return "";
  return readFileSync(path, "utf8")
    .split("\n")
    .slice(-lines - 1)
    .join("\n")
    .trim();
}

/** Start `wavs node` for operator `index` and wait until GET /health answers. */
export async function startOperatorProcess(options: {
  index: number;
  home: string;
  port: number;
  log: string;
  timeoutMs?: number;
}): Promise<OperatorProcess> {
  const { index, home, port, log } = options;
  const fd = openSync(log, "a");
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [BIN, "node", "--home", home, "--port", String(port)], {
      cwd: home,
      env: { ...NODE_MALLOC_ENV, ...cleanEnv({ WAVS_HOME: home }) },
      stdio: ["ignore", fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
    child.once("error", () => resolve("spawn failed"));
  });
  const url = `http://127.0.0.1:${port}`;
  const name = `operator ${index + 1}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let gone: number | string | undefined;
  void exited.then((c) => {
    gone = c;
  });
  for (;;) {
    if (gone !== undefined) {
      throw new WavsError("WAVS_ERR_DEV_NETWORK", `${name} exited (${gone}) while starting`, {
        hint: `its log ${log} ends with:\n${logTail(log)}`,
      });
    }
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new WavsError("WAVS_ERR_DEV_NETWORK", `${name} did not answer on ${url}/health`, {
        hint: `see its log ${log}:\n${logTail(log)}`,
      });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  let stopping: Promise<void> | undefined;
  return {
    index,
    url,
    child,
    exited,
    stop(graceMs = 10_000) {
      stopping ??= (async () => {
        if (gone !== undefined) return;
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
