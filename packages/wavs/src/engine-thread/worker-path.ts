import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

// Set by the bundler (scripts/bundle.mjs): the workers bundled beside the CLI, and where.
declare const WAVS_BUNDLE_WORKERS: readonly string[] | undefined;
declare const WAVS_BUNDLE_URL: string;
// a bare reference would throw outside the bundle, where nothing defines it
const BUNDLED = typeof WAVS_BUNDLE_WORKERS === "undefined" ? undefined : WAVS_BUNDLE_WORKERS;

/**
 * Path of a compiled worker script of the engine (`<name>.js`). Worker threads cannot load
 * TypeScript, so code running from sources (tests) uses the build in `dist/`; code running
 * from the bundle uses the bundled workers.
 */
export function engineWorkerPath(name: string): string {
  if (BUNDLED?.includes(name)) {
    return fileURLToPath(new URL(`${name}.js`, WAVS_BUNDLE_URL));
  }
  const beside = fileURLToPath(new URL(`../engine/${name}.js`, import.meta.url));
  if (existsSync(beside)) return beside;
  const built = fileURLToPath(new URL(`../../dist/engine/${name}.js`, import.meta.url));
  if (existsSync(built)) return built;
  throw new Error(
    `engine worker ${name} not built (looked for ${beside} and ${built}); run npm run build`,
  );
}
