import { describe, expect, it } from "vitest";
import { Metrics } from "./metrics.js";

describe("Metrics", () => {
  it("counts executions, durations, triggers, errors, queues and submissions", async () => {
    const m = new Metrics({ defaultMetrics: false });
    const labels = { serviceId: "s1", workflowId: "w1" };
    m.executionFinished({ ...labels, status: "succeeded", durationSeconds: 0.004, fuelUsed: 231 });
    m.executionFinished({ ...labels, status: "succeeded", durationSeconds: 2, fuelUsed: 1000 });
    m.executionFinished({ ...labels, status: "failed", durationSeconds: 0.5 });
    m.triggerFired({ ...labels, triggerType: "evm_contract_event" });
    m.error("WAVS_ERR_EXEC_TRAP");
    m.setQueueDepth("engine", 7);
    m.setQueueDepth("engine", 2);
    m.submission(labels);

    const text = await m.text();
    expect(text).toContain('wavs_execution_fuel_total{service_id="s1",workflow_id="w1"} 1231');
    expect(text).toContain(
      'wavs_executions_total{service_id="s1",workflow_id="w1",status="succeeded"} 2',
    );
    expect(text).toContain(
      'wavs_executions_total{service_id="s1",workflow_id="w1",status="failed"} 1',
    );
    expect(text).toContain(
      'wavs_execution_duration_seconds_count{service_id="s1",workflow_id="w1"} 3',
    );
    expect(text).toContain(
      'wavs_execution_duration_seconds_bucket{le="0.005",service_id="s1",workflow_id="w1"} 1',
    );
    expect(text).toContain(
      'wavs_triggers_fired_total{service_id="s1",workflow_id="w1",trigger_type="evm_contract_event"} 1',
    );
    expect(text).toContain('wavs_errors_total{code="WAVS_ERR_EXEC_TRAP"} 1');
    expect(text).toContain('wavs_queue_depth{queue="engine"} 2');
    expect(text).toContain('wavs_submissions_total{service_id="s1",workflow_id="w1"} 1');
    expect(m.contentType).toMatch(/^text\/plain/);
  });

  it("keeps separate counts per instance (no global registry)", async () => {
    const a = new Metrics({ defaultMetrics: false });
    const b = new Metrics({ defaultMetrics: false });
    a.error("WAVS_ERR_INTERNAL");
    expect(await a.text()).toContain('wavs_errors_total{code="WAVS_ERR_INTERNAL"} 1');
    expect(await b.text()).not.toContain('code="WAVS_ERR_INTERNAL"');
  });

  it("includes the default process metrics unless turned off", async () => {
    const withDefaults = await new Metrics().text();
    expect(withDefaults).toContain("process_cpu_user_seconds_total");
    expect(withDefaults).toContain("nodejs_eventloop_lag_seconds");
    expect(await new Metrics({ defaultMetrics: false }).text()).not.toContain("process_cpu");
  });
});
