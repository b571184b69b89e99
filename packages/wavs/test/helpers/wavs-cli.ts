import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { waitUntil } from "./wait-until.js";

/** The repository root and the real `wavs` binary (bin/wavs.js over dist/: build first). */
export const REPO_ROOT = fileURLToPath(new URL("../../../..", import.meta.url));
export const WAVS_BIN = join(REPO_ROOT, "packages", "wavs", "bin", "wavs.js");

/** How a CLI run ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A child's output so far, collected as it comes (read the fields at any time). */
export function captureOutput(child: ChildProcess): { stdout: string; stderr: string } {
  const out = { stdout: "", stderr: "" };
  child.stdout?.on("data", (c: Buffer) => {
    out.stdout += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    out.stderr += c.toString();
  });
  return out;
}

/**
 * The environment without the developer's WAVS_* settings and XDG config directory: only what
 * a test passes counts.
 */
export function envWithoutWavs(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("WAVS_") && k !== "XDG_CONFIG_HOME"),
  );
}

/** Run `wavs <args>` to its end; `env` replaces the environment (default: without WAVS_*). */
export function runWavs(
  args: readonly string[],
  options: { cwd?: string | undefined; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [WAVS_BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? envWithoutWavs(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out = captureOutput(child);
    child.once("error", fail);
    child.once("close", (code) => done({ code, ...out }));
  });
}

/** A running `wavs dev`, up: its process, its output so far, and its exit. */
export interface WavsDevRun {
  child: ChildProcess;
  out: { stdout: string; stderr: string };
  exited: Promise<number | null>;
}

/** Start `wavs <args>` (a `dev` command); resolves once it printed that the network is up. */
export async function startWavsDev(
  args: readonly string[],
  timeoutMs: number,
): Promise<WavsDevRun> {
  const child = spawn(process.execPath, [WAVS_BIN, ...args], { stdio: "pipe" });
  const out = captureOutput(child);
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  await waitUntil(
    () => (out.stdout.includes("WAVS dev network is up") ? true : undefined),
    `wavs ${args.join(" ")} to come up (stderr: ${out.stderr})`,
    timeoutMs,
  );
  return { child, out, exited };
}
