import { describe, expect, it } from "vitest";
import { useTempDatabase } from "../../test/helpers/temp-database.js";
import { ComponentStore } from "./component-store.js";

const digest = "ab".repeat(32);

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
