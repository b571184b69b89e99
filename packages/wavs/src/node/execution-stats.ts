/** Executions per time bucket and per service, for the dashboard's charts (GET /stats/executions). */
import type { ExecutionStats } from "../http/index.js";
import type { ExecutionStore } from "../store/index.js";

/** Count the executions finished in the last `windowS` seconds in buckets of `bucketS`. */
export function executionStats(
  executions: Pick<ExecutionStore, "finishedBuckets">,
  windowS: number,
  bucketS: number,
  now: number,
): ExecutionStats {
  const bucketMs = bucketS * 1000;
  const last = Math.floor(now / bucketMs);
  const count = Math.max(1, Math.ceil(windowS / bucketS));
  const first = last - count + 1;
  const buckets = Array.from({ length: count }, (_, i) => ({
    t: (first + i) * bucketMs,
    succeeded: 0,
    failed: 0,
    ms: 0,
  }));
  const services = new Map<string, { succeeded: number; failed: number; ms: number }>();
  for (const row of executions.finishedBuckets(first * bucketMs, bucketMs)) {
    const bucket = buckets[row.bucket - first];
    if (bucket === undefined) continue; // finished "in the future": a clock step back
    bucket[row.status] += row.n;
    bucket.ms += row.ms ?? 0;
    let service = services.get(row.service_id);
    if (!service) {
      service = { succeeded: 0, failed: 0, ms: 0 };
      services.set(row.service_id, service);
    }
    service[row.status] += row.n;
    service.ms += row.ms ?? 0;
  }
  const avg = (c: { succeeded: number; failed: number; ms: number }) => {
    const n = c.succeeded + c.failed;
    return n === 0 ? null : Math.round((c.ms / n) * 100) / 100;
  };
  return {
    from: first * bucketMs,
    to: now,
    bucket_s: bucketS,
    buckets: buckets.map((b) => ({
      t: b.t,
      succeeded: b.succeeded,
      failed: b.failed,
      avg_ms: avg(b),
    })),
    services: [...services].map(([service_id, c]) => ({
      service_id,
      succeeded: c.succeeded,
      failed: c.failed,
      avg_ms: avg(c),
    })),
  };
}
