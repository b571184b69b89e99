import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../../bin/wavs.js", import.meta.url));
const PACKAGES = ["wavs", "sdk", "contracts", "errors"];

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A source tree with the real bin/wavs.js and two stand-in entry points that print which one
 * ran; every tsconfig.tsbuildinfo compiled at `compiledAt`, the bundle made at `bundledAt`.
 */
function tree(opts: { compiledAt: number; bundledAt?: number }): string {
  const root = mkdtempSync(join(tmpdir(), "wavs-bin-"));
  dirs.push(root);
  const wavs = join(root, "packages", "wavs");
  mkdirSync(join(wavs, "bin"), { recursive: true });
  copyFileSync(BIN, join(wavs, "bin", "wavs.js"));
  writeFileSync(join(root, "package.json"), '{"type":"module"}');
  const entry = (file: string, which: string) => {
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, `export async function main() { console.log("${which}"); return 0; }\n`);
  };
  entry(join(wavs, "dist", "cli", "main.js"), "modules");
  const seconds = (ms: number) => ms / 1000;
  if (opts.bundledAt !== undefined) {
    const bundle = join(wavs, "dist", "bundle", "wavs.js");
    entry(bundle, "bundle");
    utimesSync(bundle, seconds(opts.bundledAt), seconds(opts.bundledAt));
  }
  for (const p of PACKAGES) {
    const info = join(root, "packages", p, "tsconfig.tsbuildinfo");
    mkdirSync(join(info, ".."), { recursive: true });
    writeFileSync(info, "{}");
    utimesSync(info, seconds(opts.compiledAt), seconds(opts.compiledAt));
  }
  return join(wavs, "bin", "wavs.js");
}

function ran(bin: string): string {
  const r = spawnSync(process.execPath, [bin, "--version"], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
}

describe("bin/wavs.js", () => {
  const t = Date.parse("2026-12-01T00:00:00Z");

  it("runs the bundle when it was made after the last compile", () => {
    expect(ran(tree({ compiledAt: t, bundledAt: t + 1000 }))).toBe("bundle");
  });

  it("runs the compiled modules when a package was compiled after the bundle (tsc -b alone)", () => {
    expect(ran(tree({ compiledAt: t + 1000, bundledAt: t }))).toBe("modules");
  });

  it("runs the compiled modules when there is no bundle", () => {
    expect(ran(tree({ compiledAt: t }))).toBe("modules");
  });
});
