/**
 * `npm run bench:dashboard`: how long each dashboard page takes to show its data in a real
 * Chromium, with 10,000 real executions stored (a compiled echo component fired by dev
 * triggers on an in-process node with a real anvil). Each page is loaded cold (new browser
 * context, empty cache) and warm, several times; the figure is the median from navigation to
 * the page marking itself ready (`data-ready`). Also the server time of the routes the pages
 * read. Ends with one JSON line: `{"bench":"dashboard","executions":N,"overview_ms":..,
 * "service_ms":..,"event_ms":..,"logs_ms":..,"max_ms":..}` (cold medians; target < 1,000).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startAnvil } from "@wavs-ts/contracts";
import { buildWatComponent } from "@wavs-ts/sdk";
import { loadConfig } from "../config/index.js";
import { createLogger, createProgress, LogBuffer } from "../internal/index.js";
import { createWavsNode } from "../node/index.js";
import { launchBrowser } from "./chromium.js";
import { median } from "./percentile.js";
import { uploadedComponent } from "./uploaded-component.js";

const repoRoot = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "..", "..");
const MNEMONIC = "test test test test test test test test test test test junk";
const TOKEN = "bench-token";
const EXECUTIONS = Number(process.env.BENCH_DASHBOARD_EXECUTIONS ?? 10_000);
const RUNS = 5;

async function main(): Promise<void> {
  const anvil = await startAnvil();
  const home = mkdtempSync(join(tmpdir(), "wavs-bench-dashboard-"));
  writeFileSync(
    join(home, "wavs.toml"),
    `[default]
data = "${join(home, "data")}"
signing_mnemonic = "${MNEMONIC}"
dev_endpoints_enabled = true
bearer_token = "${TOKEN}"
port = 0
log_level = "info"

[default.chains.evm.31337]
ws_endpoints = ["${anvil.rpcUrl.replace("http", "ws")}"]
http_endpoint = "${anvil.rpcUrl}"
`,
  );
  const { config } = loadConfig({ section: "wavs", home });
  // the node keeps its log in memory for the logs page, as `wavs node` does; not on stderr
  const logs = new LogBuffer();
  const node = createWavsNode({
    config,
    logger: createLogger({ level: "info", stderr: false, buffer: logs }),
    logs,
    version: "bench",
  });
  try {
    const { url } = await node.start();
    const watPath = join(home, "echo.wasm");
    await buildWatComponent({
      wat: join(repoRoot, "packages/wavs/test/fixtures/wat/echo.wat"),
      out: watPath,
    });
    const echo = await node.parts.engine.register(readFileSync(watPath));
    const { serviceId } = await node.parts.registry.addDirect({
      name: "bench",
      status: "active",
      manager: {
        type: "evm",
        chain: "evm:31337",
        address: "0x00000000000000000000000000000000000000be",
      },
      workflows: new Map([
        [
          "default",
          {
            trigger: { type: "manual" },
            component: uploadedComponent(echo.digest),
            submit: { type: "none" },
          },
        ],
      ]),
    } as Parameters<typeof node.parts.registry.addDirect>[0]);

    const filled = performance.now();
    const progress = createProgress(process.stdout);
    for (let done = 0; done < EXECUTIONS; ) {
      const count = Math.min(1000, EXECUTIONS - done);
      const res = await fetch(`${url}/dev/triggers`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({
          service_id: serviceId,
          workflow_id: "default",
          data: { raw: `0x${Buffer.from(`run ${done}`).toString("hex")}` },
          count,
          wait_for_completion: true,
        }),
      });
      if (!res.ok) throw new Error(`POST /dev/triggers: ${res.status} ${await res.text()}`);
      done += count;
      progress.update(
        `executions stored: ${done.toLocaleString()} / ${EXECUTIONS.toLocaleString()}`,
      );
    }
    progress.done(
      `${EXECUTIONS.toLocaleString()} executions in ${((performance.now() - filled) / 1000).toFixed(1)} s`,
    );
    const latest = (await (
      await fetch(`${url}/services/${serviceId}/executions?limit=1`)
    ).json()) as {
      executions: { event_id: string }[];
    };
    const eventId = latest.executions[0]!.event_id;

    // server time of what the pages read
    const routes = [
      "/info",
      "/chains",
      "/services",
      "/stats/executions?window_s=900&bucket_s=15",
      `/services/${serviceId}/executions?limit=50`,
      `/services/${serviceId}/aggregations?limit=20`,
      `/events/${eventId}`,
      "/dev/logs?limit=100",
    ];
    for (const route of routes) {
      const times: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t = performance.now();
        await (await fetch(`${url}${route}`)).arrayBuffer();
        times.push(performance.now() - t);
      }
      console.log(`  GET ${route.padEnd(60)} ${median(times).toFixed(2)} ms`);
    }

    const pages = [
      { name: "overview", hash: "#/" },
      { name: "service", hash: `#/services/${serviceId}` },
      { name: "event", hash: `#/events/${eventId}` },
      { name: "logs", hash: "#/logs" },
    ];
    const browser = await launchBrowser();
    const figures: Record<string, number> = {};
    try {
      for (const { name, hash } of pages) {
        const cold: number[] = [];
        const warm: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const context = await browser.browser.newContext({
            viewport: { width: 1400, height: 1000 },
          });
          const page = await context.newPage();
          for (const into of [cold, warm]) {
            const t = performance.now();
            await page.goto(`${url}/${hash}`);
            await page.locator(`[data-ready="${name}"]`).waitFor({ timeout: 30_000 });
            into.push(performance.now() - t);
            await page.goto("about:blank");
          }
          await context.close();
        }
        figures[`${name}_ms`] = Math.round(median(cold));
        console.log(
          `page ${name.padEnd(9)} cold ${median(cold).toFixed(0)} ms, warm ${median(warm).toFixed(0)} ms (median of ${RUNS})`,
        );
      }
    } finally {
      await browser.close();
    }
    const max = Math.max(...Object.values(figures));
    console.log(`slowest page: ${max} ms (target < 1,000 ms)`);
    console.log(
      JSON.stringify({ bench: "dashboard", executions: EXECUTIONS, ...figures, max_ms: max }),
    );
  } finally {
    await node.stop();
    await anvil.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
