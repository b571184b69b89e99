/**
 * A large compiled component for benchmarks and tests: the echo core module (a stand-in for a
 * small Rust build) plus `count` small functions, as WAT. 2,200 functions make ~330 KB.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ECHO_WAT = fileURLToPath(new URL("../../test/fixtures/wat/echo.wat", import.meta.url));

/** echo.wat with `count` extra functions (kept in a table so none is dead code). */
export function largeEchoWat(count: number): string {
  const echo = readFileSync(ECHO_WAT, "utf8");
  const end = echo.lastIndexOf(")");
  const funcs: string[] = [];
  for (let i = 0; i < count; i++) {
    const body: string[] = [];
    for (let k = 0; k < 12; k++)
      body.push(
        `(local.set $x (i32.add (i32.mul (local.get $x) (i32.const ${i * 31 + k})) (i32.const ${k})))`,
      );
    funcs.push(`  (func $f${i} (param $x i32) (result i32) ${body.join(" ")} (local.get $x))`);
  }
  const table = `  (table ${count} funcref)\n  (elem (i32.const 0) ${funcs.map((_, i) => `$f${i}`).join(" ")})`;
  return `${echo.slice(0, end)}\n${funcs.join("\n")}\n${table}\n)\n`;
}
