/**
 * A real OTLP/HTTP trace receiver and a Prometheus Pushgateway stand-in on 127.0.0.1: it decodes
 * the OTLP JSON the node's exporter posts to /v1/traces into flat spans, and keeps every
 * metrics push (PUT/POST /metrics/job/...) with its path and body.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One received span, flattened. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** `service.instance.id` of its resource: which operator sent it. */
  instance: string;
  startMs: number;
  endMs: number;
  attributes: Record<string, unknown>;
  links: { traceId: string; spanId: string }[];
}

/** One metrics push. */
export interface ReceivedPush {
  method: string;
  path: string;
  body: string;
}

/** The running receiver. */
export interface TelemetryReceiver {
  url: string;
  spans: ReceivedSpan[];
  pushes: ReceivedPush[];
  close(): Promise<void>;
}

type AnyValue = {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
};

/** OTLP/JSON writes ids as hex; a base64 encoder would be read the same way. */
function hexId(id: unknown): string {
  if (typeof id !== "string" || id === "") return "";
  return /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, "base64").toString("hex");
}

function value(v: AnyValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  return undefined;
}

function attributes(list: { key: string; value: AnyValue }[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((a) => [a.key, value(a.value)]));
}

const ms = (nanos: unknown) => Number(BigInt(String(nanos ?? 0)) / 1_000_000n);

/** Decode one OTLP/JSON ExportTraceServiceRequest. */
export function decodeOtlpJson(body: unknown): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  const request = body as {
    resourceSpans?: {
      resource?: { attributes?: { key: string; value: AnyValue }[] };
      scopeSpans?: { spans?: Record<string, unknown>[] }[];
    }[];
  };
  for (const rs of request.resourceSpans ?? []) {
    const resource = attributes(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          traceId: hexId(s.traceId),
          spanId: hexId(s.spanId),
          parentSpanId: hexId(s.parentSpanId),
          name: String(s.name),
          instance: String(resource["service.instance.id"] ?? ""),
          startMs: ms(s.startTimeUnixNano),
          endMs: ms(s.endTimeUnixNano),
          attributes: attributes(s.attributes as { key: string; value: AnyValue }[]),
          links: ((s.links as { traceId: string; spanId: string }[] | undefined) ?? []).map(
            (l) => ({
              traceId: hexId(l.traceId),
              spanId: hexId(l.spanId),
            }),
          ),
        });
      }
    }
  }
  return out;
}

/** Start the receiver on a free loopback port. */
export async function startTelemetryReceiver(): Promise<TelemetryReceiver> {
  const spans: ReceivedSpan[] = [];
  const pushes: ReceivedPush[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const path = req.url ?? "/";
      if (req.method === "POST" && path === "/v1/traces") {
        if (!String(req.headers["content-type"]).startsWith("application/json")) {
          res.writeHead(415).end();
          return;
        }
        spans.push(...decodeOtlpJson(JSON.parse(body)));
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
        return;
      }
      if ((req.method === "PUT" || req.method === "POST") && path.startsWith("/metrics/job/")) {
        pushes.push({ method: req.method, path, body });
        res.writeHead(200).end();
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    pushes,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
