import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "./database.js";
import { KV_LIST_PAGE, KvStore } from "./kv-store.js";

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) =>
  b === undefined ? undefined : new TextDecoder().decode(b);

describe("KvStore", () => {
  let dir: string;
  let db: Db;
  let kv: KvStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "wavs-kv-"));
    db = openDatabase(join(dir, "wavs.db"));
    kv = new KvStore(db);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("namespaces keys by service and bucket", () => {
    kv.set("s1", "b", "k", bytes("one"));
    kv.set("s2", "b", "k", bytes("two"));
    kv.set("s1", "other", "k", bytes("three"));
    expect(text(kv.get("s1", "b", "k"))).toBe("one");
    expect(text(kv.get("s2", "b", "k"))).toBe("two");
    expect(text(kv.get("s1", "other", "k"))).toBe("three");
    kv.delete("s1", "b", "k");
    expect(kv.get("s1", "b", "k")).toBeUndefined();
    expect(text(kv.get("s2", "b", "k"))).toBe("two");
  });

  it("lists keys sorted, page by page", () => {
    const keys = Array.from(
      { length: KV_LIST_PAGE + 5 },
      (_, i) => `key-${String(i).padStart(5, "0")}`,
    );
    for (const k of [...keys].reverse()) kv.set("s", "b", k, bytes("v"));
    const first = kv.listKeys("s", "b", undefined);
    expect(first.keys).toEqual(keys.slice(0, KV_LIST_PAGE));
    // the cursor is the next page's first key: a cursor starts at the first key >= it
    expect(first.cursor).toBe(keys[KV_LIST_PAGE]);
    const second = kv.listKeys("s", "b", first.cursor);
    expect(second).toEqual({ keys: keys.slice(KV_LIST_PAGE), cursor: undefined });
  });

  it("a cursor starts at the first key >= it, in byte order", () => {
    // byte order: "B" (0x42) < "a" (0x61) < "é" (0xc3 0xa9); a locale order would differ
    for (const k of ["a", "é", "B", "ab", "b"]) kv.set("c", "b", k, bytes("v"));
    expect(kv.listKeys("c", "b", undefined).keys).toEqual(["B", "a", "ab", "b", "é"]);
    expect(kv.listKeys("c", "b", "ab").keys).toEqual(["ab", "b", "é"]);
    expect(kv.listKeys("c", "b", "aa").keys).toEqual(["ab", "b", "é"]);
    expect(kv.listKeys("c", "b", "z").keys).toEqual(["é"]);
    expect(kv.listKeys("c", "b", "\u{10ffff}")).toEqual({ keys: [], cursor: undefined });
  });

  it("keeps counters apart from values and increments atomically", () => {
    kv.set("s", "b", "count", bytes("not a number"));
    expect(kv.increment("s", "b", "count", 5n)).toBe(5n);
    expect(kv.increment("s", "b", "count", -2n)).toBe(3n);
    expect(text(kv.get("s", "b", "count"))).toBe("not a number");
  });

  it("compare-and-swap succeeds only on the value seen", () => {
    expect(kv.compareAndSwap("s", "b", "k", undefined, bytes("a"))).toEqual({ swapped: true });
    const failed = kv.compareAndSwap("s", "b", "k", undefined, bytes("b"));
    expect(failed.swapped).toBe(false);
    expect(text(failed.swapped ? undefined : failed.current)).toBe("a");
    expect(kv.compareAndSwap("s", "b", "k", bytes("a"), bytes("c"))).toEqual({ swapped: true });
    expect(text(kv.get("s", "b", "k"))).toBe("c");
  });

  it("persists across reopening the database", () => {
    kv.set("s", "b", "k", bytes("kept"));
    kv.increment("s", "b", "n", 7n);
    db.close();
    db = openDatabase(join(dir, "wavs.db"));
    kv = new KvStore(db);
    expect(text(kv.get("s", "b", "k"))).toBe("kept");
    expect(kv.increment("s", "b", "n", 1n)).toBe(8n);
  });
});
