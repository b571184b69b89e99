/**
 * OpenTelemetry spans for the path of each event: trigger, dispatch, execution, signing,
 * gossip, quorum check, transaction, receipt. Exported over OTLP/HTTP (JSON) to
 * `<otlp_endpoint>/v1/traces` when `otlp_endpoint` (or the reference's `jaeger`) is set;
 * otherwise every call is a no-op and the OpenTelemetry modules are never loaded.
 *
 * Every operator derives an event's trace id from its event id, so the spans of all operators
 * (and of one operator across restarts) land in the same trace without coordination. Their
 * parent is a virtual span derived the same way. A signature travelling over gossip carries
 * the W3C traceparent of the sender's signing span; the receiver's span links to it.
 */
import { createHash } from "node:crypto";
import type { Logger } from "./logger.js";

/** The stages of an event's path, as span names. */
export type EventStage =
  | "wavs.trigger"
  | "wavs.dispatch"
  | "wavs.execute"
  | "wavs.sign"
  | "wavs.gossip.publish"
  | "wavs.gossip.receive"
  | "wavs.quorum.check"
  | "wavs.tx.send"
  | "wavs.tx.receipt"
  | "wavs.landed";

/** Span attribute values. */
export type TraceAttributes = Record<string, string | number | boolean | undefined>;

/** Where the node records its events' spans. */
export interface EventTrace {
  /** Whether spans go anywhere (callers skip building attributes when not). */
  readonly enabled: boolean;
  /**
   * Record one finished stage of an event (ms since the Unix epoch). `link` is a peer's
   * traceparent. Returns this span's traceparent (undefined when disabled).
   */
  record(
    stage: EventStage,
    eventId: string,
    startMs: number,
    endMs: number,
    attributes?: TraceAttributes,
    link?: string,
  ): string | undefined;
  /** The traceparent of this node's signing span of an event, to send along with gossip. */
  carrier(eventId: string): string | undefined;
  /** Send what is buffered and stop. */
  stop(): Promise<void>;
}

/** The trace of a node without a trace endpoint. */
export const NO_TRACE: EventTrace = {
  enabled: false,
  record: () => undefined,
  carrier: () => undefined,
  stop: async () => {},
};

/** The trace id and the virtual parent span id of an event (hex), the same on every operator. */
export function eventTraceIds(eventId: string): { traceId: string; spanId: string } {
  const h = createHash("sha256").update(`wavs-event:${eventId.toLowerCase()}`).digest("hex");
  return { traceId: h.slice(0, 32), spanId: h.slice(32, 48) };
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A W3C traceparent's ids, or undefined when it is not one (peers' input is untrusted). */
export function parseTraceparent(
  text: unknown,
): { traceId: string; spanId: string; flags: number } | undefined {
  if (typeof text !== "string") return undefined;
  const m = TRACEPARENT.exec(text);
  if (!m || /^0+$/.test(m[1]!) || /^0+$/.test(m[2]!)) return undefined;
  return { traceId: m[1]!, spanId: m[2]!, flags: Number.parseInt(m[3]!, 16) };
}

/** Where spans go: the collector's base URL (`/v1/traces` is appended) and who we are. */
export interface EventTraceOptions {
  endpoint: string;
  /** `service.instance.id` of the spans: tells the operators apart in one trace. */
  instance: string;
  version: string;
  logger: Logger;
  /** How long spans wait to be batched (ms). */
  batchDelayMs?: number;
}

/** Signing spans remembered for gossip, at most this many events. */
const CARRIERS = 4096;

