/**
 * The operator console against a real three-operator network (real anvil, three `wavs node`
 * processes, P2P on loopback): every page in a real Chromium, the journey of a real event, live
 * logs, actions refused without the token; and the event's OpenTelemetry spans from all three
 * operators at a real OTLP/HTTP receiver, and metrics pushes at a Pushgateway stand-in.
 * Screenshots of each page go to .cache/screenshots/ (WAVS_UPDATE_SCREENSHOTS=1: docs/images/).
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildFixture } from "@wavs-ts/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type TestBrowser } from "../../src/bench/chromium.js";
import { eventTraceIds } from "../../src/internal/index.js";
import { componentDigest } from "../../src/service/index.js";
import { TOKEN } from "../helpers/node-network.js";
import { type OperatorNetwork, startOperatorNetwork } from "../helpers/operator-network.js";
import { startTelemetryReceiver, type TelemetryReceiver } from "../helpers/telemetry-receiver.js";
import { waitUntil } from "../helpers/wait-until.js";

const root = join(import.meta.dirname, "..", "..", "..", "..");
const shots =
  process.env.WAVS_UPDATE_SCREENSHOTS === "1"
    ? join(root, "docs", "images")
    : join(root, ".cache", "screenshots");

/** Every stage of an event's path, as span names. */
const STAGES = [
  "wavs.trigger",
  "wavs.dispatch",
  "wavs.execute",
  "wavs.sign",
  "wavs.gossip.publish",
  "wavs.gossip.receive",
  "wavs.quorum.check",
  "wavs.tx.send",
  "wavs.tx.receipt",
  "wavs.landed",
];

