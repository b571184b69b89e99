import { WavsError } from "../internal/index.js";

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** Check that `bytes` look like a WebAssembly component (not a core module, not garbage). */
export function assertComponentBytes(bytes: Uint8Array, what = "component"): void {
  if (bytes.length === 0) {
    throw new WavsError("WAVS_ERR_COMPONENT_INVALID", `${what} is empty`, {
      hint: "pass the .wasm file produced by your component build",
    });
  }
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new WavsError(
      "WAVS_ERR_COMPONENT_INVALID",
      `${what} is not WebAssembly (no \\0asm header)`,
      {
        details: { size: bytes.length },
        hint: "pass a .wasm component file, not source code or text",
      },
    );
  }
  const layer = bytes[6]! | (bytes[7]! << 8);
  if (layer === 0) {
    throw new WavsError(
      "WAVS_ERR_COMPONENT_INVALID",
      `${what} is a core WebAssembly module, not a component`,
      {
        hint: "wrap it as a component for the wavs:operator world (cargo component, componentize-js, or `wavs component build` for TypeScript)",
      },
    );
  }
  if (layer !== 1) {
    throw new WavsError(
      "WAVS_ERR_COMPONENT_INVALID",
      `${what} has an unknown WebAssembly layer ${layer}`,
    );
  }
}
