/**
 * Rewritten core modules kept beside the prepared component. Rewriting (memory cap, state
 * exports, fuel metering) decodes and re-encodes every function: ~0.1 s for a 300 KB module,
 * paid by every worker that loads it and by every `wavs exec`. The result depends only on the
 * module and the options, so it is written once (atomically: workers load in parallel) and
 * read back afterwards. A file that cannot be written (read-only cache) only costs the
 * rewrite again. Lifted data segments (data-lift.ts) go to a file beside the module and are
 * read each time an instance needs them, never held.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type RewriteOptions, rewriteCoreModule } from "./core-module-rewrite.js";
import {
  encodeLiftedSegments,
  heldLiftedData,
  type LiftedData,
  liftedDataFile,
} from "./data-lift.js";

/** A rewritten core module and whether its code is metered. */
export interface RewrittenModule {
  bytes: Uint8Array;
  metered: boolean;
  /** The data segments lifted out of it, when there are any. */
  liftedData?: LiftedData;
}

/** Bump when the rewrite's output changes for the same input and options. */
const REWRITE_VERSION = 1;

/** The core module `file` of the prepared component in `dir`, rewritten with `options`. */
export function rewrittenModule(
  dir: string,
  file: string,
  options: { maxMemoryPages: number; exportState: boolean; meterFuel: boolean; liftData: boolean },
): RewrittenModule {
  const input = readFileSync(join(dir, file));
  // keyed by the input too: a component prepared again (another transpiler) has other modules
  const hash = createHash("sha256").update(input).digest("hex").slice(0, 16);
  const flags = `${options.exportState ? ".s" : ""}${options.meterFuel ? ".fuel" : ""}${options.liftData ? ".d" : ""}`;
  const key = `v${REWRITE_VERSION}.${hash}.m${options.maxMemoryPages}${flags}`;
  const base = join(dir, "rewritten", `${file}.${key}`);
  const dataFile = `${base}.data`;
  const fromFile = liftedDataFile(dataFile);
  try {
    // "1" or "0", with "d" when data was lifted
    const flag = readFileSync(`${base}.metered`, "utf8");
    const bytes = readFileSync(`${base}.wasm`);
    return {
      bytes,
      metered: flag.startsWith("1"),
      ...(flag.endsWith("d") ? { liftedData: fromFile } : {}),
    };
  } catch {
    // not there yet
  }
  const out = rewriteCoreModule(input, options satisfies RewriteOptions);
  const segments = out.liftedData;
  try {
    // not recursive: a component forgotten while a worker was loading it (its directory
    // removed) must not come back as a directory of rewritten modules alone
    try {
      mkdirSync(join(dir, "rewritten"));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const tmp = `.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    // the module and its data first: once the flag exists, they are complete
    writeFileSync(`${base}.wasm${tmp}`, out.bytes);
    renameSync(`${base}.wasm${tmp}`, `${base}.wasm`);
    if (segments) {
      writeFileSync(`${dataFile}${tmp}`, encodeLiftedSegments(segments));
      renameSync(`${dataFile}${tmp}`, dataFile);
    }
    writeFileSync(`${base}.metered${tmp}`, `${out.metered ? "1" : "0"}${segments ? "d" : ""}`);
    renameSync(`${base}.metered${tmp}`, `${base}.metered`);
  } catch {
    // a cache we cannot write to: rewrite again next time, and hold the data meanwhile
    return {
      bytes: out.bytes,
      metered: out.metered,
      ...(segments ? { liftedData: heldLiftedData(segments) } : {}),
    };
  }
  return {
    bytes: out.bytes,
    metered: out.metered,
    ...(segments ? { liftedData: fromFile } : {}),
  };
}
