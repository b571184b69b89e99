/**
 * Preparing a component (transpiling it for V8) takes about a second per 17 MiB TypeScript
 * component and core, and every operator would do it for every component. On one dev machine
 * the operators can share the work: prepared components are content-addressed (by digest and
 * format version, which `readPrepared` checks), so they are copied between the operators' data
 * directories and kept in a cache beside the component build cache, which `--reset` keeps.
 */
import { cpSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { defaultCacheDir } from "@wavs-ts/sdk";
import { preparedDir, readPrepared } from "../engine/index.js";
import { componentDigest } from "../service/index.js";

/** The digest WAVS gives a component file. */
export function componentFileDigest(file: string): string {
  return componentDigest(readFileSync(file));
}

/** The prepared-component directory of a dev operator (the engine's default under its data). */
export function operatorPreparedDir(operatorHome: string): string {
  return join(operatorHome, "data", "components");
}

/** The cache shared by every dev network on this machine. */
export function sharedPreparedDir(): string {
  return join(defaultCacheDir(), "prepared");
}

/** Copy the prepared forms of `digests` from `from` to `to` where `to` lacks them; atomic per digest. */
export function copyPrepared(from: string, to: string, digests: readonly string[]): number {
  let copied = 0;
  for (const digest of digests) {
    if (!readPrepared(from, digest) || readPrepared(to, digest)) continue;
    const final = preparedDir(to, digest);
    const tmp = `${final}.tmp-${process.pid}-${Date.now()}`;
    try {
      cpSync(preparedDir(from, digest), tmp, { recursive: true });
      rmSync(final, { recursive: true, force: true });
      renameSync(tmp, final);
      copied++;
    } catch {
      // a cache copy is an optimisation: the node prepares it itself
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return copied;
}
