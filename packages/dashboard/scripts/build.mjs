/**
 * Builds the dashboard's static assets into dist/: one minified ES module bundle (Preact, htm,
 * uPlot and our pages), one stylesheet, the HTML shell. Runs in `npm run build` (and so at
 * `npm install`); the node serves dist/ and needs nothing from a CDN.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
await mkdir(dist, { recursive: true });

const started = Date.now();
const result = await build({
  entryPoints: [join(root, "src/main.ts")],
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  write: false,
  legalComments: "none",
  logLevel: "warning",
});
const js = result.outputFiles[0].contents;
const require = (await import("node:module")).createRequire(import.meta.url);
const uplotCss = await readFile(require.resolve("uplot/dist/uPlot.min.css"), "utf8");
const css = `${uplotCss}\n${await readFile(join(root, "src/styles.css"), "utf8")}`;
// content hashes in the asset names: the shell may be cached briefly, the assets for good
const tag = (bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 12);
const jsName = `app.${tag(js)}.js`;
const cssName = `app.${tag(css)}.css`;
const html = (await readFile(join(root, "src/index.html"), "utf8"))
  .replace("%APP_JS%", jsName)
  .replace("%APP_CSS%", cssName);
await writeFile(join(dist, jsName), js);
await writeFile(join(dist, cssName), css);
await writeFile(join(dist, "index.html"), html);
await writeFile(
  join(dist, "manifest.json"),
  `${JSON.stringify({ files: ["index.html", jsName, cssName] }, null, 2)}\n`,
);
console.log(
  `dashboard: ${jsName} (${(js.length / 1024).toFixed(0)} KiB), ${cssName} in ${Date.now() - started} ms`,
);
