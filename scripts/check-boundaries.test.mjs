import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkBoundaries, findCycle, importsOf } from "./check-boundaries.mjs";

const dirs = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A packages directory holding `files` (path -> text). */
function tree(files) {
  const root = mkdtempSync(join(tmpdir(), "wavs-boundaries-"));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("import boundaries", () => {
  it("reads static, type-only, re-export and dynamic imports, not commented ones", () => {
    const text = `import { a } from "./a.js";
import type { B } from "../b/index.js";
export { c } from "./c.js";
import "./side-effect.js";
// import { d } from "./d.js";
/* import { e } from "./e.js"; */
const f = await import("../f/index.js");
import { g } from "viem";`;
    expect(importsOf(text)).toEqual([
      "./a.js",
      "../b/index.js",
      "./c.js",
      "./side-effect.js",
      "../f/index.js",
    ]);
  });

  it("passes folders that import each other's index.ts in one direction", () => {
    const root = tree({
      "p/src/index.ts": 'export { run } from "./engine/engine.js";',
      "p/src/engine/engine.ts":
        'import { open } from "../store/index.js";\nexport const run = open;',
      "p/src/engine/engine.test.ts": 'import { x } from "../store/kv.js";',
      "p/src/store/index.ts": 'export { open } from "./kv.js";',
      "p/src/store/kv.ts": "export const open = 1;",
    });
    expect(checkBoundaries(root)).toEqual([]);
  });

  it("names an import that bypasses a folder's index.ts", () => {
    const root = tree({
      "p/src/engine/engine.ts": 'import { open } from "../store/kv.js";',
      "p/src/store/kv.ts": "export const open = 1;",
    });
    expect(checkBoundaries(root)).toEqual([
      "p/src/engine/engine.ts: imports ../store/kv.js; outside its folder, import ../store/index.js (export the name there)",
    ]);
  });

  it("names a cycle between folders with the file of each step", () => {
    const root = tree({
      "p/src/engine/engine.ts": 'import type { Kv } from "../store/index.js";',
      "p/src/store/index.ts": 'export { Kv } from "./kv.js";',
      "p/src/store/kv.ts": 'import { Engine } from "../engine/index.js";',
      "p/src/engine/index.ts": 'export { Engine } from "./engine.js";',
    });
    expect(checkBoundaries(root)).toEqual([
      "p: its folders import each other in a cycle: engine -> store (p/src/engine/engine.ts), store -> engine (p/src/store/kv.ts); move the shared part down to a folder both may import",
    ]);
  });

  it("names a relative import into another package", () => {
    const root = tree({
      "p/src/a.ts": 'import { x } from "../../q/src/x.js";',
      "q/src/x.ts": "export const x = 1;",
    });
    expect(checkBoundaries(root)).toEqual([
      "p/src/a.ts: imports ../../q/src/x.js, inside another package; import it by its package name",
    ]);
  });

  it("finds the cycle of a graph, or none", () => {
    const g = (edges) => new Map(Object.entries(edges).map(([k, v]) => [k, new Set(v)]));
    expect(findCycle(g({ a: ["b"], b: ["c"], c: [] }))).toBeUndefined();
    expect(findCycle(g({ a: ["b"], b: ["c"], c: ["a"] }))).toEqual(["a", "b", "c", "a"]);
  });
});
