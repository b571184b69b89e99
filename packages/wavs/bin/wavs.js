#!/usr/bin/env node
import { statSync } from "node:fs";

// The bundle (scripts/bundle.mjs) starts ~30 % sooner than the ~250 compiled modules it is made
// of. In a source tree, a bundle older than the last compile (`tsc -b` alone) would run stale
// code: then the compiled modules run instead.
const PACKAGES = ["wavs", "sdk", "contracts", "errors"];

function mtime(relative) {
  try {
    return statSync(new URL(relative, import.meta.url)).mtimeMs;
  } catch {
    return undefined;
  }
}

function bundleIsCurrent() {
  const bundle = mtime("../dist/bundle/wavs.js");
  if (bundle === undefined) return false;
  return PACKAGES.every((p) => (mtime(`../../${p}/tsconfig.tsbuildinfo`) ?? 0) <= bundle);
}

const { main } = bundleIsCurrent()
  ? await import("../dist/bundle/wavs.js")
  : await import("../dist/cli/main.js");

main(process.argv).then((code) => {
  process.exitCode = code;
});
