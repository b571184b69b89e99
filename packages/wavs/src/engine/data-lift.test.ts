// Data segments lifted out of core modules (assembled here with wabt, run by V8): the memory an
// instance ends with is byte for byte the memory V8 gives the original module, from the file
// and from held segments; modules where lifting could change behaviour keep their data.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assembleWat } from "../../test/helpers/assemble-wat.js";
import { memoryStateExport, rewriteCoreModule } from "./core-module-rewrite.js";
import {
  encodeLiftedSegments,
  heldLiftedData,
  type LiftedData,
  liftedDataFile,
} from "./data-lift.js";

// overlapping active segments (the later wins), one past 2^31 in a second page range, a
// passive segment copied in by `init` (its index must survive the rewrite)
const MODULE = `(module
  (memory (export "mem") 2)
  (data (i32.const 16) "first segment, overwritten in part")
  (data (i32.const 22) "SECOND")
  (data $p "passive bytes")
  (data (i32.const 65530) "across a page boundary")
  (func (export "init") (memory.init $p (i32.const 1000) (i32.const 0) (i32.const 13)))
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0))))`;

const dir = mkdtempSync(join(tmpdir(), "wavs-data-lift-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function memoryOf(instance: WebAssembly.Instance): Uint8Array {
  return new Uint8Array((instance.exports.mem as WebAssembly.Memory).buffer);
}

describe("lifted data segments", () => {
  it("leave the module's memory exactly as V8 would, from the file or held", async () => {
    const original = await assembleWat(MODULE);
    const expected = new WebAssembly.Instance(new WebAssembly.Module(original), {});
    (expected.exports.init as () => void)();

    const out = rewriteCoreModule(original, { exportState: true, liftData: true });
    expect(out.liftedData?.map((s) => [s.offset, s.bytes.length])).toEqual([
      [16, 34],
      [22, 6],
      [65530, 22],
    ]);
    const kept = rewriteCoreModule(original, { exportState: true });
    expect(out.bytes.length).toBe(kept.bytes.length - 34 - 6 - 22);
    const path = join(dir, "module.data");
    writeFileSync(path, encodeLiftedSegments(out.liftedData ?? []));

    const sources: LiftedData[] = [liftedDataFile(path), heldLiftedData(out.liftedData ?? [])];
    for (const lifted of sources) {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(out.bytes), {});
      // before the engine writes them the segments are not there: the module really lost them
      expect(memoryOf(instance)[22]).toBe(0);
      lifted.apply(instance, memoryStateExport);
      (instance.exports.init as () => void)();
      expect(Buffer.from(memoryOf(instance)).equals(Buffer.from(memoryOf(expected)))).toBe(true);
      expect(new TextDecoder().decode(memoryOf(instance).subarray(16, 30))).toBe("first SECONDt,");
    }
  });

  it("are left in modules with a start function, an imported memory or a computed offset", async () => {
    const withStart = `(module (memory 1) (data (i32.const 0) "x") (func $s) (start $s))`;
    const imported = `(module (import "env" "mem" (memory 1)) (data (i32.const 0) "x"))`;
    const computed = `(module (import "env" "base" (global i32)) (memory 1) (data (global.get 0) "x"))`;
    for (const wat of [withStart, imported, computed]) {
      const out = rewriteCoreModule(await assembleWat(wat), { exportState: true, liftData: true });
      expect(out.liftedData).toBeUndefined();
    }
    // and nothing is lifted unless asked
    const plain = rewriteCoreModule(await assembleWat(MODULE), { exportState: true });
    expect(plain.liftedData).toBeUndefined();
  });

  it("refuse a truncated file and a segment past the memory's end", async () => {
    const out = rewriteCoreModule(await assembleWat(MODULE), { exportState: true, liftData: true });
    const whole = encodeLiftedSegments(out.liftedData ?? []);
    const truncated = join(dir, "truncated.data");
    writeFileSync(truncated, whole.subarray(0, whole.length - 5));
    const instance = () => new WebAssembly.Instance(new WebAssembly.Module(out.bytes), {});
    expect(() => liftedDataFile(truncated).apply(instance(), memoryStateExport)).toThrow(
      /truncated/,
    );
    const past = heldLiftedData([{ memory: 0, offset: 2 * 65536 - 2, bytes: new Uint8Array(4) }]);
    expect(() => past.apply(instance(), memoryStateExport)).toThrow(/out of bounds/);
  });
});
