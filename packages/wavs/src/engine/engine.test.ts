import { readFileSync } from "node:fs";
import { WavsError } from "@wavs-ts/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRunRequest, startEngine } from "../../test/helpers/engine-harness.js";
import { watFixture } from "../../test/helpers/wat-fixture.js";
import { validateResponses } from "./responses.js";

describe("engine with small hand-written components", () => {
  let h: Awaited<ReturnType<typeof startEngine>>;
  const paths: Record<string, string> = {};

  beforeAll(async () => {
    h = await startEngine({ maxMemoryMb: 16 });
    for (const name of ["echo", "loop", "trap", "memory-bomb", "garbage"])
      paths[name] = await watFixture(name);
  });
  afterAll(async () => {
    await h.close();
  });

  it("registers a component, detects its world and serves it from the cache afterwards", async () => {
    const first = await h.register(paths.echo!);
    expect(first.world).toBe("operator");
    expect(first.cached).toBe(false);
    const again = await h.register(paths.echo!);
    expect(again).toEqual({ ...first, cached: true });
  });

  it("runs echo with the raw input and returns it as the payload", async () => {
    const { digest } = await h.register(paths.echo!);
    const out = await h.engine.execute(rawRunRequest(digest, "hello"));
    expect(out.ok).toBe(true);
    const responses = validateResponses(out.ok ? out.value : undefined, 1 << 20);
    expect(new TextDecoder().decode(responses[0]!.payload)).toBe("hello");
    expect(responses[0]!.ordering).toBeUndefined();
  });

  it("gives every execution fresh state and keeps serving many in parallel", async () => {
    const { digest } = await h.register(paths.echo!);
    const outs = await Promise.all(
      Array.from({ length: 200 }, (_, i) => h.engine.execute(rawRunRequest(digest, `msg-${i}`))),
    );
    outs.forEach((o, i) => {
      const r = validateResponses(o.ok ? o.value : undefined, 1 << 20);
      expect(new TextDecoder().decode(r[0]!.payload)).toBe(`msg-${i}`);
    });
  });

  it("meters fuel: the same run uses the same fuel; past the limit the run stops with WAVS_ERR_EXEC_FUEL", async () => {
    const echo = await h.register(paths.echo!);
    const runs = await Promise.all(
      [1, 2, 3].map(() => h.engine.execute(rawRunRequest(echo.digest, "same input"))),
    );
    const used = runs.map((r) => r.fuelUsed);
    expect(used[0]).toBeGreaterThan(0);
    expect(new Set(used).size).toBe(1);
    // a limit just under what it needs stops it; its own size lets it through
    const short = await h.engine.execute(
      rawRunRequest(echo.digest, "same input", { fuelLimit: BigInt(used[0]! - 1) }),
    );
    expect(short.ok).toBe(false);
    if (!short.ok) {
      expect(short.error.code).toBe("WAVS_ERR_EXEC_FUEL");
      expect(short.error.message).toMatch(/^Out of fuel/);
    }
    const exact = await h.engine.execute(
      rawRunRequest(echo.digest, "same input", { fuelLimit: BigInt(used[0]!) }),
    );
    expect(exact.ok).toBe(true);
    // a loop that never ends stops on fuel long before its time limit, and the pool serves on
    const loop = await h.register(paths.loop!);
    const spun = await h.engine.execute(
      rawRunRequest(loop.digest, "x", { fuelLimit: 1_000_000n, timeLimitSeconds: 300 }),
    );
    expect(spun.ok ? undefined : spun.error.code).toBe("WAVS_ERR_EXEC_FUEL");
    expect(spun.fuelUsed).toBeGreaterThan(1_000_000);
    expect((await h.engine.execute(rawRunRequest(echo.digest, "after"))).ok).toBe(true);
  });

  it("the operator's max_wasm_fuel caps what a component asks for", async () => {
    const capped = await startEngine({ maxFuel: 1_000n });
    try {
      const loop = await capped.register(paths.loop!);
      const out = await capped.engine.execute(
        rawRunRequest(loop.digest, "x", { fuelLimit: 10n ** 12n, timeLimitSeconds: 300 }),
      );
      expect(out.ok ? undefined : out.error.message).toBe(
        "Out of fuel: the component used its fuel limit of 1000 and was stopped",
      );
    } finally {
      await capped.close();
    }
  });

  it("stops a tight loop at the time limit and the pool recovers", async () => {
    const loop = await h.register(paths.loop!);
    const echo = await h.register(paths.echo!);
    const started = Date.now();
    const out = await h.engine.execute(rawRunRequest(loop.digest, "x", { timeLimitSeconds: 1 }));
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error.code).toBe("WAVS_ERR_EXEC_TIMEOUT");
    expect(Date.now() - started).toBeLessThan(10_000);
    const after = await h.engine.execute(rawRunRequest(echo.digest, "still alive"));
    expect(after.ok).toBe(true);
  });

  it("reports a trap as a failed execution", async () => {
    const { digest } = await h.register(paths.trap!);
    const out = await h.engine.execute(rawRunRequest(digest, "x"));
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.error.code).toBe("WAVS_ERR_EXEC_TRAP");
      expect(out.error.message).toMatch(/unreachable/);
    }
  });

  it("enforces the memory limit", async () => {
    const { digest } = await h.register(paths["memory-bomb"]!);
    const out = await h.engine.execute(rawRunRequest(digest, "x"));
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error.code).toBe("WAVS_ERR_EXEC_MEMORY");
  });

  it("fails a garbage result without harming the next execution", async () => {
    const { digest } = await h.register(paths.garbage!);
    const out = await h.engine.execute(rawRunRequest(digest, "x"));
    expect(out.ok).toBe(false);
    const echo = await h.register(paths.echo!);
    expect((await h.engine.execute(rawRunRequest(echo.digest, "ok"))).ok).toBe(true);
  });

  it.each([
    ["empty file", new Uint8Array(), /empty/],
    ["text", new TextEncoder().encode("hello, not wasm"), /not WebAssembly/],
    [
      "core module",
      new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]),
      /core WebAssembly module, not a component/,
    ],
  ])("refuses %s with a clear error and caches nothing", async (_name, bytes, message) => {
    const err = await h.engine.register(bytes).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WavsError);
    expect((err as WavsError).code).toBe("WAVS_ERR_COMPONENT_INVALID");
    expect((err as WavsError).message).toMatch(message);
  });

  it("refuses a truncated component and caches nothing", async () => {
    const bytes = readFileSync(paths.echo!);
    const truncated = bytes.subarray(0, Math.floor(bytes.length / 2));
    const err = await h.engine.register(truncated).catch((e: unknown) => e);
    expect((err as WavsError).code).toBe("WAVS_ERR_COMPONENT_INVALID");
    const { createHash } = await import("node:crypto");
    expect(h.engine.lookup(createHash("sha256").update(truncated).digest("hex"))).toBeUndefined();
  });

  it("refuses to run an unknown digest", async () => {
    await expect(h.engine.execute(rawRunRequest("00".repeat(32), "x"))).rejects.toMatchObject({
      code: "WAVS_ERR_COMPONENT_NOT_FOUND",
    });
  });
});

describe("response rules", () => {
  const r = (salt?: number[]) => ({
    payload: new Uint8Array([1]),
    ordering: undefined,
    eventIdSalt: salt ? new Uint8Array(salt) : undefined,
  });
  it("requires a salt on every response when there are several", () => {
    expect(() => validateResponses([r([1]), r()], 100)).toThrow(
      /^When returning multiple responses, they must all have an event id salt: .*response\(s\) 1 carry no event-id-salt/,
    );
    expect(validateResponses([r([1]), r([2])], 100)).toHaveLength(2);
    expect(validateResponses([r()], 100)).toHaveLength(1);
  });
  it("caps the payload size", () => {
    expect(() => validateResponses([{ payload: new Uint8Array(101) }], 100)).toThrow(
      /101 bytes; the limit is 100/,
    );
  });
});
