import { describe, expect, it } from "vitest";
import { fakeClock } from "./fake-clock.test-helpers.js";
import { KeyedScheduler } from "./keyed-scheduler.js";
import { NextHead } from "./next-head.js";

describe("NextHead", () => {
  function setup() {
    const time = fakeClock(1_000);
    const steps: Promise<void>[] = [];
    const scheduler = new KeyedScheduler({
      clock: time.clock,
      run: (step) => steps.push(step),
      active: () => true,
    });
    const next = new NextHead({
      scheduler,
      now: () => time.clock.now(),
      run: (step) => steps.push(step),
      followedMs: 30_000,
      unfollowedMs: 1_000,
    });
    const ran: string[] = [];
    const look = (what: string) => async () => {
      ran.push(what);
    };
    return { time, next, ran, look, scheduler };
  }

  it("runs a step at the chain's next head, once, and not at another chain's", () => {
    const { time, next, ran, look } = setup();
    next.headSeen("evm:1");
    next.run("evm:1", "a", look("a"));
    next.run("evm:2", "b", look("b"));
    next.headSeen("evm:3");
    expect(ran).toEqual([]);
    next.headSeen("evm:1");
    expect(ran).toEqual(["a"]);
    // its fallback timer is gone: it does not run again
    time.advance(60_000);
    next.headSeen("evm:1");
    expect(ran).toEqual(["a", "b"]);
    expect(time.pending()).toBe(0);
  });

  it("waits long on a chain whose heads it sees, briefly on one it does not", () => {
    const { time, next, ran, look } = setup();
    next.headSeen("evm:1");
    next.run("evm:1", "followed", look("followed"));
    next.run("evm:2", "unfollowed", look("unfollowed"));
    time.advance(1_000);
    expect(ran).toEqual(["unfollowed"]);
    time.advance(28_999);
    expect(ran).toEqual(["unfollowed"]);
    time.advance(1);
    expect(ran).toEqual(["unfollowed", "followed"]);
    // a minute without heads: the chain no longer counts as followed
    time.advance(60_000);
    next.run("evm:1", "later", look("later"));
    time.advance(1_000);
    expect(ran).toEqual(["unfollowed", "followed", "later"]);
  });

  it("forgets waiting steps when cleared", () => {
    const { next, ran, look, scheduler } = setup();
    next.run("evm:1", "a", look("a"));
    next.clear();
    scheduler.clear();
    next.headSeen("evm:1");
    expect(ran).toEqual([]);
  });
});
