import { existsSync } from "node:fs";
import { buildFixture } from "@wavs-ts/sdk";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { startEngine } from "../../test/helpers/engine-harness.js";
import { firstPayloadText, serviceRunRequest } from "../../test/helpers/service-request.js";
import { waitUntil } from "../../test/helpers/wait-until.js";
import { createLogger, LogBuffer } from "../internal/index.js";

/** An engine whose debug lines are kept, for the workers' warm-up reports. */
async function engineWithLog(options: { meterFuel?: boolean } = {}) {
  const buffer = new LogBuffer();
  const logger = createLogger({ level: "debug", stderr: false, buffer });
  const h = await startEngine({ logger, poolSize: 1, ...options });
  closers.push(h.close);
  /** The warm-up reports of `digest`, once every load asked for ahead of use is done. */
  const warmUps = async (digest: string): Promise<Record<string, unknown>[]> => {
    await waitUntil(
      () => (h.engine.status().warming === 0 ? true : undefined),
      "components loaded ahead of use",
    );
    return buffer
      .recent({}, 1000)
      .map((e) => e.line as Record<string, unknown>)
      .filter((l) => l.msg === "component loaded ahead of use" && l.digest === digest);
  };
  return {
    ...h,
    /** Register a fixture; its digest and its (single) warm-up report. */
    async registerFixture(name: string) {
      const { digest } = await h.register(await buildFixture(name));
      const [report] = await warmUps(digest);
      return { digest, report };
    },
    /** Run the component once; its first payload as text. */
    async run(digest: string, config?: Record<string, string>): Promise<string> {
      const out = await h.engine.execute(serviceRunRequest(digest, config ? { config } : {}));
      if (!out.ok) throw out.error;
      return firstPayloadText(out.value);
    },
  };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe("warm-up call of a component loaded ahead of use", () => {
  it("runs a TypeScript component once when it is registered, and its first execution starts from a fresh state", async () => {
    const h = await engineWithLog();
    const { digest, report } = await h.registerFixture("global-counter");
    expect(report).toMatchObject({ ran: true, returned: true });
    expect(report?.ms).toBeGreaterThan(0);
    // the warm-up's run counted too, in the instance it was restored from
    expect(await h.run(digest)).toBe("1:1");
  });

  it("leaves nothing in the key-value store: the store is refused to the call", async () => {
    const h = await engineWithLog();
    const { digest, report } = await h.registerFixture("kv-counter");
    expect(report).toMatchObject({ ran: true });
    /** Rows of every key-value table; the worker opens the database at the first real use. */
    const kvRows = (): number => {
      const path = `${h.dataDir}/wavs.db`;
      if (!existsSync(path)) return 0;
      const db = new Database(path, { readonly: true });
      try {
        const tables = db
          .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'kv_%'")
          .all() as { name: string }[];
        let rows = 0;
        for (const { name } of tables)
          rows += (db.prepare(`SELECT COUNT(*) AS n FROM ${name}`).get() as { n: number }).n;
        return rows;
      } finally {
        db.close();
      }
    };
    expect(kvRows()).toBe(0);
    expect(await h.run(digest)).toBe("1");
    // the real run wrote where the warm-up was refused
    expect(kvRows()).toBeGreaterThan(0);
  });

  it("refuses sleeping: the call traps instead, and the component still sleeps in its real runs", async () => {
    const h = await engineWithLog();
    const { digest, report } = await h.registerFixture("sleeper");
    expect(report).toMatchObject({ ran: true, returned: false });
    const t0 = Date.now();
    await h.run(digest, { ms: "300" });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
  });

  it("is skipped for code that is not fuel-metered: nothing would bound it", async () => {
    const h = await engineWithLog({ meterFuel: false });
    const { report } = await h.registerFixture("echo");
    expect(report).toMatchObject({ ran: false, why: expect.stringMatching(/not metered/) });
  });
});
