/**
 * Bundles the compiled CLI and its worker threads into dist/bundle/ (run by `npm run build`
 * after `tsc -b`). Node resolves, reads and compiles ~250 files one by one to start `wavs`;
 * from a bundle it reads a handful: `wavs exec` starts ~30 % sooner (docs/benchmarks.md).
 * `bin/wavs.js` runs the bundle when it is at least as new as the compiled sources.
 *
 * Not minified: the node's stack traces stay readable, and minifying bought nothing measurable.
 * Lazily imported commands stay lazy (code splitting). Every module keeps its own location:
 * `import.meta.url`, `__dirname` and `__filename` are rewritten to the file it was bundled
 * from, so the assets found beside a module (WIT files, contract artifacts, the dashboard,
 * a dependency's own worker scripts) are found as before. Native addons and the heavy
 * builder tools (jco, componentize-js, esbuild, TypeScript) are loaded from node_modules.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const outdir = join(dist, "bundle");

/** Worker scripts bundled beside the CLI; `engineWorkerPath` picks them in the bundle. */
const WORKERS = ["worker", "transpile-worker"];

const EXTERNAL = [
  // native addons, found by their own loaders relative to their package
  "better-sqlite3",
  "secp256k1",
  "@napi-rs/lzma",
  "oxc-parser",
  // builder tools: large, loaded only by the commands that build or transpile
  "@bytecodealliance/jco",
  "@bytecodealliance/componentize-js",
  "@foundry-rs/anvil",
  "esbuild",
  "typescript",
];

/** Whether `spec` names a package (not a relative path, not a Node builtin). */
const isPackage = (spec) =>
  !spec.startsWith(".") && !spec.startsWith("/") && !spec.startsWith("node:");

/** Where esbuild itself resolves `args` (marked so the plugins that ask do not see it again). */
const resolveAsUsual = (b, args) =>
  b.resolve(args.path, {
    kind: args.kind,
    importer: args.importer,
    resolveDir: args.resolveDir,
    pluginData: { inner: true },
  });

/**
 * Rewrites a module's own location to the file it came from (see above), and leaves outside
 * the bundle the EXTERNAL packages and every package imported dynamically: a dynamic import
 * of a CommonJS package bundled by esbuild would have only a default export, where Node gives
 * its named exports too (cosmjs, OpenTelemetry). Those imports name the file Node would load
 * for the importing module (relative to the bundle), so a package nested in a workspace's own
 * node_modules (the SDK's esbuild) is still the one its importer gets.
 */
const keepLocations = {
  name: "keep-locations",
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.inner || !isPackage(args.path)) return undefined;
      const name = args.path
        .split("/")
        .slice(0, args.path.startsWith("@") ? 2 : 1)
        .join("/");
      if (args.kind !== "dynamic-import" && !EXTERNAL.includes(name)) return undefined;
      const found = await resolveAsUsual(b, args);
      if (found.errors.length > 0) return { errors: found.errors };
      return { path: `./${relative(outdir, found.path)}`, external: true };
    });
    b.onLoad({ filter: /\.(m?js|cjs)$/ }, async (args) => {
      let text = await readFile(args.path, "utf8");
      const from = JSON.stringify(relative(outdir, args.path));
      if (text.includes("import.meta.url")) {
        text = text.replaceAll("import.meta.url", `__wavsUrl(${from})`);
      }
      if (/\b__(dirname|filename)\b/.test(text)) {
        text = `var __filename = __wavsPath(${from}), __dirname = __wavsDir(${from});\n${text}`;
      }
      return { contents: text, loader: "js", resolveDir: dirname(args.path) };
    });
  },
};

/**
 * Leaves out what no command uses but Node would still read and compile at every start:
 * zod's error messages in 60-odd languages (its `locales` namespace is reachable from `z`, so
 * esbuild keeps them all; English is the one zod itself configures), and the bip39 wordlists
 * other than English that viem's accounts module re-exports (@scure/bip39 declares itself
 * free of side effects, but its `esm/package.json` does not repeat it, so esbuild keeps them).
 */
const dropUnused = {
  name: "drop-unused",
  setup(b) {
    b.onResolve({ filter: /^@scure\/bip39\/wordlists\// }, async (args) => {
      if (args.pluginData?.inner) return undefined;
      const found = await resolveAsUsual(b, args);
      if (found.errors.length > 0) return { errors: found.errors };
      return { path: found.path, sideEffects: false };
    });
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer)
        ? {
            path: join(dirname(args.importer), "..", "locales", "index.js"),
            namespace: "zod-locales",
          }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      loader: "js",
      resolveDir: dirname(args.path),
    }));
  },
};

// at the top of every chunk: `require` for the CommonJS dependencies, and the helpers above
const banner = [
  'import { createRequire as __wavsRequire } from "node:module";',
  'import { fileURLToPath as __wavsFileUrl } from "node:url";',
  "const require = __wavsRequire(import.meta.url);",
  "const __wavsUrl = (from) => new URL(from, import.meta.url).href;",
  "const __wavsPath = (from) => __wavsFileUrl(__wavsUrl(from));",
  'const __wavsDir = (from) => __wavsFileUrl(new URL(".", __wavsUrl(from)));',
].join("\n");

const started = Date.now();
await rm(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: {
    wavs: join(dist, "cli", "main.js"),
    ...Object.fromEntries(WORKERS.map((w) => [w, join(dist, "engine", `${w}.js`)])),
  },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  // what Node reads: a package's `exports` (conditions node, import/require, default), else
  // `main`; never the bundlers' `module` field or condition, so a package left outside is
  // loaded as the file Node itself would pick
  mainFields: ["main"],
  conditions: [],
  target: "node20",
  outdir,
  banner: { js: banner },
  define: {
    WAVS_BUNDLE_WORKERS: JSON.stringify(WORKERS),
    WAVS_BUNDLE_URL: "import.meta.url",
  },
  plugins: [dropUnused, keepLocations],
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});
// what each output holds, beside the bundle: a test checks what `wavs exec` loads
await writeFile(join(dist, "bundle-meta.json"), JSON.stringify(result.metafile));
const outputs = Object.values(result.metafile.outputs);
const mb = outputs.reduce((sum, o) => sum + o.bytes, 0) / 1e6;
console.log(
  `wavs bundle: ${outputs.length} files, ${mb.toFixed(1)} MB in ${Date.now() - started} ms`,
);
