import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../../bin/wavs.js", import.meta.url));

/** A real `wavs node` child process on loopback, for reliability tests. */
export interface NodeProcess {
  url: string;
  home: string;
  child: ChildProcess;
  /** Lines the node wrote to stderr (its JSON log). */
  logs: string[];
  /** SIGKILL, no cleanup: what a power cut looks like. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<number | null>;
}

/** Write `wavs.toml` into `home` from TOML text. */
export function writeConfig(home: string, toml: string): void {
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, "wavs.toml"), toml);
}

/** Start `wavs node --home <home>` and wait until GET /health answers. */
export async function startNodeProcess(
  home: string,
  port: number,
  env: Record<string, string> = {},
): Promise<NodeProcess> {
  const child = spawn(process.execPath, [bin, "node", "--home", home, "--port", String(port)], {
    env: { ...process.env, ...env, WAVS_HOME: home },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  let buffer = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    logs.push(...lines);
  });
  child.stdout?.resume();
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`wavs node exited with ${child.exitCode}:\n${logs.join("\n")}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`wavs node did not answer /health:\n${logs.join("\n")}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    home,
    child,
    logs,
    async kill9() {
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      child.kill("SIGTERM");
      return exited;
    },
  };
}
