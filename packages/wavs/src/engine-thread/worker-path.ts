import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Path of a compiled worker script of the engine (`<name>.js`). Worker threads cannot load
 * TypeScript, so code running from sources (tests) uses the build in `dist/`.
 */
export function engineWorkerPath(name: string): string {
  const beside = fileURLToPath(new URL(`../engine/${name}.js`, import.meta.url));
  if (existsSync(beside)) return beside;
  const built = fileURLToPath(new URL(`../../dist/engine/${name}.js`, import.meta.url));
  if (existsSync(built)) return built;
  throw new Error(
    `engine worker ${name} not built (looked for ${beside} and ${built}); run npm run build`,
  );
}
