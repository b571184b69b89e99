import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TriggerOf } from "../service/trigger.js";
import { CursorStore } from "../store/cursor-store.js";
import { openDatabase } from "../store/database.js";
import {
  BlockIntervalAnchors,
  blockIntervalFiresAt,
  blockIntervalHeights,
} from "./block-interval.js";

describe("block-interval arithmetic", () => {
  it("fires at a, a+n, a+2n, ... up to end_block inclusive", () => {
    expect(blockIntervalHeights(10n, 3n, undefined, 1n, 20n)).toEqual([10n, 13n, 16n, 19n]);
    expect(blockIntervalHeights(10n, 3n, 16n, 1n, 20n)).toEqual([10n, 13n, 16n]);
    expect(blockIntervalHeights(10n, 3n, null, 14n, 19n)).toEqual([16n, 19n]);
    expect(blockIntervalHeights(10n, 1n, undefined, 12n, 12n)).toEqual([12n]);
    expect(blockIntervalHeights(10n, 3n, undefined, 11n, 12n)).toEqual([]);
    expect(blockIntervalHeights(10n, 3n, 9n, 1n, 20n)).toEqual([]);
  });

  it("agrees with the spec's rule at every height", () => {
    for (const [a, n, end] of [
      [5n, 4n, undefined],
      [1n, 1n, 7n],
      [3n, 7n, 40n],
    ] as const) {
      const expected: bigint[] = [];
      for (let h = 0n; h <= 50n; h++) if (blockIntervalFiresAt(h, a, n, end)) expected.push(h);
      // Any split into ranges gives the same heights.
      const split = [
        ...blockIntervalHeights(a, n, end, 0n, 17n),
        ...blockIntervalHeights(a, n, end, 18n, 18n),
        ...blockIntervalHeights(a, n, end, 19n, 50n),
      ];
      expect(split).toEqual(expected);
      expect(expected.every((h) => h >= a && (h - a) % n === 0n && (!end || h <= end))).toBe(true);
    }
  });
});

describe("BlockIntervalAnchors", () => {
  const trigger = (
    over: Partial<TriggerOf<"block_interval">> = {},
  ): TriggerOf<"block_interval"> => ({
    type: "block_interval",
    chain: "evm:1",
    n_blocks: 5,
    ...over,
  });

  it("anchors at the first block seen, persists it, and re-anchors a changed trigger", () => {
    const dir = mkdtempSync(join(tmpdir(), "wavs-anchor-"));
    try {
      const path = join(dir, "wavs.db");
      let db = openDatabase(path);
      const sub = { serviceId: "s", workflowId: "w", trigger: trigger() };
      const first = new BlockIntervalAnchors(new CursorStore(db));
      expect(first.firesInRange([sub], 100n, 111n).map((f) => f.height)).toEqual([
        100n,
        105n,
        110n,
      ]);
      db.close();
      // After a restart the rhythm continues from the stored anchor, not from the new first block.
      db = openDatabase(path);
      const again = new BlockIntervalAnchors(new CursorStore(db));
      expect(again.firesInRange([sub], 112n, 121n).map((f) => f.height)).toEqual([115n, 120n]);
      const changed = { ...sub, trigger: trigger({ n_blocks: 4 }) };
      expect(again.firesInRange([changed], 122n, 130n).map((f) => f.height)).toEqual([
        122n,
        126n,
        130n,
      ]);
      // start_block wins over any stored anchor.
      const started = { ...sub, trigger: trigger({ start_block: 3n, end_block: 133n }) };
      expect(again.firesInRange([started], 125n, 140n).map((f) => f.height)).toEqual([128n, 133n]);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("orders the firings of several triggers by height", () => {
    const dir = mkdtempSync(join(tmpdir(), "wavs-anchor-"));
    const db = openDatabase(join(dir, "wavs.db"));
    try {
      const anchors = new BlockIntervalAnchors(new CursorStore(db));
      const fires = anchors.firesInRange(
        [
          { serviceId: "s", workflowId: "a", trigger: trigger({ n_blocks: 3, start_block: 1n }) },
          { serviceId: "s", workflowId: "b", trigger: trigger({ n_blocks: 2, start_block: 1n }) },
        ],
        1n,
        7n,
      );
      expect(fires.map((f) => `${f.height}${f.subscriber.workflowId}`)).toEqual([
        "1a",
        "1b",
        "3b",
        "4a",
        "5b",
        "7a",
        "7b",
      ]);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
