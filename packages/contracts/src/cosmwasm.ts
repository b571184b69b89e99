/** The CosmWasm contracts of packages/contracts/cosmwasm, compiled by scripts/build-cosmwasm.mjs. */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { WavsError } from "@wavs-ts/errors";

/** The CosmWasm contracts this package builds. */
export type CosmwasmContract = "trigger" | "service_manager";

/** The compiled wasm of a CosmWasm contract; a clear error when it was not built. */
export function cosmwasmCode(name: CosmwasmContract): Uint8Array {
  // src/ and dist/ sit at the same depth, so this resolves from either.
  const path = fileURLToPath(new URL(`../cosmwasm/out/${name}.wasm`, import.meta.url));
  if (!existsSync(path)) {
    throw new WavsError(
      "WAVS_ERR_DEV_NETWORK",
      `the CosmWasm contract '${name}' is not built (${path} is missing)`,
      { hint: "Install clang and lld (apt-get install clang lld), then run `npm run build`." },
    );
  }
  return new Uint8Array(readFileSync(path));
}
