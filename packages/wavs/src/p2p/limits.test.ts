import { describe, expect, it } from "vitest";
import { SERVICE_A } from "../../test/helpers/p2p-harness.js";
import {
  decodeCatchupRequest,
  encodeCatchupRequest,
  FrameLimitError,
  frame,
  readFrames,
} from "./catchup.js";
import { PeerRateLimiter, TokenBucket } from "./rate-limit.js";
import { RecentMessages, VerdictCache } from "./recent.js";

function clock(start = 0) {
  const c = { t: start, now: () => c.t };
  return c;
}

async function* chunks(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield p;
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<number[][]> {
  const out: number[][] = [];
  for await (const f of source) out.push([...f]);
  return out;
}

const LIMITS = { maxFrameBytes: 100, maxTotalBytes: 1000, maxFrames: 10 };

describe("token buckets", () => {
  it("allow the burst, then the sustained rate", () => {
    const c = clock();
    const b = new TokenBucket({ perSecond: 2, burst: 3 }, c.now);
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
    c.t += 499;
    expect(b.take()).toBe(false);
    c.t += 1;
    expect(b.take()).toBe(true);
    c.t += 10_000;
    expect(b.isFull()).toBe(true);
  });

  it("are per peer, and full ones are swept", () => {
    const c = clock();
    const l = new PeerRateLimiter({ perSecond: 1, burst: 1 }, c.now);
    expect([l.take("p1"), l.take("p1"), l.take("p2")]).toEqual([true, false, true]);
    expect(l.size).toBe(2);
    c.t += 1000;
    l.sweep();
    expect(l.size).toBe(0);
  });
});

describe("recent messages", () => {
  it("keep the last N per service inside the window, oldest first", () => {
    const c = clock();
    const r = new RecentMessages({ maxPerService: 2, windowMs: 1000 }, c.now);
    r.add("s", "1", new Uint8Array([1]));
    c.t += 500;
    r.add("s", "2", new Uint8Array([2]));
    r.add("s", "2", new Uint8Array([9]));
    expect(r.recent("s")).toEqual([new Uint8Array([1]), new Uint8Array([2])]);
    r.add("s", "3", new Uint8Array([3]));
    expect(r.recent("s").map((b) => b[0])).toEqual([2, 3]);
    c.t += 501;
    expect(r.count("s")).toBe(2);
    c.t += 500;
    expect(r.recent("s")).toEqual([]);
    expect(r.recent("other")).toEqual([]);
  });

  it("verdicts expire and are bounded", () => {
    const c = clock();
    const v = new VerdictCache(2, 1000, c.now);
    v.set("a", "accept");
    v.set("b", "reject");
    v.set("c", "ignore");
    expect([v.get("a"), v.get("b"), v.get("c")]).toEqual([undefined, "reject", "ignore"]);
    c.t += 1001;
    expect(v.get("b")).toBeUndefined();
  });
});

describe("catch-up framing", () => {
  it("reassembles frames split anywhere across chunks", async () => {
    const all = new Uint8Array([
      ...frame(new Uint8Array([1, 2, 3])),
      ...frame(new Uint8Array([])),
      ...frame(new Uint8Array([4])),
    ]);
    for (let cut = 0; cut <= all.length; cut++) {
      const frames = await collect(
        readFrames(chunks([all.subarray(0, cut), all.subarray(cut)]), LIMITS),
      );
      expect(frames).toEqual([[1, 2, 3], [], [4]]);
    }
    const oneByOne = [...all].map((b) => new Uint8Array([b]));
    expect(await collect(readFrames(chunks(oneByOne), LIMITS))).toEqual([[1, 2, 3], [], [4]]);
  });

  it("stops a peer that breaks the limits or truncates a frame", async () => {
    const big = frame(new Uint8Array(101));
    await expect(collect(readFrames(chunks([big]), LIMITS))).rejects.toThrow(FrameLimitError);
    const many = Array.from({ length: 11 }, () => frame(new Uint8Array(1)));
    await expect(collect(readFrames(chunks(many), LIMITS))).rejects.toThrow(/frames/);
    const total = Array.from({ length: 11 }, () => frame(new Uint8Array(96)));
    await expect(collect(readFrames(chunks(total), { ...LIMITS, maxFrames: 100 }))).rejects.toThrow(
      /bytes/,
    );
    await expect(
      collect(readFrames(chunks([frame(new Uint8Array(5)).subarray(0, 7)]), LIMITS)),
    ).rejects.toThrow(/inside a frame/);
  });

  it("encodes and checks requests", () => {
    const bytes = encodeCatchupRequest({ service_ids: [SERVICE_A] });
    expect(decodeCatchupRequest(bytes)).toEqual({ service_ids: [SERVICE_A] });
    expect(
      decodeCatchupRequest(new TextEncoder().encode('{"version":1,"service_ids":["x"]}')),
    ).toBeUndefined();
    expect(decodeCatchupRequest(new TextEncoder().encode("nope"))).toBeUndefined();
  });
});