describe("operator console: dashboard, traces, metrics push (three real operators)", () => {
  let net: OperatorNetwork;
  let telemetry: TelemetryReceiver;
  let b: TestBrowser;
  let eventId: string;
  const url = (i: number) => `http://127.0.0.1:${net.ops[i]!.port}`;

  beforeAll(async () => {
    telemetry = await startTelemetryReceiver();
    net = await startOperatorNetwork({
      extraToml: (i, ports) => {
        const others = ports.filter((_, j) => j !== i).map((p) => `"http://127.0.0.1:${p}"`);
        return [
          `otlp_endpoint = "${telemetry.url}"`,
          `prometheus = "${telemetry.url}"`,
          "prometheus_push_interval_ms = 500",
          `dashboard_peers = [${others.join(", ")}]`,
          `cors_allowed_origins = [${others.join(", ")}]`,
        ].join("\n");
      },
    });
    // one real event through all three operators, landed on-chain
    const id = await net.trigger('{"x":6}');
    expect(await waitUntil(() => net.resultFor(id), "the result on-chain", 120_000)).toBe(
      '{"y":36}',
    );
    const records = await waitUntil(
      async () => {
        const all = await Promise.all([0, 1, 2].map((i) => net.aggregations(i)));
        return all.every((r) => r[0]?.status === "burned") ? all : undefined;
      },
      "every operator's record burned",
      120_000,
    );
    eventId = records[0]![0]!.event_id;
    b = await launchBrowser();
    mkdirSync(shots, { recursive: true });
  }, 600_000);

  afterAll(async () => {
    await b?.close();
    await net?.close();
    await telemetry?.close();
  });

  /** Each node's operator address (GET /info): how its spans and pushes are told apart. */
  async function operatorAddresses(): Promise<string[]> {
    return Promise.all(
      [0, 1, 2].map(
        async (i) =>
          ((await (await fetch(`${url(i)}/info`)).json()) as { operator_address: string })
            .operator_address,
      ),
    );
  }

  /** How many executions operator 0 has of the service. */
  async function executionCount(): Promise<number> {
    const res = await fetch(`${url(0)}/services/${net.serviceId}/executions?limit=1000`);
    return ((await res.json()) as { executions: unknown[] }).executions.length;
  }

  /** Open a page of operator 0's dashboard and wait until its data is on it. */
  async function open(hash: string, ready: string) {
    await b.page.goto(`${url(0)}/${hash}`);
    await b.page.locator(`[data-ready="${ready}"]`).waitFor({ timeout: 30_000 });
  }

  it("overview: version, every operator, the chain's head, services, peers, charts", async () => {
    await open("#/", "overview");
    const page = b.page;
    const info = (await (await fetch(`${url(0)}/info`)).json()) as { version: string };
    expect(await page.getByTestId("version").textContent()).toBe(info.version);
    // the network: this node and the two peers from dashboard_peers, each answering
    await expect.poll(() => page.getByTestId("operator-row").count(), { timeout: 15_000 }).toBe(3);
    expect(await page.getByTestId("peer-count").textContent()).toBe("2");
    const head = Number(await net.anvil.publicClient().getBlockNumber());
    const shown = Number(
      (await page.getByTestId("chain-head").first().textContent())?.replace(/,/g, ""),
    );
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThanOrEqual(head);
    expect(await page.getByTestId("service-row").count()).toBe(1);
    expect(
      Number(await page.getByTestId("service-executions").first().textContent()),
    ).toBeGreaterThanOrEqual(1);
    expect(Number(await page.getByTestId("exec-total").textContent())).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId("error-rate").textContent()).toBe("0.0 %");
    // both charts drew (uPlot renders to a canvas)
    expect(await page.locator('[data-testid="chart-rate"] canvas').count()).toBe(1);
    expect(await page.locator('[data-testid="chart-errors"] canvas').count()).toBe(1);
    await page.screenshot({ path: join(shots, "dashboard-overview.png"), fullPage: true });
  });

  it("a service: workflow with its component digest, executions with duration and fuel, aggregations", async () => {
    await open(`#/services/${net.serviceId}`, "service");
    const page = b.page;
    const service = (await (await fetch(`${url(0)}/services`)).json()) as {
      services: { workflows: Record<string, { component: { source: { digest: string } } }> }[];
    };
    const digest = service.services[0]!.workflows.default!.component.source.digest;
    expect(await page.getByTestId("component-digest").textContent()).toContain(digest);
    const executions = (await (
      await fetch(`${url(0)}/services/${net.serviceId}/executions?limit=50`)
    ).json()) as { executions: unknown[] };
    expect(await page.getByTestId("execution-row").count()).toBe(executions.executions.length);
    expect(await page.getByTestId("execution-duration").first().textContent()).toMatch(
      /\d+(\.\d+)? m?s$/,
    );
    expect(await page.getByTestId("aggregations").textContent()).toContain("burned");
    // all three operators, each known from its signatures and its presence; this node marked
    const operators = page.getByTestId("operators");
    for (const op of net.ops) expect(await operators.textContent()).toContain(op.signer);
    expect(await page.getByTestId("operator-row").count()).toBe(3);
    const own = page.getByTestId("operator-row").filter({ hasText: "(this node)" });
    expect(await own.count()).toBe(1);
    expect(await own.textContent()).toContain(net.ops[0]?.signer);
    await page.screenshot({ path: join(shots, "dashboard-service.png"), fullPage: true });
  });

  it("an event's journey: every step of all three operators, in order", async () => {
    await open(`#/services/${net.serviceId}`, "service");
    // reached by the link of the execution, as an operator would
    await b.page.getByTestId("event-link").first().click();
    await b.page.locator('[data-ready="event"]').waitFor();
    expect(await b.page.getByTestId("event-id").textContent()).toBe(eventId);
    const steps = b.page.getByTestId("step");
    await expect
      .poll(
        async () =>
          (await steps.evaluateAll((els) => els.map((e) => e.getAttribute("data-kind")))).join(" "),
        {
          timeout: 15_000,
        },
      )
      .toContain("tx-mined");
    const rows = await steps.evaluateAll((els) =>
      els.map((e) => ({
        kind: e.getAttribute("data-kind")!,
        who: e.querySelector(".who")!.textContent!,
      })),
    );
    const count = (kind: string) => rows.filter((r) => r.kind === kind).length;
    // each operator saw the trigger, ran the component and signed; signatures went over
    // gossip and quorum was reached (by the sender at least: an operator that hears of the
    // landing before its own quorum check has no need to reach quorum itself)
    expect(count("trigger")).toBe(3);
    expect(count("execution")).toBe(3);
    expect(count("signed")).toBe(3);
    expect(count("received")).toBeGreaterThanOrEqual(1);
    expect(count("quorum")).toBeGreaterThanOrEqual(1);
    expect(new Set(rows.map((r) => r.who)).size).toBe(3);
    // one transaction: sent and mined by one operator, seen landed by the two others
    expect(count("tx-sent")).toBe(1);
    expect(count("tx-mined")).toBe(1);
    expect(count("landed")).toBe(2);
    expect(count("disagreement")).toBe(0);
    // in order: the first of each kind comes after the first of the kind before it
    const first = (kind: string) => rows.findIndex((r) => r.kind === kind);
    const order = ["trigger", "execution", "signed", "received", "quorum", "tx-sent", "tx-mined"];
    for (let i = 1; i < order.length; i++) {
      expect(first(order[i]!), `${order[i]} after ${order[i - 1]}`).toBeGreaterThan(
        first(order[i - 1]!),
      );
    }
    // one envelope, signed by all three
    expect(await b.page.getByTestId("envelope").count()).toBe(1);
    expect((await b.page.getByTestId("envelope").textContent())?.toLowerCase()).toContain(
      net.ops[2]!.signer.toLowerCase(),
    );
    await b.page.screenshot({ path: join(shots, "dashboard-event.png"), fullPage: true });
  });

  it("live logs follow new lines as they come", async () => {
    await open("#/logs", "logs");
    const page = b.page;
    expect(await page.getByTestId("logs-state").textContent()).toBe("live");
    await page.getByTestId("log-line").first().waitFor();
    const before = await page.getByTestId("log-line").count();
    // a new event makes the node log (quorum, landing) while the page stays open
    const id = await net.trigger('{"x":7}');
    await waitUntil(() => net.resultFor(id), "the second result", 120_000);
    await expect
      .poll(() => page.getByTestId("log-line").count(), { timeout: 20_000 })
      .toBeGreaterThan(before);
    await expect
      .poll(() => page.getByTestId("log-lines").textContent(), { timeout: 20_000 })
      .toMatch(/quorum reached|result landed/);
    await page.screenshot({ path: join(shots, "dashboard-logs.png") });
  });

  it("an action without the token is refused in the page; with it, pause, resume, fire and upload are done", async () => {
    await open(`#/services/${net.serviceId}`, "service");
    const page = b.page;
    await page.getByTestId("toggle-status").click();
    const refused = page.getByTestId("action-refused");
    await refused.waitFor();
    expect(await refused.textContent()).toContain("WAVS_ERR_HTTP_UNAUTHORIZED");
    expect(await refused.textContent()).toContain("bearer token");
    // nothing changed on the node
    const status = async () =>
      ((await (await fetch(`${url(0)}/services`)).json()) as { services: { status: string }[] })
        .services[0]!.status;
    expect(await status()).toBe("active");
    // with the token: paused, and shown so
    await page.getByTestId("token-input").fill(TOKEN);
    await page.getByTestId("token-save").click();
    await page.getByTestId("toggle-status").click();
    await page.getByTestId("action-done").waitFor();
    expect(await status()).toBe("paused");
    await expect
      .poll(() => page.getByTestId("toggle-status").textContent(), { timeout: 10_000 })
      .toBe("resume");
    await page.getByTestId("toggle-status").click();
    await expect.poll(status, { timeout: 10_000 }).toBe("active");
    // fire a dev trigger from the page: the node runs it (a manual fire, raw input)
    const before = await executionCount();
    await page.getByTestId("fire-input").fill('{"x":8}');
    await page.getByTestId("fire").click();
    await page.getByTestId("action-done").filter({ hasText: "fire trigger" }).waitFor();
    await expect.poll(executionCount, { timeout: 20_000 }).toBe(before + 1);
    await expect
      .poll(() => page.getByTestId("execution-row").count(), { timeout: 10_000 })
      .toBe(before + 1);
    // upload a component from the page: the node answers its digest, shown in the page
    const wasm = await buildFixture("echo");
    await page.getByTestId("upload").setInputFiles(wasm);
    const digest = componentDigest(readFileSync(wasm));
    await expect
      .poll(() => page.getByTestId("uploaded-digest").textContent(), { timeout: 20_000 })
      .toBe(digest);
    // the token stays in the tab: it never reached the page's address or the node's logs
    expect(page.url()).not.toContain(TOKEN);
  });

  it("no JavaScript error on any page; the only failed response is the refused action", () => {
    expect(b.errors).toEqual([]);
    expect(b.failedResponses).toEqual([`401 POST /services/${net.serviceId}/status`]);
  });

  it("traces: every stage of the event from all three operators in one trace, gossip linked to the sender's signing span", async () => {
    const { traceId } = eventTraceIds(eventId);
    const spans = await waitUntil(
      () => {
        const mine = telemetry.spans.filter((s) => s.traceId === traceId);
        const names = new Set(mine.map((s) => s.name));
        return STAGES.every((n) => names.has(n)) &&
          mine.filter((s) => s.name === "wavs.landed").length === 3
          ? mine
          : undefined;
      },
      "every stage's span at the receiver",
      30_000,
    );
    const instances = new Set(spans.map((s) => s.instance));
    expect([...instances].sort()).toEqual([...(await operatorAddresses())].sort());
    for (const s of spans) {
      expect(s.attributes["wavs.event_id"]).toBe(eventId);
      // one virtual parent, the same on every operator
      expect(s.parentSpanId).toBe(eventTraceIds(eventId).spanId);
      expect(s.endMs).toBeGreaterThanOrEqual(s.startMs);
    }
    for (const stage of ["wavs.trigger", "wavs.dispatch", "wavs.execute", "wavs.sign"]) {
      expect(
        new Set(spans.filter((s) => s.name === stage).map((s) => s.instance)).size,
        stage,
      ).toBe(3);
    }
    const trigger = spans.find((s) => s.name === "wavs.trigger")!;
    expect(trigger.attributes["wavs.chain"]).toBe("evm:31337");
    expect(trigger.attributes["wavs.block_number"]).toBeGreaterThan(0);
    // a received signature links to the signing span of the operator that sent it
    const signs = spans.filter((s) => s.name === "wavs.sign");
    const receives = spans.filter((s) => s.name === "wavs.gossip.receive");
    expect(receives.length).toBeGreaterThanOrEqual(1);
    for (const r of receives) {
      expect(r.links).toHaveLength(1);
      const sender = signs.find((s) => s.spanId === r.links[0]!.spanId);
      expect(sender, "the linked signing span").toBeDefined();
      expect(sender!.instance).not.toBe(r.instance);
      expect(sender!.attributes["wavs.signer"]).toBe(r.attributes["wavs.signer"]);
    }
    // the path in time: trigger, execution, signature, quorum, transaction on each operator
    const sent = spans.find((s) => s.name === "wavs.tx.receipt")!;
    const at = (name: string) =>
      spans.find((s) => s.name === name && s.instance === sent.instance)!.startMs;
    expect(at("wavs.trigger")).toBeLessThanOrEqual(at("wavs.execute"));
    expect(at("wavs.execute")).toBeLessThanOrEqual(at("wavs.sign"));
    expect(at("wavs.sign")).toBeLessThanOrEqual(at("wavs.tx.send"));
    expect(sent.attributes["wavs.receipt_status"]).toBe("success");
  });

  it("metrics pushed to the Pushgateway by every operator, grouped by instance", async () => {
    const pushes = await waitUntil(
      () => {
        const paths = new Set(telemetry.pushes.map((p) => p.path));
        return paths.size >= 3 ? telemetry.pushes : undefined;
      },
      "a push from every operator",
      30_000,
    );
    for (const operator of await operatorAddresses()) {
      const mine = pushes.filter((p) => p.path === `/metrics/job/wavs/instance/${operator}`);
      expect(mine.length, operator).toBeGreaterThan(0);
      expect(mine[0]!.method).toBe("PUT");
      expect(mine.at(-1)!.body).toMatch(/^wavs_executions_total\{.*\} [1-9]/m);
    }
  });
});
