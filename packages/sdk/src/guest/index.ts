// Helpers usable inside components: esbuild bundles this module into the component, so it must
// stay free of Node APIs. Type-only exports describe the WIT values.
export type * from "../types.js";
export * from "./abi.js";
export * from "./bytes.js";
export * from "./payload.js";
