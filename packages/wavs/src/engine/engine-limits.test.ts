import { buildFixture } from "@wavs-ts/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine } from "../../test/helpers/engine-harness.js";
import { firstPayloadText, serviceRunRequest } from "../../test/helpers/service-request.js";
import { validateResponses } from "./responses.js";

describe("the time limit counts the component's run, not its loading", () => {
  it("a cold TypeScript component under a 100 ms limit runs; a loop under it is stopped", async () => {
    // loading a componentize-js component (~17 MB) in a fresh worker takes longer than 100 ms
    const h = await startEngine({ maxExecutionSeconds: 0.1 });
    try {
      const echo = (await h.register(await buildFixture("echo"))).digest;
      const out = await h.engine.execute(serviceRunRequest(echo));
      expect(out.ok && firstPayloadText(out.value)).toBe("hi");
      const loop = (await h.register(await buildFixture("infinite-loop"))).digest;
      const stopped = await h.engine.execute(serviceRunRequest(loop));
      expect(stopped.ok ? undefined : stopped.error.message).toMatch(
        /^Time limit exceeded: .*time limit of 100 ms/,
      );
    } finally {
      await h.close();
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
