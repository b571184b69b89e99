import { describe, expect, it } from "vitest";
import { KeyedLock } from "./keyed-lock.js";

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("KeyedLock", () => {
  it("runs operations on one key one at a time, in call order, other keys in parallel", async () => {
    const lock = new KeyedLock();
    const trace: string[] = [];
    const op = (key: string, name: string) =>
      lock.run(key, async () => {
        trace.push(`start ${name}`);
        await tick();
        trace.push(`end ${name}`);
        return name;
      });
    const results = await Promise.all([op("a", "a1"), op("a", "a2"), op("b", "b1")]);
    expect(results).toEqual(["a1", "a2", "b1"]);
    expect(trace.indexOf("end a1")).toBeLessThan(trace.indexOf("start a2"));
    expect(trace.indexOf("start b1")).toBeLessThan(trace.indexOf("end a1"));
  });

  it("lets the next operation run after one failed, and reports idle", async () => {
    const lock = new KeyedLock();
    const failed = lock.run("k", async () => {
      throw new Error("boom");
    });
    const next = lock.run("k", async () => "after");
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe("after");
    await lock.idle();
  });
});
