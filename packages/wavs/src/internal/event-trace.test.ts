import { afterEach, describe, expect, it } from "vitest";
import {
  startTelemetryReceiver,
  type TelemetryReceiver,
} from "../../test/helpers/telemetry-receiver.js";
import { waitUntil } from "../../test/helpers/wait-until.js";
import { createEventTrace, eventTraceIds, NO_TRACE, parseTraceparent } from "./event-trace.js";
import { silentLogger } from "./logger.js";

const EVENT = `0x${"ab".repeat(20)}`;

let receiver: TelemetryReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe("event traces", () => {
  it("derives the same ids from an event id on every node, in any case, and different ones per event", () => {
    const ids = eventTraceIds(EVENT);
    expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(ids.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(eventTraceIds(EVENT.toUpperCase().replace("0X", "0x"))).toEqual(ids);
    expect(eventTraceIds(`0x${"cd".repeat(20)}`).traceId).not.toBe(ids.traceId);
  });

  it("reads W3C traceparents and refuses anything else from a peer", () => {
    const tp = `00-${"a1".repeat(16)}-${"2".repeat(16)}-01`;
    expect(parseTraceparent(tp)).toEqual({
      traceId: "a1".repeat(16),
      spanId: "2".repeat(16),
      flags: 1,
    });
    for (const bad of [
      undefined,
      42,
      "",
      `00-${"0".repeat(32)}-${"2".repeat(16)}-01`,
      `01-${"1".repeat(32)}-${"2".repeat(16)}-01`,
      `${tp}x`,
      tp.toUpperCase(),
    ]) {
      expect(parseTraceparent(bad), String(bad)).toBeUndefined();
    }
  });

  it("a node without an endpoint records nothing", () => {
    expect(NO_TRACE.enabled).toBe(false);
    expect(NO_TRACE.record("wavs.sign", EVENT, 1, 2)).toBeUndefined();
    expect(NO_TRACE.carrier(EVENT)).toBeUndefined();
  });

  it("exports spans over OTLP/HTTP under the event's trace, with attributes, links, errors and the signing span as carrier", async () => {
    receiver = await startTelemetryReceiver();
    const trace = await createEventTrace({
      endpoint: `${receiver.url}/`,
      instance: "operator-1",
      version: "9.9.9",
      logger: silentLogger(),
      batchDelayMs: 50,
    });
    expect(trace.enabled).toBe(true);
    const t0 = 1_800_000_000_000;
    trace.record("wavs.execute", EVENT, t0, t0 + 12, {
      "wavs.fuel_used": 1234,
      error: "WAVS_ERR_EXEC_TRAP",
      skipped: undefined,
    });
    const signing = trace.record("wavs.sign", EVENT, t0 + 12, t0 + 13);
    expect(trace.carrier(EVENT)).toBe(signing);
    const peer = `00-${"1".repeat(32)}-${"2".repeat(16)}-01`;
    trace.record("wavs.gossip.receive", EVENT, t0 + 20, t0 + 21, {}, peer);
    trace.record("wavs.gossip.receive", EVENT, t0 + 22, t0 + 23, {}, "garbage");
    await trace.stop();
    const spans = await waitUntil(
      () => (receiver!.spans.length === 4 ? receiver!.spans : undefined),
      "4 spans",
    );
    const ids = eventTraceIds(EVENT);
    for (const s of spans) {
      expect(s.traceId).toBe(ids.traceId);
      expect(s.parentSpanId).toBe(ids.spanId);
      expect(s.instance).toBe("operator-1");
      expect(s.attributes["wavs.event_id"]).toBe(EVENT);
    }
    const execute = spans.find((s) => s.name === "wavs.execute")!;
    expect([execute.startMs, execute.endMs]).toEqual([t0, t0 + 12]);
    expect(execute.attributes["wavs.fuel_used"]).toBe(1234);
    expect("skipped" in execute.attributes).toBe(false);
    const sign = spans.find((s) => s.name === "wavs.sign")!;
    expect(signing).toBe(`00-${sign.traceId}-${sign.spanId}-01`);
    const receives = spans.filter((s) => s.name === "wavs.gossip.receive");
    expect(receives.map((r) => r.links)).toEqual([
      [{ traceId: "1".repeat(32), spanId: "2".repeat(16) }],
      [],
    ]);
  });
});
