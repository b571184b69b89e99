import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { WavsError } from "@wavs-ts/errors";
import { type BuildComponentResult, buildComponent } from "./build-component.js";
import type { WorldName } from "./wit-dir.js";

/** The repository root, found from this package's own location (tests may run from any cwd). */
export function repoRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
}

/** Directories searched for fixture sources, in order: hostile test fixtures, then examples. */
export function fixtureSourceDirs(): string[] {
  const root = repoRoot();
  return [
    join(root, "packages", "wavs", "test", "fixtures", "components"),
    join(root, "examples", "components"),
  ];
}

/** The world a fixture targets, decided by its name. */
export function fixtureWorld(name: string): WorldName {
  return name.startsWith("aggregator") || name === "timer-aggregator" ? "aggregator" : "operator";
}

/** The entry file of a named fixture, or undefined when no such fixture exists. */
export function fixtureEntry(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) return undefined;
  for (const dir of fixtureSourceDirs()) {
    for (const file of ["index.ts", "index.js"]) {
      const p = join(dir, name, file);
      if (existsSync(p)) return p;
    }
  }
  return undefined;
}

/**
 * Where built fixtures are cached: `$WAVS_COMPONENT_CACHE`, else the user's cache directory
 * (`$XDG_CACHE_HOME` or `~/.cache`, under `wavs-ts/components`). Outside the checkout, so a fresh
 * clone reuses the builds of the last one: entries are keyed by everything a build reads
 * (sources, WIT, componentize-js version) and written atomically, so clones never disagree.
 */
export function fixtureCacheDir(): string {
  if (process.env.WAVS_COMPONENT_CACHE) return process.env.WAVS_COMPONENT_CACHE;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "wavs-ts", "components");
}

const inFlight = new Map<string, Promise<BuildComponentResult & { path: string }>>();

/**
 * Build (or take from the cache) a named fixture and return the path of its .wasm. Safe to call
 * concurrently, also from several processes: builds are locked per cache key and files are
 * replaced by atomic rename.
 */
export async function buildFixture(
  name: string,
  opts: { onProgress?: (msg: string) => void } = {},
): Promise<string> {
  return (await buildFixtureWithInfo(name, opts)).path;
}

/** Like {@link buildFixture}, also reporting digest, size and whether the cache served it. */
export function buildFixtureWithInfo(
  name: string,
  opts: { onProgress?: (msg: string) => void } = {},
): Promise<BuildComponentResult & { path: string }> {
  let p = inFlight.get(name);
  if (p === undefined) {
    p = buildOne(name, opts).finally(() => inFlight.delete(name));
    inFlight.set(name, p);
  }
  return p;
}

async function buildOne(
  name: string,
  opts: { onProgress?: (msg: string) => void },
): Promise<BuildComponentResult & { path: string }> {
  const entry = fixtureEntry(name);
  if (entry === undefined) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `no component fixture named "${name}" (looked in ${fixtureSourceDirs().join(" and ")})`,
    );
  }
  const cacheDir = fixtureCacheDir();
  const path = join(cacheDir, "fixtures", `${name}.wasm`);
  const result = await buildComponent({
    entry,
    out: path,
    world: fixtureWorld(name),
    cacheDir,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  return { ...result, path };
}

/** Names of every fixture and example component (fixtures first). */
export function listFixtures(): string[] {
  const names: string[] = [];
  for (const dir of fixtureSourceDirs()) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirNames(dir)) {
      if (!names.includes(entry) && fixtureEntry(entry) !== undefined) names.push(entry);
    }
  }
  return names;
}

function readdirNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}
