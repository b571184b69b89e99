import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { watFixture } from "../../test/helpers/wat-fixture.js";
import {
  prepareComponent,
  preparedDir,
  publishPrepared,
  readPrepared,
} from "./prepare-component.js";

let bytes: Uint8Array;
const dirs: string[] = [];
beforeAll(async () => {
  bytes = readFileSync(await watFixture("echo"));
});
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function cache(): string {
  const dir = mkdtempSync(join(tmpdir(), "wavs-prepare-"));
  dirs.push(dir);
  return dir;
}

/** Inode of every file of an entry: the same inodes mean the same files, never rewritten. */
function inodes(dir: string): Record<string, number> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).ino]));
}

describe("the prepared-component cache shared by processes", () => {
  it("never replaces a complete entry another process may be reading: the late copy is dropped", async () => {
    const dir = cache();
    const meta = await prepareComponent(bytes, dir);
    const final = preparedDir(dir, meta.digest);
    const before = inodes(final);
    // a second process finished preparing the same component after the first
    const late = `${final}.tmp-late`;
    cpSync(final, late, { recursive: true });
    writeFileSync(join(late, "marker"), "late");
    expect(publishPrepared(late, dir, meta.digest)).toEqual(meta);
    expect(inodes(final)).toEqual(before);
    expect(existsSync(late)).toBe(false);
    expect(readdirSync(dir)).toEqual([meta.digest]);
  });

  it("swaps out an entry of an older format, leaving nothing aside", async () => {
    const dir = cache();
    const meta = await prepareComponent(bytes, dir);
    const final = preparedDir(dir, meta.digest);
    writeFileSync(join(final, "meta.json"), JSON.stringify({ ...meta, formatVersion: -1 }));
    expect(readPrepared(dir, meta.digest)).toBeUndefined();
    const again = await prepareComponent(bytes, dir);
    expect(again.formatVersion).toBe(meta.formatVersion);
    expect(readPrepared(dir, meta.digest)).toEqual(again);
    expect(readdirSync(dir)).toEqual([meta.digest]);
  });

  it("prepares once-and-for-all under concurrent requests: one entry, every caller the same answer", async () => {
    const dir = cache();
    const metas = await Promise.all([1, 2, 3, 4].map(() => prepareComponent(bytes, dir)));
    expect(new Set(metas.map((m) => JSON.stringify(m))).size).toBe(1);
    expect(readdirSync(dir)).toEqual([metas[0]!.digest]);
    for (const f of metas[0]!.coreFiles)
      expect(existsSync(join(dir, metas[0]!.digest, f))).toBe(true);
  });
});
