import { describe, expect, it } from "vitest";
import { fakeClock } from "./fake-clock.test-helpers.js";
import { KeyedScheduler } from "./keyed-scheduler.js";

describe("KeyedScheduler", () => {
  function setup() {
    const time = fakeClock(1_000);
    const ran: string[] = [];
    let active = true;
    const scheduler = new KeyedScheduler({
      clock: time.clock,
      run: () => {},
      active: () => active,
    });
    const job = (name: string) => async () => {
      ran.push(`${name}@${time.clock.now()}`);
    };
    return { time, ran, scheduler, job, stop: () => (active = false) };
  }

  it("runs a job at its due time, and scheduling a key again replaces its timer", () => {
    const { time, ran, scheduler, job } = setup();
    scheduler.schedule("submit:1", 1_500, job("first"));
    scheduler.schedule("submit:1", 2_000, job("second"));
    scheduler.schedule("recheck:1", 1_200, job("recheck"));
    time.advance(400);
    expect(ran).toEqual(["recheck@1200"]);
    time.advance(1_000);
    expect(ran).toEqual(["recheck@1200", "second@2000"]);
    expect(scheduler.has("submit:1")).toBe(false);
  });

  it("reaches a due time beyond setTimeout's range in steps", () => {
    const { time, ran, scheduler, job } = setup();
    const due = 1_000 + 40 * 24 * 3600_000;
    scheduler.schedule("timer:1", due, job("late"));
    time.advance(30 * 24 * 3600_000);
    expect(ran).toEqual([]);
    expect(scheduler.has("timer:1")).toBe(true);
    time.advance(10 * 24 * 3600_000);
    expect(ran).toEqual([`late@${due}`]);
  });

  it("runs nothing once inactive, and clear() drops every timer", () => {
    const { time, ran, scheduler, job, stop } = setup();
    scheduler.schedule("a", 1_100, job("a"));
    scheduler.schedule("b", 1_200, job("b"));
    scheduler.unschedule("a");
    stop();
    time.advance(500);
    expect(ran).toEqual([]);
    scheduler.schedule("c", 1_600, job("c"));
    scheduler.clear();
    expect(time.pending()).toBe(0);
  });
});
