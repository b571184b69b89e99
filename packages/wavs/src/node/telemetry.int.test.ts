// A node in process (real anvil, real engine, a compiled component, real HTTP) configured with
// the reference's `jaeger` key and a Pushgateway: an execution's spans reach a real OTLP/HTTP
// receiver on loopback, and the metrics are pushed; the three-operator view of the same is in
// test/e2e/operator-console.test.ts.
import { type Anvil, startAnvil } from "@wavs-ts/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  registerService,
  startTestNode,
  type TestNode,
  uploadComponents,
} from "../../test/helpers/aggregator-harness.js";
import {
  startTelemetryReceiver,
  type TelemetryReceiver,
} from "../../test/helpers/telemetry-receiver.js";
import { waitUntil } from "../../test/helpers/wait-until.js";
import { watFixture } from "../../test/helpers/wat-fixture.js";
import { componentJson } from "../devnet/dev-services.js";
import { eventTraceIds } from "../internal/index.js";

describe("telemetry of a node (jaeger key, Pushgateway)", () => {
  let anvil: Anvil;
  let receiver: TelemetryReceiver;
  let t: TestNode;
  let serviceId = "";

  beforeAll(async () => {
    anvil = await startAnvil();
    receiver = await startTelemetryReceiver();
    t = await startTestNode({
      anvil,
      config: { jaeger: receiver.url, prometheus: receiver.url, prometheus_push_interval_ms: 200 },
    });
    const [echo] = await uploadComponents(t, [await watFixture("echo")]);
    ({ serviceId } = await registerService(t, "0x00000000000000000000000000000000000000ce", {
      default: { trigger: "manual", component: componentJson(echo!), submit: "none" },
    }));
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    await receiver?.close();
    await anvil?.stop();
  });

  it("exports the trigger, queue and execution spans of an event to the `jaeger` endpoint", async () => {
    const res = await fetch(`${t.url}/dev/triggers`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        service_id: serviceId,
        workflow_id: "default",
        data: { raw: "0x6869" },
        wait_for_completion: true,
      }),
    });
    expect(res.status).toBe(200);
    const list = (await (await fetch(`${t.url}/services/${serviceId}/executions`)).json()) as {
      executions: { event_id: string; duration_ms: number }[];
    };
    const eventId = list.executions[0]!.event_id;
    expect(eventId).toMatch(/^0x[0-9a-f]{40}$/);
    const { traceId } = eventTraceIds(eventId);
    const spans = await waitUntil(() => {
      const mine = receiver.spans.filter((s) => s.traceId === traceId);
      return mine.length >= 3 ? mine : undefined;
    }, "the event's spans");
    expect(spans.map((s) => s.name).sort()).toEqual([
      "wavs.dispatch",
      "wavs.execute",
      "wavs.trigger",
    ]);
    const execute = spans.find((s) => s.name === "wavs.execute")!;
    expect(execute.attributes).toMatchObject({
      "wavs.service_id": serviceId,
      "wavs.workflow_id": "default",
      "wavs.status": "succeeded",
    });
    const info = (await (await fetch(`${t.url}/info`)).json()) as { operator_address: string };
    expect(execute.instance).toBe(info.operator_address);
    // and the event's page reads it by the same event id
    const event = (await (await fetch(`${t.url}/events/${eventId}`)).json()) as {
      executions: unknown[];
    };
    expect(event.executions).toHaveLength(1);
  });

  it("pushes the metrics, the execution counted", async () => {
    const push = await waitUntil(
      () => receiver.pushes.find((p) => /^wavs_executions_total\{.*\} 1$/m.test(p.body)),
      "a push with the execution",
    );
    expect(push.method).toBe("PUT");
    expect(push.path).toMatch(/^\/metrics\/job\/wavs\/instance\/0x[0-9a-fA-F]{40}$/);
  });
});
