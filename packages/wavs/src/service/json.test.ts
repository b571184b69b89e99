import { describe, expect, it } from "vitest";
import { jsonNestingDepth, MAX_JSON_DEPTH } from "./json.js";

describe("jsonNestingDepth", () => {
  it("counts arrays and objects, not brackets inside strings", () => {
    expect(jsonNestingDepth("1")).toBe(0);
    expect(jsonNestingDepth('{"a": [1, {"b": []}]}')).toBe(4);
    expect(jsonNestingDepth(JSON.stringify({ a: '[[[{"\\"[[' }))).toBe(1);
    expect(jsonNestingDepth(JSON.stringify(["\\", ["x"]]))).toBe(2);
  });

  it("stops counting just past the limit", () => {
    const deep = `${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}`;
    expect(jsonNestingDepth(deep)).toBe(MAX_JSON_DEPTH + 1);
    expect(jsonNestingDepth(deep, 10)).toBe(11);
    const ok = `${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)}`;
    expect(jsonNestingDepth(ok)).toBe(MAX_JSON_DEPTH);
  });
});
