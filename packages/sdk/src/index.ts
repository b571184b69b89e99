// Public API of @wavs-ts/sdk: WIT value types, guest helpers (also usable in Node), the WIT
// directory assembler and the component build tool.

export {
  type BuildComponentOptions,
  type BuildComponentResult,
  buildComponent,
  type EngineFeature,
} from "./build-component.js";
export { buildWatComponent } from "./build-wat-component.js";
export { normaliseWitImport, WORLD_EXPORTS } from "./bundle-entry.js";
export { ComponentBuildError, type ComponentBuildErrorDetails } from "./component-build-error.js";
export { defaultCacheDir, findProjectRoot } from "./component-cache.js";
export {
  buildFixture,
  buildFixtureWithInfo,
  fixtureEntry,
  fixtureWorld,
  listFixtures,
} from "./fixtures.js";
export * from "./guest/abi.js";
export * from "./guest/bytes.js";
export * from "./guest/payload.js";
export type * from "./types.js";
export {
  assembleWitDir,
  WASI_WIT_VERSION,
  WORLD_IDS,
  type WorldName,
  witSourceDir,
} from "./wit-dir.js";
