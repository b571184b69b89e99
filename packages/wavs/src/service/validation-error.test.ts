import { describe, expect, test } from "vitest";
import { describeValue, formatPath } from "./validation-error.js";

describe("validation messages", () => {
  test("describeValue", () => {
    expect(describeValue("cronn")).toBe("'cronn'");
    expect(describeValue("it's")).toBe('"it\'s"');
    expect(describeValue("line\nbreak")).toBe('"line\\nbreak"');
    expect(describeValue("x".repeat(100))).toBe(`'${"x".repeat(80)}...'`);
    expect(describeValue(42)).toBe("42");
    expect(describeValue(10n)).toBe("10");
    expect(describeValue(false)).toBe("false");
    expect(describeValue(null)).toBe("null");
    expect(describeValue(undefined)).toBe("nothing");
    expect(describeValue([])).toBe("an empty array");
    expect(describeValue([1])).toBe("an array");
    expect(describeValue({})).toBe("an object");
  });

  test("formatPath", () => {
    expect(formatPath([])).toBe("");
    expect(formatPath(["workflows", "w1", "trigger"])).toBe("workflows.w1.trigger");
    expect(formatPath(["component", "env_keys", 0])).toBe("component.env_keys[0]");
    expect(formatPath(["config", "a.b"])).toBe('config["a.b"]');
    expect(formatPath(["workflows", "Bad Id", "trigger"])).toBe('workflows["Bad Id"].trigger');
  });
});
