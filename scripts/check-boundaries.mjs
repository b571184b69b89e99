#!/usr/bin/env node
/**
 * Import boundaries, checked by `npm run lint` (Biome's noImportCycles covers module cycles):
 *
 * - in a package's source, an import that leaves its top-level folder (`src/<folder>/...`)
 *   goes through the other folder's `index.ts`, so each folder shows one public surface (files
 *   directly in `src/` are the package's own surface and may import any module);
 * - the folders' dependency graph has no cycle (the tree reads as the data flow);
 * - no relative import reaches into another package: packages import each other by name.
 *
 * Tests (`*.test.ts`) may reach inside folders; test helpers live in `<package>/test/`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const IMPORT_RE =
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]*?\s+from\s+)?"(\.{1,2}\/[^"]+)"|import\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g;

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.endsWith(".d.ts"))
      out.push(path);
  }
  return out;
}

/** The relative specifiers a file imports (static, re-exports and dynamic). */
export function importsOf(text) {
  const specs = [];
  // comments may quote import lines
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  for (const m of code.matchAll(IMPORT_RE)) specs.push(m[1] ?? m[2]);
  return specs;
}

/** Top-level folder of `file` under `src`, or "." for files directly in it. */
function folderOf(src, file) {
  const parts = relative(src, file).split(sep);
  return parts.length > 1 ? parts[0] : ".";
}

/** A cycle in `graph` (folder -> Set of folders) as a list of folders, or undefined. */
export function findCycle(graph) {
  const state = new Map();
  const stack = [];
  const visit = (node) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    if (!state.has(node)) {
      const found = visit(node);
      if (found) return found;
    }
  }
  return undefined;
}

/** Problems in the packages under `packagesDir`, one line each. */
export function checkBoundaries(packagesDir) {
  const problems = [];
  const packages = readdirSync(packagesDir).filter((p) =>
    statSync(join(packagesDir, p, "src"), { throwIfNoEntry: false })?.isDirectory(),
  );
  for (const pkg of packages) {
    const root = join(packagesDir, pkg);
    const src = join(root, "src");
    const graph = new Map();
    const edgeAt = new Map();
    for (const file of sourceFiles(src)) {
      const from = folderOf(src, file);
      const where = relative(packagesDir, file);
      for (const spec of importsOf(readFileSync(file, "utf8"))) {
        const target = resolve(dirname(file), spec);
        if (!target.startsWith(root + sep)) {
          problems.push(
            `${where}: imports ${spec}, inside another package; import it by its package name`,
          );
          continue;
        }
        if (!target.startsWith(src + sep)) continue;
        const to = folderOf(src, target);
        if (to === from || to === "." || from === ".") continue;
        if (relative(join(src, to), target) !== "index.js") {
          problems.push(
            `${where}: imports ${spec}; outside its folder, import ../${to}/index.js (export the name there)`,
          );
        }
        if (!graph.has(from)) graph.set(from, new Set());
        graph.get(from).add(to);
        if (!edgeAt.has(`${from}>${to}`)) edgeAt.set(`${from}>${to}`, where);
      }
    }
    const cycle = findCycle(graph);
    if (cycle) {
      const steps = cycle
        .slice(1)
        .map((to, i) => `${cycle[i]} -> ${to} (${edgeAt.get(`${cycle[i]}>${to}`)})`);
      problems.push(
        `${pkg}: its folders import each other in a cycle: ${steps.join(", ")}; move the shared part down to a folder both may import`,
      );
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const packagesDir =
    process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "../packages");
  const problems = checkBoundaries(packagesDir);
  for (const p of problems) process.stderr.write(`boundaries: ${p}\n`);
  if (problems.length > 0) {
    process.stderr.write(
      `boundaries: ${problems.length} problem(s); the rules are at the top of scripts/check-boundaries.mjs\n`,
    );
    process.exit(1);
  }
  process.stdout.write("boundaries: imports between folders and packages are in order\n");
}
