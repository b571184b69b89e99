import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CursorStore } from "./cursor-store.js";
import { type Db, openDatabase } from "./database.js";

const hash = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;

describe("CursorStore", () => {
  let dir: string;
  let db: Db;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "wavs-cursor-"));
    db = openDatabase(join(dir, "wavs.db"));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps a cursor per chain across reopening the database", () => {
    const store = new CursorStore(db);
    expect(store.cursor("evm:1")).toBeUndefined();
    store.advance("evm:1", { number: 10n, hash: hash(10) });
    store.advance("evm:1", { number: 12n, hash: hash(12) });
    store.advance("evm:2", { number: 5n, hash: hash(5) });
    db.close();
    db = openDatabase(join(dir, "wavs.db"));
    const again = new CursorStore(db);
    expect(again.cursor("evm:1")).toEqual({ number: 12n, hash: hash(12) });
    expect(again.cursor("evm:2")).toEqual({ number: 5n, hash: hash(5) });
  });

  it("keeps only the newest checkpoints and rewinds to one of them", () => {
    const store = new CursorStore(db, 3);
    for (let n = 1; n <= 6; n++) store.advance("evm:1", { number: BigInt(n), hash: hash(n) });
    expect(store.checkpoints("evm:1").map((c) => c.number)).toEqual([6n, 5n, 4n]);
    store.rewind("evm:1", { number: 4n, hash: hash(4) });
    expect(store.cursor("evm:1")).toEqual({ number: 4n, hash: hash(4) });
    // the ones after the ancestor are gone; those below it are still on the chain
    expect(store.checkpoints("evm:1").map((c) => c.number)).toEqual([4n, 3n, 2n]);
  });

  it("deletes old checkpoints in rounds: never fewer than kept, never 64 more", () => {
    const store = new CursorStore(db, 10);
    const stored = () =>
      (db.prepare("SELECT COUNT(*) AS n FROM trigger_checkpoints").get() as { n: number }).n;
    let most = 0;
    for (let n = 1; n <= 300; n++) {
      store.advance("evm:1", { number: BigInt(n), hash: hash(n) });
      most = Math.max(most, stored());
      expect(stored()).toBeGreaterThanOrEqual(Math.min(n, 10));
    }
    expect(most).toBeLessThanOrEqual(10 + 64);
    expect(most).toBeGreaterThan(10);
    expect(store.checkpoints("evm:1").map((c) => c.number)).toEqual(
      Array.from({ length: 10 }, (_, i) => BigInt(300 - i)),
    );
    // a store opened afresh deletes at its first advance
    const again = new CursorStore(db, 10);
    again.advance("evm:1", { number: 301n, hash: hash(301) });
    expect(stored()).toBe(10);
    expect(again.cursor("evm:1")).toEqual({ number: 301n, hash: hash(301) });
  });

  it("stores anchors per trigger, so a changed trigger gets none", () => {
    const store = new CursorStore(db);
    store.setAnchor("s", "w", '{"n":2}', 7n);
    expect(store.anchor("s", "w", '{"n":2}')).toBe(7n);
    expect(store.anchor("s", "w", '{"n":3}')).toBeUndefined();
    store.deleteAnchor("s", "w");
    expect(store.anchor("s", "w", '{"n":2}')).toBeUndefined();
  });

  it("stores cron ticks and forgets a whole service", () => {
    const store = new CursorStore(db);
    store.setCronTick("s", "a", 1000);
    store.setCronTick("s", "b", 2000);
    store.setCronTick("t", "a", 3000);
    store.setAnchor("s", "c", "{}", 1n);
    expect(store.cronTick("s", "b")).toBe(2000);
    store.forgetService("s");
    expect(store.cronTick("s", "a")).toBeUndefined();
    expect(store.anchor("s", "c", "{}")).toBeUndefined();
    expect(store.cronTick("t", "a")).toBe(3000);
  });
});
