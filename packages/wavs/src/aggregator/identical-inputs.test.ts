import { describe, expect, it } from "vitest";
import { aggregatorCallKey, IdenticalInputs } from "./identical-inputs.js";

const row = {
  service_id: "s",
  workflow_id: "w",
  trigger_data: '{"raw":"0x01"}',
  payload_hex: "0x1234",
  ordering: null,
  event_id_salt: null,
};

describe("identical aggregator inputs", () => {
  it("keys a call by function, timer depth, component and every part of the input", () => {
    const key = aggregatorCallKey("process-input", 0, "digest|[]", row);
    expect(aggregatorCallKey("process-input", 0, "digest|[]", { ...row })).toBe(key);
    const others = [
      aggregatorCallKey("handle-timer-callback", 0, "digest|[]", row),
      aggregatorCallKey("process-input", 1, "digest|[]", row),
      aggregatorCallKey("process-input", 0, 'digest|[["k","v"]]', row),
      aggregatorCallKey("process-input", 0, "digest|[]", { ...row, payload_hex: "0x1235" }),
      aggregatorCallKey("process-input", 0, "digest|[]", { ...row, ordering: "1" }),
      aggregatorCallKey("process-input", 0, "digest|[]", { ...row, event_id_salt: "0x01" }),
      aggregatorCallKey("process-input", 0, "digest|[]", { ...row, trigger_data: "{}" }),
      aggregatorCallKey("process-input", 0, "digest|[]", { ...row, workflow_id: "x" }),
    ];
    expect(new Set([key, ...others]).size).toBe(others.length + 1);
  });

  it("runs once for calls in flight together and reuses the settled result", async () => {
    const reuse = new IdenticalInputs<{ ok: boolean; n: number }>(60_000);
    let runs = 0;
    const run = async () => ({ ok: true, n: ++runs });
    const together = await Promise.all([
      reuse.get("k", run, (r) => r.ok),
      reuse.get("k", run, (r) => r.ok),
    ]);
    expect(together.map((r) => r.n)).toEqual([1, 1]);
    expect((await reuse.get("k", run, (r) => r.ok)).n).toBe(1);
    expect((await reuse.get("other", run, (r) => r.ok)).n).toBe(2);
  });

  it("does not reuse failures, rejections, or results past their time", async () => {
    const reuse = new IdenticalInputs<{ ok: boolean; n: number }>(60_000);
    let runs = 0;
    const failing = async () => ({ ok: false, n: ++runs });
    await reuse.get("f", failing, (r) => r.ok);
    expect((await reuse.get("f", failing, (r) => r.ok)).n).toBe(2);
    await expect(
      reuse.get(
        "r",
        () => Promise.reject(new Error("x")),
        () => true,
      ),
    ).rejects.toThrow();
    expect(
      (
        await reuse.get(
          "r",
          async () => ({ ok: true, n: 9 }),
          () => true,
        )
      ).n,
    ).toBe(9);

    const expired = new IdenticalInputs<number>(-1);
    let n = 0;
    await expired.get(
      "k",
      async () => ++n,
      () => true,
    );
    expect(
      await expired.get(
        "k",
        async () => ++n,
        () => true,
      ),
    ).toBe(2);
  });

  it("keeps at most its maximum number of entries, dropping the oldest", async () => {
    const reuse = new IdenticalInputs<number>(60_000, 2);
    let n = 0;
    const run = async () => ++n;
    for (const k of ["a", "b", "c"]) await reuse.get(k, run, () => true);
    expect(await reuse.get("c", run, () => true)).toBe(3);
    expect(await reuse.get("a", run, () => true)).toBe(4);
  });
});
