/** Scenario helpers for config tests: a temp directory tree and error capture. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { WavsError } from "@wavs-ts/errors";
import { afterEach } from "vitest";

/** Anvil's well-known test mnemonic (valid checksum). */
export const TEST_MNEMONIC = "test test test test test test test test test test test junk";

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A temp tree with `home/` (the user's home) and `work/` (the cwd), plus the given files. */
export function makeTree(files: Record<string, string> = {}): {
  root: string;
  userHome: string;
  cwd: string;
} {
  const root = mkdtempSync(join(tmpdir(), "wavs-config-"));
  roots.push(root);
  mkdirSync(join(root, "home"), { recursive: true });
  mkdirSync(join(root, "work"), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return { root, userHome: join(root, "home"), cwd: join(root, "work") };
}

/** The WavsError thrown by `fn` (fails the test when it does not throw one). */
export function errorOf(fn: () => unknown): WavsError {
  try {
    fn();
  } catch (err) {
    if (err instanceof WavsError) return err;
    throw err;
  }
  throw new Error("expected a WavsError, nothing was thrown");
}
