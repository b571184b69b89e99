import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { componentWit } from "@bytecodealliance/jco";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildComponent } from "./build-component.js";
import { ComponentBuildError } from "./component-build-error.js";
import { buildFixture, fixtureCacheDir, fixtureEntry } from "./fixtures.js";

// Count real componentize-js runs, so the cache test can prove a hit does not build.
const componentizeCalls = vi.hoisted(() => ({ count: 0 }));
vi.mock("@bytecodealliance/componentize-js", async (importOriginal) => {
  const mod = await importOriginal<typeof import("@bytecodealliance/componentize-js")>();
  return {
    ...mod,
    componentize: (...args: Parameters<typeof mod.componentize>) => {
      componentizeCalls.count++;
      return mod.componentize(...args);
    },
  };
});

const BUILD_TIMEOUT = 240_000;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "wavs-sdk-build-test-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("buildComponent", () => {
  it(
    "builds the echo example into an operator component exporting run and importing host, then serves it from the cache",
    async () => {
      const entry = fixtureEntry("echo")!;
      const progress: string[] = [];
      const first = await buildComponent({
        entry,
        out: join(work, "echo.wasm"),
        cacheDir: fixtureCacheDir(),
        onProgress: (m) => progress.push(m),
      });
      const bytes = await readFile(join(work, "echo.wasm"));
      expect(first.bytes).toBe(bytes.length);
      expect(first.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(progress[0]).toMatch(/^bundling .*echo/);

      const wit = await componentWit(bytes);
      expect(wit).toMatch(
        /export run: func\(trigger-action: trigger-action\) -> result<list<wasm-response>, string>;/,
      );
      expect(wit).toMatch(/import host: interface \{/);
      expect(wit).toMatch(/get-event-id: func\(salt: option<list<u8>>\) -> event-id;/);
      expect(wit).toMatch(/import wasi:keyvalue\/store@0\.2\.0-draft2;/);

      const before = componentizeCalls.count;
      const again = await buildComponent({
        entry,
        out: join(work, "echo-again.wasm"),
        cacheDir: fixtureCacheDir(),
      });
      expect(again).toEqual({ digest: first.digest, bytes: first.bytes, cached: true });
      expect(componentizeCalls.count).toBe(before);
      // Buffer.equals, not toEqual: deep-equality on 17 MB arrays exhausts the heap.
      expect(bytes.equals(await readFile(join(work, "echo-again.wasm")))).toBe(true);
    },
    BUILD_TIMEOUT,
  );

  it("reports a syntax error with file:line and does not componentize", async () => {
    const entry = join(work, "broken.ts");
    await writeFile(entry, "export function run() {\n  return [;\n}\n");
    const before = componentizeCalls.count;
    const err = await buildComponent({
      entry,
      out: join(work, "broken.wasm"),
      cacheDir: join(work, "cache"),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ComponentBuildError);
    const e = err as ComponentBuildError;
    expect(e.code).toBe("WAVS_ERR_COMPONENT_BUILD");
    expect(e.message).toContain(`${entry}:2:`);
    expect(e.details).toMatchObject({ file: entry, line: 2 });
    expect(componentizeCalls.count).toBe(before);
  });

  it("names the missing exports of the world and suggests the other world", async () => {
    const entry = join(work, "agg-as-op.ts");
    await writeFile(entry, "export function processInput() { return []; }\n");
    const err = (await buildComponent({
      entry,
      out: join(work, "x.wasm"),
      cacheDir: join(work, "cache"),
    }).catch((e: unknown) => e)) as ComponentBuildError;
    expect(err).toBeInstanceOf(ComponentBuildError);
    expect(err.message).toContain(`component ${entry} does not export run`);
    expect(err.hint).toContain("--world aggregator");
    expect(err.details.missingExports).toEqual(["run"]);

    const err2 = (await buildComponent({
      entry,
      out: join(work, "x.wasm"),
      world: "aggregator",
      cacheDir: join(work, "cache"),
    }).catch((e: unknown) => e)) as ComponentBuildError;
    expect(err2.details.missingExports).toEqual(["handleTimerCallback", "handleSubmitCallback"]);
  });

  it("reports a missing entry and an unresolvable import clearly", async () => {
    const missing = join(work, "nope.ts");
    await expect(buildComponent({ entry: missing, out: join(work, "n.wasm") })).rejects.toThrow(
      `component entry ${missing} does not exist`,
    );
    const entry = join(work, "bad-import.ts");
    await writeFile(
      entry,
      'import { x } from "./not-there.js";\nexport function run() { return x; }\n',
    );
    await expect(
      buildComponent({ entry, out: join(work, "b.wasm"), cacheDir: join(work, "cache") }),
    ).rejects.toThrow(new RegExp(`${entry}:1:\\d+: Could not resolve "./not-there.js"`));
  });

  it(
    "wraps a componentize-js failure (top-level code throwing at build time) with the entry and a hint",
    async () => {
      const entry = join(work, "throws-at-init.ts");
      await writeFile(
        entry,
        'throw new Error("top-level boom");\nexport function run() { return []; }\n',
      );
      const err = (await buildComponent({
        entry,
        out: join(work, "t.wasm"),
        cacheDir: join(work, "cache"),
      }).catch((e: unknown) => e)) as ComponentBuildError;
      expect(err).toBeInstanceOf(ComponentBuildError);
      expect(err.message).toContain(`componentize-js failed for ${entry}`);
      expect(err.message).toContain("top-level boom");
      expect(err.hint).toMatch(/top-level code runs at build time/);
      await rm(join(err.details.bundlePath!, ".."), { recursive: true, force: true });
    },
    BUILD_TIMEOUT,
  );
});

describe("buildFixture", () => {
  it(
    "builds an aggregator example with the three aggregator exports",
    async () => {
      const path = await buildFixture("aggregator-simple");
      const wit = await componentWit(await readFile(path));
      expect(wit).toContain(
        "export process-input: func(input: aggregator-input) -> result<list<aggregator-action>, string>;",
      );
      expect(wit).toContain(
        "export handle-timer-callback: func(input: aggregator-input) -> result<list<aggregator-action>, string>;",
      );
      expect(wit).toContain(
        "export handle-submit-callback: func(input: aggregator-input, tx-result: result<any-tx-hash, string>) -> result<_, string>;",
      );
      expect(wit).toContain("get-event-id: func() -> event-id;");
      expect(wit).not.toContain("export run:");
    },
    BUILD_TIMEOUT,
  );

  it(
    "deduplicates concurrent calls and rejects unknown names",
    async () => {
      await expect(buildFixture("no-such-fixture")).rejects.toThrow(
        /no component fixture named "no-such-fixture"/,
      );
      const [a, b] = await Promise.all([
        buildFixture("aggregator-simple"),
        buildFixture("aggregator-simple"),
      ]);
      expect(a).toBe(b);
    },
    BUILD_TIMEOUT,
  );
});
