// Fuel metering of core modules, on modules assembled here with wabt and run by V8: what a
// call and each loop iteration cost, the trap past the limit, and code the meter leaves alone.

import { describe, expect, it } from "vitest";
import { assembleWat } from "../../test/helpers/assemble-wat.js";
import { FUEL_EXPORT, FUEL_UNLIMITED, rewriteCoreModule } from "./core-module-rewrite.js";

// `count(n)`: a loop of n iterations. Its body holds 9 instructions (4 to add, 4 to test and
// branch, its `end`), charged per iteration; the function's own code is 3 (`loop`, the final
// `local.get`, `end`), charged per call.
const COUNTER = `(module
  (global $g (mut i32) (i32.const 0))
  (func (export "count") (param $n i32) (result i32)
    (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i)))`;

async function instantiate(wat: string) {
  const { bytes, metered } = rewriteCoreModule(await assembleWat(wat), {
    exportState: true,
    meterFuel: true,
  });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  const fuel = instance.exports[FUEL_EXPORT] as WebAssembly.Global;
  return { instance, fuel, metered };
}

describe("fuel metering", () => {
  it("charges each call its straight-line size and each loop iteration its body's, the same every run", async () => {
    const { instance, fuel, metered } = await instantiate(COUNTER);
    expect(metered).toBe(true);
    expect(fuel.value).toBe(FUEL_UNLIMITED);
    const count = instance.exports.count as (n: number) => number;
    const used = (n: number) => {
      fuel.value = 1_000_000n;
      expect(count(n)).toBe(n);
      return 1_000_000n - (fuel.value as bigint);
    };
    for (const n of [1, 10, 100]) expect(used(n)).toBe(3n + 9n * BigInt(n));
    // the same again: it depends on the code and the path only
    expect(used(100)).toBe(903n);
  });

  it("traps once the fuel is gone: a loop that never ends stops", async () => {
    const { instance, fuel } = await instantiate(`(module
      (func (export "spin") (loop $l (br $l))))`);
    fuel.value = 10_000n;
    expect(() => (instance.exports.spin as () => void)()).toThrow(WebAssembly.RuntimeError);
    expect(fuel.value as bigint).toBeLessThan(0n);
  });

  it("adds the fuel global after the module's own, so no index moves; state exports stay", async () => {
    const { bytes, stateExports } = rewriteCoreModule(await assembleWat(COUNTER), {
      exportState: true,
      meterFuel: true,
    });
    const names = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name);
    expect(names).toContain(FUEL_EXPORT);
    // the module's own mutable global is snapshotted; the fuel global is not
    expect(stateExports.map((e) => e.name)).toEqual(["__wavs_snapshot_g0"]);
  });

  it("a module without globals or exports gets both", async () => {
    const { bytes, metered } = rewriteCoreModule(
      await assembleWat(`(module (func $f (loop $l (br $l))) (start $f))`),
      { meterFuel: true },
    );
    expect(metered).toBe(true);
    const names = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name);
    expect(names).toEqual([FUEL_EXPORT]);
  });
});
