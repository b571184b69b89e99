import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Worker } from "node:worker_threads";
import { engineWorkerPath } from "../engine-thread/index.js";
import { WavsError } from "../internal/index.js";
import { assertComponentBytes } from "./component-bytes.js";
import type { ComponentWorld } from "./exec-types.js";
import { PREPARED_FORMAT_VERSION, type PreparedMeta } from "./prepared-component.js";
import type { TranspileReply } from "./transpile-worker.js";

const OPERATOR_EXPORTS = ["run"];
const AGGREGATOR_EXPORTS = ["process-input", "handle-timer-callback", "handle-submit-callback"];

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Decide the world from the exported function names, or explain what is missing. */
export function worldFromExports(exportNames: string[]): ComponentWorld {
  const names = new Set(exportNames.map(kebab));
  if (OPERATOR_EXPORTS.every((e) => names.has(e))) return "operator";
  if (AGGREGATOR_EXPORTS.every((e) => names.has(e))) return "aggregator";
  const partial = AGGREGATOR_EXPORTS.filter((e) => names.has(e));
  throw new WavsError(
    "WAVS_ERR_COMPONENT_INVALID",
    partial.length > 0
      ? `component exports ${[...names].join(", ")} but lacks ${AGGREGATOR_EXPORTS.filter((e) => !names.has(e)).join(", ")} of the aggregator world`
      : `component exports ${[...names].join(", ") || "nothing"}; expected run (wavs:operator world) or process-input, handle-timer-callback, handle-submit-callback (wavs:aggregator world)`,
    {
      details: { exports: [...names] },
      hint: "build it against wavs:operator@2.6.0 or wavs:aggregator@2.6.0",
    },
  );
}

/** Directory of one prepared component in the cache. */
export function preparedDir(cacheDir: string, digest: string): string {
  return join(cacheDir, digest);
}

/** Read the prepared form of `digest` if present and of the current format. */
export function readPrepared(cacheDir: string, digest: string): PreparedMeta | undefined {
  const file = join(preparedDir(cacheDir, digest), "meta.json");
  if (!existsSync(file)) return undefined;
  try {
    const meta = JSON.parse(readFileSync(file, "utf8")) as PreparedMeta;
    return meta.formatVersion === PREPARED_FORMAT_VERSION && meta.digest === digest
      ? meta
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Check and prepare component bytes: validate the header, transpile with jco (glue module and
 * core modules), decide the world from the exports, and write everything to
 * `<cacheDir>/<digest>/` atomically. Nothing is written when any step fails.
 */
export async function prepareComponent(bytes: Uint8Array, cacheDir: string): Promise<PreparedMeta> {
  assertComponentBytes(bytes);
  const digest = createHash("sha256").update(bytes).digest("hex");
  const existing = readPrepared(cacheDir, digest);
  if (existing) return existing;
  const out = await transpileInWorker(bytes);
  if (!out.ok) {
    throw new WavsError(
      "WAVS_ERR_COMPONENT_INVALID",
      `component could not be decoded: ${out.message}`,
      {
        details: { size: bytes.length },
        hint: "the file is truncated or not a valid WebAssembly component",
      },
    );
  }
  const exportNames = out.exports;
  const world = worldFromExports(exportNames);
  const coreFiles = Object.keys(out.files).filter((f) => f.endsWith(".wasm"));
  const meta: PreparedMeta = {
    formatVersion: PREPARED_FORMAT_VERSION,
    digest,
    world,
    coreFiles,
    glue: "component.js",
    imports: out.imports,
    exports: exportNames,
    sizeBytes: bytes.length,
    preparedAt: new Date().toISOString(),
  };
  const final = preparedDir(cacheDir, digest);
  const tmp = `${final}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(tmp, { recursive: true });
  try {
    for (const [name, content] of Object.entries(out.files)) {
      mkdirSync(dirname(join(tmp, name)), { recursive: true });
      writeFileSync(join(tmp, name), content);
    }
    writeFileSync(join(tmp, "component.wasm"), bytes);
    writeFileSync(join(tmp, "meta.json"), JSON.stringify(meta, null, 2));
    return publishPrepared(tmp, cacheDir, digest) ?? meta;
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Move a finished entry into place. Another process (a second `wavs exec`, another node on
 * the same cache) may have prepared the same digest meanwhile and be reading it: a complete
 * entry is never replaced, so a reader never sees its files vanish; this one is dropped and
 * the entry in place returned. Only an entry of an older format is swapped out, by renaming
 * it aside first so the directory is never half gone.
 */
export function publishPrepared(
  tmp: string,
  cacheDir: string,
  digest: string,
): PreparedMeta | undefined {
  const final = preparedDir(cacheDir, digest);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      renameSync(tmp, final);
      return undefined;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOTEMPTY" && code !== "EEXIST") throw err;
    }
    const inPlace = readPrepared(cacheDir, digest);
    if (inPlace) {
      rmSync(tmp, { recursive: true, force: true });
      return inPlace;
    }
    const aside = `${final}.old-${process.pid}-${Date.now()}`;
    try {
      renameSync(final, aside);
    } catch (err) {
      // gone already: another process moved it aside first; try again
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      continue;
    }
    rmSync(aside, { recursive: true, force: true });
  }
  throw new WavsError(
    "WAVS_ERR_INTERNAL",
    `could not place prepared component ${digest} in the cache`,
    {
      details: { cacheDir },
      hint: "another process keeps replacing it; run one node per cache directory",
    },
  );
}

function transpileInWorker(bytes: Uint8Array): Promise<TranspileReply> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(engineWorkerPath("transpile-worker"), { workerData: bytes });
    worker.once("message", (reply: TranspileReply) => {
      resolve(reply);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`component transpiler exited with code ${code}`));
    });
  });
}
