import { afterEach, describe, expect, it, vi } from "vitest";
import { useTempDatabase } from "../../test/helpers/temp-database.js";
import { ExecutionStore } from "../store/index.js";
import { executionStats } from "./execution-stats.js";

const T0 = 1_800_000_000_000; // a bucket boundary for 60 s buckets (divisible by 60,000)

describe("execution stats (GET /stats/executions) over the real store", () => {
  const tmp = useTempDatabase();
  afterEach(() => vi.useRealTimers());

  /** Record one execution finished at `at` with `status`, lasting `ms`. */
  function finished(
    store: ExecutionStore,
    key: string,
    serviceId: string,
    at: number,
    status: "succeeded" | "failed",
    ms: number,
  ) {
    vi.setSystemTime(at);
    const id = store.enqueue({
      serviceId,
      workflowId: "w",
      triggerKey: key,
      eventId: key,
      triggerType: "manual",
      triggerData: { raw: "0x" },
    })!;
    store.markRunning(id);
    store.finish(id, { status, durationMs: ms, logs: [] });
    return id;
  }

  it("counts per bucket and per service, with empty buckets, and leaves out what is older than the window", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const store = new ExecutionStore(tmp.db());
    const a = "a".repeat(64);
    const b = "b".repeat(64);
    finished(store, "0x01", a, T0 - 1, "succeeded", 10); // before the window
    finished(store, "0x02", a, T0 + 5_000, "succeeded", 10);
    finished(store, "0x03", a, T0 + 59_999, "failed", 30);
    finished(store, "0x04", b, T0 + 120_000, "succeeded", 20);
    const now = T0 + 179_000;
    const stats = executionStats(store, 180, 60, now);
    expect(stats).toEqual({
      from: T0,
      to: now,
      bucket_s: 60,
      buckets: [
        { t: T0, succeeded: 1, failed: 1, avg_ms: 20 },
        { t: T0 + 60_000, succeeded: 0, failed: 0, avg_ms: null },
        { t: T0 + 120_000, succeeded: 1, failed: 0, avg_ms: 20 },
      ],
      services: expect.arrayContaining([
        { service_id: a, succeeded: 1, failed: 1, avg_ms: 20 },
        { service_id: b, succeeded: 1, failed: 0, avg_ms: 20 },
      ]),
    });
    expect(stats.services).toHaveLength(2);
  });

  it("finds an event's executions by its event id, manual fires (unique keys) included", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const store = new ExecutionStore(tmp.db());
    const id = finished(store, `0x${"12".repeat(20)}`, "a".repeat(64), T0, "succeeded", 1);
    finished(store, `0x${"34".repeat(20)}`, "a".repeat(64), T0, "succeeded", 1);
    vi.setSystemTime(T0);
    const manual = store.enqueue({
      serviceId: "a".repeat(64),
      workflowId: "w",
      triggerKey: "manual:1",
      eventId: `0x${"12".repeat(20)}`,
      triggerType: "raw",
      triggerData: { raw: "0x" },
    });
    expect(store.byEvent(`0x${"12".repeat(20)}`).map((r) => r.id)).toEqual([id, manual]);
    expect(store.byEvent(`0x${"56".repeat(20)}`)).toEqual([]);
  });
});
