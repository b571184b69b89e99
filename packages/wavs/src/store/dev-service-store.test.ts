import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "./database.js";
import { DevServiceStore, devServiceHash } from "./dev-service-store.js";

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

describe("DevServiceStore", () => {
  const t = useTempDatabase();

  it("stores JSON under the sha256 of its bytes and serves it back after a reopen", () => {
    const json = '{"name":"dév"}';
    const hash = new DevServiceStore(t.db()).put(json);
    expect(hash).toBe(createHash("sha256").update(Buffer.from(json, "utf8")).digest("hex"));
    expect(devServiceHash(json)).toBe(hash);
    expect(new DevServiceStore(t.reopen()).get(hash)).toBe(json);
  });

  it("is idempotent and answers undefined for an unknown hash", () => {
    const store = new DevServiceStore(t.db());
    expect(store.put("{}")).toBe(store.put("{}"));
    expect(store.get("00".repeat(32))).toBeUndefined();
  });
});
