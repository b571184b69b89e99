import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import { type Db, openDatabase } from "../../src/store/database.js";

/** A fresh database in a temp directory per test; `reopen()` closes and opens the same file. */
export function useTempDatabase(): { db: () => Db; reopen: () => Db } {
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
