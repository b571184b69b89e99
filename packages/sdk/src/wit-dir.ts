import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { WavsError } from "@wavs-ts/errors";

/** The two WAVS worlds a component can target. */
export type WorldName = "operator" | "aggregator";

/** Fully qualified world name for each world, as componentize-js and wasm-tools expect it. */
export const WORLD_IDS: Record<WorldName, string> = {
  operator: "wavs:operator/wavs-world@2.6.0",
  aggregator: "wavs:aggregator/aggregator-world@2.6.0",
};

/** The WASI release whose WIT we take from the installed jco package at build time. */
export const WASI_WIT_VERSION = "0.2.12";

/** Directory holding this package's own WIT sources (types, operator, aggregator, keyvalue). */
export function witSourceDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), "..", "wit");
}

function wasiWitDir(): string {
  // jco ships the standard WASI WIT; we read it from the installed package rather than vendoring it.
  const require = createRequire(import.meta.url);
  const jcoRoot = join(dirname(require.resolve("@bytecodealliance/jco")), "..");
  const dir = join(jcoRoot, "lib", "wit", "builtin", WASI_WIT_VERSION);
  if (!existsSync(dir)) {
    throw new WavsError(
      "WAVS_ERR_COMPONENT_BUILD",
      `WASI ${WASI_WIT_VERSION} WIT not found in ${dir}; the installed @bytecodealliance/jco does not ship it`,
      { hint: "Reinstall the dependencies (npm install) so the pinned jco version is used." },
    );
  }
  return dir;
}

/**
 * Assemble a self-contained WIT directory for one world: its own package at the top and every
 * dependency (wavs:types, wasi:keyvalue, wasi:tls, standard WASI, and wavs:operator for the
 * aggregator)
 * under `deps/`. Returns the directory.
 */
export function assembleWitDir(world: WorldName, outDir: string): string {
  const src = witSourceDir();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, "deps"), { recursive: true });
  cpSync(join(src, world), outDir, { recursive: true });
  const deps = ["types", "keyvalue", "tls", ...(world === "aggregator" ? ["operator"] : [])];
  for (const dep of deps) cpSync(join(src, dep), join(outDir, "deps", dep), { recursive: true });
  const wasi = wasiWitDir();
  for (const pkg of readdirSync(wasi))
    cpSync(join(wasi, pkg), join(outDir, "deps", pkg), { recursive: true });
  return outDir;
}

/** Rewrite a single-package WIT file (`package x;` then items) as a nested `package x { ... }` block. */
function nestPackage(source: string): string {
  const match = /^\s*package\s+([^;\s]+)\s*;/m.exec(source);
  if (!match) throw new WavsError("WAVS_ERR_INTERNAL", "WIT file without a package declaration");
  const body = source.slice(0, match.index) + source.slice(match.index + match[0].length);
  return `package ${match[1]} {\n${body}\n}\n`;
}

function readWitFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".wit"))
    .sort()
    .map((f) => readFileSync(join(dir, f), "utf8"));
}

/**
 * The whole WIT of one world as a single source string (its package first, every dependency
 * as a nested package). Used where a directory cannot be read (jco's wasm-tools `witSource`).
 */
export function witSource(world: WorldName): string {
  const src = witSourceDir();
  const [main, ...rest] = readWitFiles(join(src, world));
  if (main === undefined || rest.length > 0) {
    throw new WavsError("WAVS_ERR_INTERNAL", `expected one WIT file for ${world}`);
  }
  const deps = ["types", "keyvalue", "tls", ...(world === "aggregator" ? ["operator"] : [])];
  const nested = deps.flatMap((d) => readWitFiles(join(src, d)).map(nestPackage));
  const wasi = wasiWitDir();
  for (const pkg of readdirSync(wasi).sort())
    nested.push(...readWitFiles(join(wasi, pkg)).map(nestPackage));
  return [main, ...nested].join("\n");
}