/** Start exporting spans (loads OpenTelemetry only now). */
export async function createEventTrace(options: EventTraceOptions): Promise<EventTrace> {
  const [api, sdk, exporterModule, resources] = await Promise.all([
    import("@opentelemetry/api"),
    import("@opentelemetry/sdk-trace"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
  ]);
  const url = `${options.endpoint.replace(/\/+$/, "")}/v1/traces`;
  // logs name the collector by host only: its URL may carry credentials
  const log = options.logger.child({ subsystem: "traces", collector: new URL(url).host });
  // a collector that does not answer must not hold up the node's stop for long
  const exporter = new exporterModule.OTLPTraceExporter({ url, timeoutMillis: 5_000 });
  let failing = false;
  // the exporter reports failures through OpenTelemetry's diag logger; one line per outage
  const watched = {
    export: (
      spans: Parameters<typeof exporter.export>[0],
      done: Parameters<typeof exporter.export>[1],
    ) =>
      exporter.export(spans, (result) => {
        const failed = result.code !== 0;
        if (failed && !failing) {
          log.warn(
            { err: String(result.error?.message ?? result.error) },
            "exporting traces failed",
          );
        } else if (!failed && failing) {
          log.info("exporting traces works again");
        }
        failing = failed;
        done(result);
      }),
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush(),
  };
  const provider = new sdk.TracerProvider({
    resource: resources.resourceFromAttributes({
      "service.name": "wavs",
      "service.version": options.version,
      "service.instance.id": options.instance,
    }),
    spanProcessors: [
      new sdk.BatchSpanProcessor({
        exporter: watched,
        scheduledDelayMillis: options.batchDelayMs ?? 1000,
        exportTimeoutMillis: 5_000,
        maxQueueSize: 8192,
        maxExportBatchSize: 512,
      }),
    ],
  });
  const tracer = provider.getTracer("wavs", options.version);
  const carriers = new Map<string, string>();
  const sampled = api.TraceFlags.SAMPLED;
  const traceparent = (c: { traceId: string; spanId: string }) => `00-${c.traceId}-${c.spanId}-01`;

  return {
    enabled: true,
    record(stage, eventId, startMs, endMs, attributes = {}, link) {
      const ids = eventTraceIds(eventId);
      const parent = api.trace.setSpanContext(api.ROOT_CONTEXT, {
        traceId: ids.traceId,
        spanId: ids.spanId,
        traceFlags: sampled,
        isRemote: true,
      });
      const linked = parseTraceparent(link);
      const attrs: Record<string, string | number | boolean> = { "wavs.event_id": eventId };
      for (const [k, v] of Object.entries(attributes)) if (v !== undefined) attrs[k] = v;
      const span = tracer.startSpan(
        stage,
        {
          startTime: startMs,
          attributes: attrs,
          kind:
            stage === "wavs.gossip.publish"
              ? api.SpanKind.PRODUCER
              : stage === "wavs.gossip.receive"
                ? api.SpanKind.CONSUMER
                : api.SpanKind.INTERNAL,
          links: linked
            ? [
                {
                  context: {
                    traceId: linked.traceId,
                    spanId: linked.spanId,
                    traceFlags: sampled,
                    isRemote: true,
                  },
                },
              ]
            : [],
        },
        parent,
      );
      if (attributes.error !== undefined)
        span.setStatus({ code: api.SpanStatusCode.ERROR, message: String(attributes.error) });
      span.end(Math.max(startMs, endMs));
      const own = traceparent(span.spanContext());
      if (stage === "wavs.sign") {
        carriers.delete(eventId);
        carriers.set(eventId, own);
        if (carriers.size > CARRIERS) carriers.delete(carriers.keys().next().value as string);
      }
      return own;
    },
    carrier: (eventId) => carriers.get(eventId),
    async stop() {
      await provider
        .shutdown()
        .catch((err: unknown) => log.warn({ err: String(err) }, "flushing traces failed"));
    },
  };
}

/** A trace whose destination is set later: the node's parts are built before the exporter loads. */
export function deferredTrace(): EventTrace & { use(target: EventTrace): void } {
  let target = NO_TRACE;
  return {
    get enabled() {
      return target.enabled;
    },
    record: (...args) => target.record(...args),
    carrier: (eventId) => target.carrier(eventId),
    stop: () => target.stop(),
    use(next) {
      target = next;
    },
  };
}
