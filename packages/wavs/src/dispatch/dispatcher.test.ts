import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { watFixture } from "../../test/helpers/wat-fixture.js";
import { Engine } from "../engine/engine.js";
import { encodeTriggerDataForEventId, eventId, serviceId as serviceIdOf } from "../ids/index.js";
import { silentLogger } from "../internal/logger.js";
import { bytesToHex, defaultExecService, type Service, type Workflow } from "../service/index.js";
import { type Db, openDatabase } from "../store/database.js";
import { ExecutionStore } from "../store/execution-store.js";
import { Dispatcher, type DispatcherDeps } from "./dispatcher.js";

const raw = (s: string) => ({ type: "raw" as const, data: new TextEncoder().encode(s) });

describe("Dispatcher", () => {
  let dir: string;
  let db: Db;
  let engine: Engine;
  let service: Service;
  let sid: string;
  const submitted: { eventId: string; payload: string; executionId: number }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "wavs-dispatch-"));
    db = openDatabase(join(dir, "wavs.db"));
    engine = new Engine({ dataDir: dir, logger: silentLogger(), poolSize: 2 });
    const { digest } = await engine.register(readFileSync(await watFixture("echo")));
    service = defaultExecService(digest);
    // a second workflow that submits to an aggregator
    const base = service.workflows.get("default")!;
    const aggregated: Workflow = {
      ...base,
      submit: {
        type: "aggregator",
        component: base.component,
        signature_kind: { algorithm: "secp256k1", prefix: "eip191" },
      } as Workflow["submit"],
    };
    service.workflows.set("signed", aggregated);
    sid = serviceIdOf(service.manager);
  });
  afterAll(async () => {
    await engine.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function deps(overrides: Partial<DispatcherDeps> = {}): DispatcherDeps {
    return {
      engine,
      executions: new ExecutionStore(db),
      logger: silentLogger(),
      resolve: (s, w) =>
        s === sid && service.workflows.has(w)
          ? { service, workflow: service.workflows.get(w)! }
          : undefined,
      submit: async (a) => {
        submitted.push({
          eventId: bytesToHex(a.eventId),
          payload: new TextDecoder().decode(a.response.payload),
          executionId: a.executionId,
        });
      },
      ...overrides,
    };
  }
  const limits = {
    maxPending: 100,
    perServiceConcurrency: 4,
    concurrency: 8,
    maxPayloadBytes: 1 << 20,
  };
  const event = (workflowId: string, text: string) => ({
    serviceId: sid,
    workflowId,
    trigger: service.workflows.get(workflowId)!.trigger,
    data: raw(text),
  });

  it("records executions, drops a replayed trigger and signs aggregator workflows' responses", async () => {
    const d = new Dispatcher(deps(), limits);
    d.start();
    const first = await d.enqueue(event("default", "one"));
    expect(first).toBeTypeOf("number");
    expect(await d.enqueue(event("default", "one"))).toBeUndefined();
    const row = await d.waitFor(first!);
    expect(row.status).toBe("succeeded");
    expect(row.responses[0]?.payload_hex).toBe(bytesToHex(new TextEncoder().encode("one")));
    // the fuel the run used is kept with the execution
    expect(row.fuel_used).toBeGreaterThan(0);
    expect(submitted).toHaveLength(0);

    const signed = await d.enqueue(event("signed", "two"));
    await d.waitFor(signed!);
    expect(submitted).toEqual([
      {
        eventId: bytesToHex(eventId(sid, "signed", encodeTriggerDataForEventId(raw("two")))),
        payload: "two",
        executionId: signed,
      },
    ]);
    await d.stop();
  });

  it("records a failure for a workflow that is gone", async () => {
    const d = new Dispatcher(deps({ resolve: () => undefined }), limits);
    const id = await d.enqueue(event("default", "orphan"));
    const row = await d.waitFor(id!);
    expect([row.status, row.error_code]).toEqual(["failed", "WAVS_ERR_SERVICE_NOT_FOUND"]);
    await d.stop();
  });

  it("makes enqueue wait when too many executions are pending (backpressure)", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const d = new Dispatcher(
      deps({
        resolve: (s, w) =>
          s === sid ? { service, workflow: service.workflows.get(w)! } : undefined,
        submit: () => gate,
      }),
      { ...limits, maxPending: 1 },
    );
    const a = await d.enqueue(event("signed", "bp-1"));
    let secondDone = false;
    const second = d.enqueue(event("signed", "bp-2")).then((id) => {
      secondDone = true;
      return id;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(secondDone).toBe(false);
    release();
    await d.waitFor(a!);
    expect(await second).toBeTypeOf("number");
    await d.stop();
  });

  it("records an execution that starts at once as running; one that waits as queued until it starts", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const store = new ExecutionStore(db);
    const d = new Dispatcher(deps({ submit: () => gate }), { ...limits, concurrency: 1 });
    const first = (await d.enqueue(event("signed", "at-once")))!;
    // written running, its attempt counted, before the engine has even been asked
    expect(store.get(first)).toMatchObject({ status: "running", attempts: 1 });
    expect(store.get(first)?.started_at).toBeTypeOf("number");
    const second = (await d.enqueue(event("signed", "behind")))!;
    expect(store.get(second)).toMatchObject({ status: "queued", attempts: 0, started_at: null });
    release();
    expect(await d.waitFor(first)).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(await d.waitFor(second)).toMatchObject({ status: "succeeded", attempts: 1 });
    await d.stop();
  });

  it("runs executions left unfinished by a previous process", async () => {
    const store = new ExecutionStore(db);
    const id = store.enqueue({
      serviceId: sid,
      workflowId: "default",
      triggerKey: "left-over",
      eventId: `0x${"01".repeat(20)}`,
      triggerType: "raw",
      triggerData: { raw: bytesToHex(new TextEncoder().encode("resumed")) },
    })!;
    store.markRunning(id);
    const d = new Dispatcher(deps(), limits);
    d.start();
    const row = await d.waitFor(id);
    expect(row.status).toBe("succeeded");
    expect(row.attempts).toBe(2);
    expect(row.responses[0]?.payload_hex).toBe(bytesToHex(new TextEncoder().encode("resumed")));
    await d.stop();
  });
});
