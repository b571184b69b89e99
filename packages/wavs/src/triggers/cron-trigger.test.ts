import { describe, expect, it } from "vitest";
import { sleep, tempDb } from "../../test/helpers/triggers-harness.js";
import { silentLogger } from "../internal/logger.js";
import type { TriggerOf } from "../service/trigger.js";
import { CursorStore } from "../store/cursor-store.js";
import {
  CronScheduler,
  compileCronSchedule,
  cronResumePoint,
  nextCronTick,
} from "./cron-trigger.js";
import type { CronSubscriber } from "./trigger-index.js";

const MS = 1_000_000n;
const cronTrigger = (over: Partial<TriggerOf<"cron">> = {}): TriggerOf<"cron"> => ({
  type: "cron",
  schedule: "*/1 * * * * *",
  ...over,
});

describe("cron schedule arithmetic", () => {
  const everySecond = compileCronSchedule("*/1 * * * * *");

  it("gives the next tick strictly after a time, within start_time and end_time", () => {
    expect(nextCronTick(everySecond, cronTrigger(), 1_000)).toBe(2_000);
    expect(nextCronTick(everySecond, cronTrigger(), 1_500)).toBe(2_000);
    // start_time (ns) is inclusive and wins over an earlier reference.
    expect(nextCronTick(everySecond, cronTrigger({ start_time: 5_000n * MS }), 1_000)).toBe(5_000);
    expect(nextCronTick(everySecond, cronTrigger({ start_time: 5_000n * MS + 1n }), 1_000)).toBe(
      6_000,
    );
    // end_time is inclusive too.
    expect(nextCronTick(everySecond, cronTrigger({ end_time: 3_000n * MS }), 2_000)).toBe(3_000);
    expect(
      nextCronTick(everySecond, cronTrigger({ end_time: 3_000n * MS }), 3_000),
    ).toBeUndefined();
  });

  it("resumes after the last tick, firing at most `limit` missed ticks (the most recent)", () => {
    // Last tick at 10 s, now 14.5 s: ticks 11..14 were missed.
    expect(cronResumePoint(everySecond, cronTrigger(), 10_000, 14_500, 100)).toEqual({
      afterMs: 10_000,
      skipped: false,
    });
    const capped = cronResumePoint(everySecond, cronTrigger(), 10_000, 14_500, 2);
    expect(capped).toEqual({ afterMs: 12_000, skipped: true });
    expect(nextCronTick(everySecond, cronTrigger(), capped.afterMs)).toBe(13_000);
    // A tick exactly at "now" counts as missed.
    expect(cronResumePoint(everySecond, cronTrigger(), 10_000, 14_000, 3)).toEqual({
      afterMs: 11_000,
      skipped: true,
    });
    // The cap counts only ticks up to end_time.
    const ended = cronTrigger({ end_time: 12_000n * MS });
    expect(cronResumePoint(everySecond, ended, 10_000, 99_000, 2)).toEqual({
      afterMs: 10_000,
      skipped: false,
    });
  });

  it("refuses schedules without a seconds field or with bad values", () => {
    expect(() => compileCronSchedule("* * * * *")).toThrow(/6 or 7 parts/);
    expect(() => compileCronSchedule("99 * * * * *", "workflow 'w'")).toThrow(
      /workflow 'w': schedule '99 \* \* \* \* \*' is not valid/,
    );
  });
});

describe("CronScheduler", () => {
  const run = (store: CursorStore, fired: { key: string; tick: number }[], limit?: number) =>
    new CronScheduler({
      store,
      logger: silentLogger(),
      catchUpLimit: limit,
      emit: async (sub: CronSubscriber, tick: number) => {
        fired.push({ key: `${sub.serviceId}/${sub.workflowId}`, tick });
      },
    });

  it("fires every second with the scheduled time, and catches up missed ticks after a restart", async () => {
    const { db } = tempDb();
    const store = new CursorStore(db);
    const fired: { key: string; tick: number }[] = [];
    const sub = { serviceId: "s", workflowId: "w", trigger: cronTrigger() };
    const first = run(store, fired);
    first.set(sub);
    first.start();
    await sleep(3_100);
    await first.stop();
    const live = fired.map((f) => f.tick);
    expect(live.length).toBeGreaterThanOrEqual(2);
    expect(live.length).toBeLessThanOrEqual(4);
    // Scheduled times: whole seconds, one apart, not the (later) wall time of firing.
    for (const [i, t] of live.entries()) {
      expect(t % 1000).toBe(0);
      if (i > 0) expect(t - (live[i - 1] as number)).toBe(1000);
    }
    expect(store.cronTick("s", "w")).toBe(live[live.length - 1]);

    // Down for ~3.5 s, then back with a catch-up limit of 2: the 2 most recent missed ticks
    // fire at once, in order, and then the schedule goes on live.
    await sleep(3_500);
    const restartedAt = Date.now();
    const second = run(store, fired, 2);
    second.set(sub);
    second.start();
    await sleep(1_300);
    await second.stop();
    const afterRestart = fired.slice(live.length).map((f) => f.tick);
    const caughtUp = afterRestart.filter((t) => t <= restartedAt);
    expect(caughtUp).toHaveLength(2);
    expect(restartedAt - (caughtUp[1] as number)).toBeLessThan(1000);
    expect((caughtUp[1] as number) - (caughtUp[0] as number)).toBe(1000);
    expect((caughtUp[0] as number) - (live[live.length - 1] as number)).toBeGreaterThan(1000);
    // Then live again, one second after the last caught-up tick.
    expect(afterRestart.length).toBeGreaterThanOrEqual(3);
    expect(afterRestart[2]).toBe((caughtUp[1] as number) + 1000);
  });

  it("stops firing a removed workflow and respects end_time", async () => {
    const { db } = tempDb();
    const store = new CursorStore(db);
    const fired: { key: string; tick: number }[] = [];
    const scheduler = run(store, fired);
    const endNs = BigInt(Date.now() + 1_500) * MS;
    scheduler.set({
      serviceId: "s",
      workflowId: "ends",
      trigger: cronTrigger({ end_time: endNs }),
    });
    scheduler.set({ serviceId: "s", workflowId: "removed", trigger: cronTrigger() });
    scheduler.start();
    await sleep(1_100);
    scheduler.remove("s", "removed");
    const removedCount = fired.filter((f) => f.key === "s/removed").length;
    await sleep(1_500);
    await scheduler.stop();
    expect(fired.filter((f) => f.key === "s/removed")).toHaveLength(removedCount);
    const ends = fired.filter((f) => f.key === "s/ends").map((f) => BigInt(f.tick) * MS);
    expect(ends.length).toBeGreaterThanOrEqual(1);
    expect(ends.every((t) => t <= endNs)).toBe(true);
  });
});
