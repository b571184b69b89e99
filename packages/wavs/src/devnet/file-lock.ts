/**
 * A lock between processes on one machine: a directory created atomically, holding the owner's
 * pid. A lock whose owner is gone is taken over, so a build killed halfway blocks nobody.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** Run `fn` holding the lock at `path`, waiting (polling every `pollMs`) while another holds it. */
export async function withFileLock<T>(
  path: string,
  fn: () => Promise<T>,
  pollMs = 500,
): Promise<T> {
  for (;;) {
    try {
      mkdirSync(path);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      if (!ownerAlive(path)) {
        rmSync(path, { recursive: true, force: true });
        continue;
      }
      await sleep(pollMs);
    }
  }
  try {
    writeFileSync(join(path, "pid"), String(process.pid));
    return await fn();
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
}

function ownerAlive(path: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(path, "pid"), "utf8"));
  } catch {
    // No pid yet: taken a moment ago (alive), or its owner died between the two steps.
    try {
      return Date.now() - statSync(path).mtimeMs < 10_000;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
