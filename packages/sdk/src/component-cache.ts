/**
 * The built-component cache: keyed by the bundle, world, WIT sources, engine features and
 * componentize-js version; written atomically, locked per key across processes, pruned of
 * entries unused for two weeks.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { ComponentBuildError } from "./component-build-error.js";
import { displayPath } from "./display-path.js";
import { WASI_WIT_VERSION, type WorldName, witSourceDir } from "./wit-dir.js";

export function componentizeVersion(): string {
  // its package.json is not exported, so find it on the resolution paths by hand
  const name = "@bytecodealliance/componentize-js";
  const dirs = createRequire(import.meta.url).resolve.paths(name) ?? [];
  const file = dirs.map((d) => join(d, name, "package.json")).find((f) => existsSync(f));
  if (!file) throw new ComponentBuildError(`${name} is not installed; run npm ci`);
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

let witDigest: string | undefined;

export function witSourcesDigest(): string {
  if (witDigest !== undefined) return witDigest;
  const h = createHash("sha256");
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(`${relative(witSourceDir(), p)}\0`).update(readFileSync(p));
    }
  };
  walk(witSourceDir());
  h.update(`wasi@${WASI_WIT_VERSION}`);
  witDigest = h.digest("hex");
  return witDigest;
}

export function cacheKey(js: string, world: WorldName, disabled: string[]): string {
  return createHash("sha256")
    .update(`wavs-component-v1\0${world}\0${componentizeVersion()}\0${witSourcesDigest()}\0`)
    .update(`${disabled.join(",")}\0`)
    .update(js)
    .digest("hex");
}

export async function writeAtomic(path: string, data: Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

export const CACHE_MAX_AGE_MS = 14 * 24 * 3600_000;

export const LOCK_STALE_MS = 10 * 60_000;

/**
 * Drop cached components unused for two weeks (each is ~17 MB and every source edit adds one),
 * and leftovers of killed builds: temporary files and locks of processes that are gone.
 */
export async function pruneCache(cacheDir: string): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(cacheDir).catch(() => [] as string[])) {
    const p = join(cacheDir, name);
    if (/^[0-9a-f]{64}\.wasm$/.test(name)) {
      const info = await stat(p).catch(() => undefined);
      if (info && now - info.mtimeMs > CACHE_MAX_AGE_MS) await rm(p, { force: true });
    } else if (name.endsWith(".tmp")) {
      const info = await stat(p).catch(() => undefined);
      if (info && now - info.mtimeMs > LOCK_STALE_MS) await rm(p, { force: true });
    } else if (name.endsWith(".lock") && (await lockIsStale(p))) {
      await rm(p, { force: true });
    }
  }
}

export async function acquireLock(
  path: string,
  progress: (msg: string) => void,
  entry: string,
): Promise<() => Promise<void>> {
  let announced = false;
  for (;;) {
    try {
      const fh = await open(path, "wx");
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      return async () => {
        await rm(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    if (await lockIsStale(path)) {
      await rm(path, { force: true });
      continue;
    }
    if (!announced) {
      progress(`waiting for another build of ${displayPath(entry)} to finish`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function lockIsStale(path: string): Promise<boolean> {
  try {
    const [content, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
    if (Date.now() - info.mtimeMs > LOCK_STALE_MS) return true;
    const pid = Number.parseInt(content, 10);
    if (!Number.isInteger(pid) || pid <= 0) return Date.now() - info.mtimeMs > 5_000;
    if (pid === process.pid) return false;
    try {
      process.kill(pid, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === "ESRCH";
    }
  } catch {
    // The holder removed it between our attempts; try again at once.
    return false;
  }
}

/** The repository root (nearest ancestor with a workspaces package.json or .git), else cwd. */
export function findProjectRoot(from: string = process.cwd()): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, ".git"))) return dir;
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, "utf8")) as { workspaces?: unknown }).workspaces)
          return dir;
      } catch {
        // An unreadable package.json is not a root marker.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return resolve(from);
    dir = parent;
  }
}

/** Default cache directory for built components. */
export function defaultCacheDir(): string {
  return process.env.WAVS_COMPONENT_CACHE ?? join(findProjectRoot(), ".cache", "components");
}
