/**
 * `buildComponent`: a TypeScript or JavaScript entry to a WAVS component. The entry is bundled
 * (bundle-entry.ts), looked up in the cache by the bundle (component-cache.ts), and otherwise
 * componentized against the world's WIT and cached.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import {
  copyFile,
  mkdir,
  mkdtemp,
  readFile,
  rename,
  rm,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { bundle } from "./bundle-entry.js";
import { ComponentBuildError } from "./component-build-error.js";
import {
  acquireLock,
  cacheKey,
  defaultCacheDir,
  pruneCache,
  writeAtomic,
} from "./component-cache.js";
import { displayPath } from "./display-path.js";
import { assembleWitDir, WORLD_IDS, type WorldName } from "./wit-dir.js";

/** Features of the componentize-js engine (StarlingMonkey) that can be switched off. */
export type EngineFeature = "stdio" | "random" | "clocks" | "http" | "fetch-event";

/** Options of {@link buildComponent}. */
export interface BuildComponentOptions {
  /** The component's entry module, TypeScript or JavaScript. */
  entry: string;
  /** Where to write the component (.wasm). */
  out: string;
  /** The world the component targets. Default: operator. */
  world?: WorldName;
  /** Progress lines for humans (bundling, cache hit, componentizing, done). */
  onProgress?: (msg: string) => void;
  /** Directory of built components by cache key. Default: `$WAVS_COMPONENT_CACHE` or `<repo>/.cache/components`. */
  cacheDir?: string;
  /** Skip the cache lookup (the result is still stored). */
  force?: boolean;
  /**
   * Engine features to leave out. Default: `["fetch-event"]`, since neither WAVS world exports
   * `wasi:http/incoming-handler`; `http` stays on so `fetch()` works.
   */
  disableFeatures?: EngineFeature[];
  /**
   * Turn anything the exported functions throw (an Error, a string) into the `err` string of
   * their result. Default true; when false a thrown Error traps the component.
   */
  wrapErrors?: boolean;
}

/** What {@link buildComponent} produced. */
export interface BuildComponentResult {
  /** sha256 of the component bytes, lowercase hex without prefix (the WAVS component digest). */
  digest: string;
  /** Size of the component in bytes. */
  bytes: number;
  /** True when the component came from the cache and componentize-js did not run. */
  cached: boolean;
}

const DEFAULT_DISABLED: EngineFeature[] = ["fetch-event"];

/** Build a WAVS component from a TypeScript or JavaScript entry: esbuild bundle, then componentize-js. */
export async function buildComponent(opts: BuildComponentOptions): Promise<BuildComponentResult> {
  const world = opts.world ?? "operator";
  const entry = resolve(opts.entry);
  const out = resolve(opts.out);
  const progress = opts.onProgress ?? (() => {});
  const disabled = [...new Set(opts.disableFeatures ?? DEFAULT_DISABLED)].sort();
  if (!(world in WORLD_IDS)) {
    throw new ComponentBuildError(`unknown world "${String(world)}" for ${entry}`, {
      hint: "use --world operator or --world aggregator",
      details: { entry },
    });
  }
  if (!existsSync(entry) || !statSync(entry).isFile()) {
    throw new ComponentBuildError(`component entry ${entry} does not exist`, {
      hint: "pass the path of the component's index.ts or index.js",
      details: { entry, world },
    });
  }

  progress(`bundling ${displayPath(entry)} (${world} world)`);
  const js = await bundle(entry, world, opts.wrapErrors ?? true);
  const cacheDir = resolve(opts.cacheDir ?? defaultCacheDir());
  const key = cacheKey(js, world, disabled);
  const cached = join(cacheDir, `${key}.wasm`);

  if (!opts.force && existsSync(cached)) {
    progress(`cache hit ${key.slice(0, 12)} for ${displayPath(entry)}`);
    // Mark the entry as used so pruning keeps it.
    await utimes(cached, new Date(), new Date()).catch(() => {});
    return await deliver(cached, out, true);
  }

  await mkdir(cacheDir, { recursive: true });
  // Builds take ~15 s; a per-key lock keeps parallel test files and CI jobs from repeating one.
  const release = await acquireLock(join(cacheDir, `${key}.lock`), progress, entry);
  try {
    if (!opts.force && existsSync(cached)) {
      progress(`cache hit ${key.slice(0, 12)} for ${displayPath(entry)} (built concurrently)`);
      return await deliver(cached, out, true);
    }
    const started = Date.now();
    progress(`componentizing ${displayPath(entry)} against ${WORLD_IDS[world]}`);
    const wasm = await componentizeBundle(js, entry, world, disabled);
    await writeAtomic(cached, wasm);
    await pruneCache(cacheDir);
    const result = await deliver(cached, out, false);
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    progress(`built ${displayPath(out)} (${formatSize(wasm.length)}) in ${secs} s`);
    return result;
  } finally {
    await release();
  }
}

async function componentizeBundle(
  js: string,
  entry: string,
  world: WorldName,
  disabled: EngineFeature[],
): Promise<Uint8Array> {
  const work = await mkdtemp(join(tmpdir(), "wavs-component-"));
  const sourcePath = join(work, "component.js");
  await writeFile(sourcePath, js);
  const witPath = assembleWitDir(world, join(work, "wit"));
  let keep = false;
  try {
    const { componentize } = await import("@bytecodealliance/componentize-js");
    const { component } = await componentize({
      sourcePath,
      witPath,
      worldName: WORLD_IDS[world],
      disableFeatures: disabled,
    });
    return component;
  } catch (err) {
    keep = true;
    // The engine's wasm backtrace (anonymous function indexes) tells a component author nothing.
    const msg = ((err as Error).message ?? String(err))
      .split("\n")
      .filter((l) => !/^\s*\d+: 0x[0-9a-f]+ - <unknown>!<wasm function \d+>\s*$/.test(l))
      .join("\n");
    throw new ComponentBuildError(
      `componentize-js failed for ${entry} (${world} world):\n${indent(msg.trim())}`,
      {
        hint:
          `line numbers above refer to the bundled module kept at ${sourcePath}; ` +
          "top-level code runs at build time, so move work that needs host calls into the exported functions",
        details: { entry, world, bundlePath: sourcePath },
        cause: err,
      },
    );
  } finally {
    if (!keep) await rm(work, { recursive: true, force: true });
    else await rm(join(work, "wit"), { recursive: true, force: true });
  }
}

async function deliver(
  cached: string,
  out: string,
  wasCached: boolean,
): Promise<BuildComponentResult> {
  const bytes = await readFile(cached);
  const digest = createHash("sha256").update(bytes).digest("hex");
  if (resolve(cached) !== out) {
    await mkdir(dirname(out), { recursive: true });
    // Copy then rename, so a reader of `out` (another test file) never sees half a file.
    const tmp = `${out}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    await copyFile(cached, tmp);
    await rename(tmp, out);
  }
  return { digest, bytes: bytes.length, cached: wasCached };
}

function formatSize(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${(n / 1024).toFixed(1)} KB`;
}

function indent(s: string): string {
  return s
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}
