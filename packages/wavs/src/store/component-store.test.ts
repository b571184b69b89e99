import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ComponentStore } from "./component-store.js";
import { type Db, openDatabase } from "./database.js";

const digest = "ab".repeat(32);

// A fresh database in a temp directory per test; reopen() closes and opens the same file.
function useTempDatabase(): { db: () => Db; reopen: () => Db } {
  let dir = "";
  let db: Db | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "wavs-store-"));
    db = openDatabase(join(dir, "wavs.db"));
  });
  afterEach(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    db: () => db!,
    reopen: () => {
      db?.close();
      db = openDatabase(join(dir, "wavs.db"));
      return db;
    },
  };
}

describe("ComponentStore", () => {
  const t = useTempDatabase();

  it("records a component once; the first source is kept", () => {
    const store = new ComponentStore(t.db());
    const first = {
      digest,
      world: "operator" as const,
      size: 4096,
      firstSource: { download: { uri: "http://127.0.0.1/c.wasm", digest } },
      registeredAt: 1,
    };
    expect(store.record(first)).toBe(true);
    expect(store.record({ ...first, firstSource: { digest }, registeredAt: 2 })).toBe(false);
    const reopened = new ComponentStore(t.reopen());
    expect(reopened.get(digest)).toEqual(first);
    expect(reopened.list()).toEqual([first]);
    expect(reopened.get("cd".repeat(32))).toBeUndefined();
  });
});
