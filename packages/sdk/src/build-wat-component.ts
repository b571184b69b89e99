import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { componentEmbed, componentNew } from "@bytecodealliance/jco";
import wabtInit from "wabt";
import { WORLD_IDS, type WorldName, witSource } from "./wit-dir.js";

/**
 * Build a component from a hand-written WebAssembly text core module for one WAVS world:
 * assemble with wabt, embed the world's WIT, wrap as a component. Small, dependency-free
 * components like this stand in for compiled Rust or C components in tests and benchmarks.
 */
export async function buildWatComponent(options: {
  wat: string;
  out: string;
  world?: WorldName;
}): Promise<{ digest: string; bytes: number }> {
  const world = options.world ?? "operator";
  const wabt = await wabtInit();
  const source = readFileSync(options.wat, "utf8");
  const parsed = wabt.parseWat(options.wat, source, { bulk_memory: true, multi_value: true });
  let core: Uint8Array;
  try {
    parsed.resolveNames();
    parsed.validate();
    core = parsed.toBinary({}).buffer;
  } finally {
    parsed.destroy();
  }
  const embedded = await componentEmbed({
    binary: core,
    witSource: witSource(world),
    world: WORLD_IDS[world],
    stringEncoding: "utf8",
  });
  const component = await componentNew(embedded);
  writeFileSync(options.out, component);
  return {
    digest: createHash("sha256").update(component).digest("hex"),
    bytes: component.length,
  };
}
