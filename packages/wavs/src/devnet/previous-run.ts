/**
 * The pid file of a running dev network. A second `wavs dev` on the same directory is refused
 * while the first runs; the processes a crashed one left behind (holding ports and the chain
 * state) are stopped before starting again.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { WavsError } from "../internal/index.js";

/** The processes of a dev network. */
export interface DevnetPids {
  cli: number;
  children: number[];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The command line of a process (Linux /proc), or "" when it cannot be read. */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/**
 * Refuse when another dev network runs from `pidFile`'s directory; stop what a crashed one left
 * (only processes whose command line names `root`, so a reused pid is never hit).
 * Returns how many leftovers were stopped.
 */
export async function clearPreviousRun(pidFile: string, root: string): Promise<number> {
  if (!existsSync(pidFile)) return 0;
  let pids: DevnetPids;
  try {
    pids = JSON.parse(readFileSync(pidFile, "utf8")) as DevnetPids;
  } catch {
    rmSync(pidFile, { force: true });
    return 0;
  }
  if (pids.cli !== process.pid && alive(pids.cli) && /wavs/.test(commandLine(pids.cli))) {
    throw new WavsError(
      "WAVS_ERR_DEV_BUSY",
      `a dev network already runs from ${root} (pid ${pids.cli})`,
      { hint: "stop it with Ctrl-C (or kill it), or use another directory with --home" },
    );
  }
  const leftovers = (pids.children ?? []).filter((pid) => {
    const cmd = commandLine(pid);
    return alive(pid) && cmd.includes(root);
  });
  for (const pid of leftovers) process.kill(pid, "SIGTERM");
  const deadline = Date.now() + 10_000;
  while (leftovers.some(alive) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  for (const pid of leftovers.filter(alive)) process.kill(pid, "SIGKILL");
  rmSync(pidFile, { force: true });
  return leftovers.length;
}

/** Record the processes of the running network. */
export function writePids(pidFile: string, pids: DevnetPids): void {
  writeFileSync(pidFile, `${JSON.stringify(pids)}\n`);
}
