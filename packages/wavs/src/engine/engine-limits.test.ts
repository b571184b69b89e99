import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildFixture, buildWatComponent } from "@wavs-ts/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine } from "../../test/helpers/engine-harness.js";
import { firstPayloadText, serviceRunRequest } from "../../test/helpers/service-request.js";
import { watFixture } from "../../test/helpers/wat-fixture.js";
import { largeEchoWat } from "../bench/large-echo-wat.js";
import { rawRunRequest } from "./raw-run-request.js";
import { validateResponses } from "./responses.js";

describe("the time limit counts the component's run, not its loading", () => {
  it("a cold 3 MB compiled component under a 300 ms limit runs; a loop under it is stopped", async () => {
    // loading it (rewriting ~3 MB of code, compiling it) in a fresh worker takes far longer
    // than 300 ms; running it takes microseconds
    const dir = mkdtempSync(join(tmpdir(), "wavs-limits-"));
    const h = await startEngine({ maxExecutionSeconds: 0.3 });
    try {
      const wat = join(dir, "large.wat");
      writeFileSync(wat, largeEchoWat(20_000));
      await buildWatComponent({ wat, out: join(dir, "large.wasm") });
      const large = (await h.register(join(dir, "large.wasm"))).digest;
      const out = await h.engine.execute(rawRunRequest(large, "hi"));
      expect(out.ok ? firstPayloadText(out.value) : out.error.message).toBe("hi");
      const loop = (await h.register(await watFixture("loop"))).digest;
      const stopped = await h.engine.execute(rawRunRequest(loop, "x"));
      expect(stopped.ok ? undefined : stopped.error.message).toMatch(
        /^Time limit exceeded: .*time limit of 300 ms/,
      );
    } finally {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("engine limits with TypeScript components", () => {
  let h: Awaited<ReturnType<typeof startEngine>>;
  const digests: Record<string, string> = {};

  beforeAll(async () => {
    h = await startEngine({ maxMemoryMb: 128, maxExecutionSeconds: 2 });
    for (const name of ["infinite-loop", "memory-bomb", "huge-output", "echo"]) {
      digests[name] = (await h.register(await buildFixture(name))).digest;
    }
  }, 600_000);
  afterAll(async () => {
    await h?.close();
  });

  async function echoStillWorks(): Promise<void> {
    const out = await h.engine.execute(serviceRunRequest(digests.echo!));
    expect(out.ok && firstPayloadText(out.value)).toBe("hi");
  }

  it("stops a looping component at the operator's cap even when it asks for more time", async () => {
    const out = await h.engine.execute(
      serviceRunRequest(digests["infinite-loop"]!, { timeLimitSeconds: 3600 }),
    );
    expect(out.ok ? undefined : out.error.code).toBe("WAVS_ERR_EXEC_TIMEOUT");
    expect(out.ok ? undefined : out.error.message).toMatch(
      /^Time limit exceeded: .*time limit of 2000 ms/,
    );
    await echoStillWorks();
  });

  it("stops a memory bomb at the memory limit", async () => {
    const out = await h.engine.execute(serviceRunRequest(digests["memory-bomb"]!));
    expect(out.ok).toBe(false);
    expect(out.ok ? undefined : out.error.code).toBe("WAVS_ERR_EXEC_MEMORY");
    expect(out.ok ? undefined : out.error.message).toMatch(/memory limit of 131072 KiB/);
    await echoStillWorks();
  });

  it("refuses a payload over the response size limit", async () => {
    const out = await h.engine.execute(
      serviceRunRequest(digests["huge-output"]!, { config: { mb: "20" } }),
    );
    expect(out.ok).toBe(true);
    expect(() => validateResponses(out.ok ? out.value : undefined, 16 << 20)).toThrow(
      /payload is 20971520 bytes; the limit is 16777216/,
    );
    await echoStillWorks();
  });
});
