/** Public read-only status routes: health, info, config, p2p status, metrics. */
import type { FastifyInstance } from "fastify";
import { WavsError } from "../internal/index.js";
import type { Metrics } from "../metrics/index.js";
import type { NodeApi } from "./node-api.js";
import { documented, errors } from "./schemas.js";

const TAGS = ["status"];

/** Per-chain health as WAVS writes it: `"healthy"` or `{"unhealthy": {"error": "..."}}`. */
export type ChainHealthJson = "healthy" | { unhealthy: { error: string } };

/** Render the node's health report; `healthy` is false when any chain is unhealthy. */
export function healthJson(
  report: Record<string, { ok: true } | { ok: false; error: string }>,
  now: Date = new Date(),
): { body: { timestamp: number; chains: Record<string, ChainHealthJson> }; healthy: boolean } {
  // A Map keeps user-chosen chain keys such as `__proto__` away from Object.prototype.
  const chains = new Map<string, ChainHealthJson>();
  for (const [chain, health] of Object.entries(report)) {
    chains.set(chain, health.ok ? "healthy" : { unhealthy: { error: health.error } });
  }
  return {
    // Unix seconds, as the reference writes it.
    body: { timestamp: Math.floor(now.getTime() / 1000), chains: Object.fromEntries(chains) },
    healthy: [...chains.values()].every((h) => h === "healthy"),
  };
}

/** What GET /chains answers: one entry per watched chain. */
const triggerStreamsSchema = {
  type: "object",
  properties: {
    chains: {
      type: "array",
      items: {
        type: "object",
        properties: {
          chain: { type: "string" },
          mode: { type: "string", description: "how heads arrive: websocket or http polling" },
          healthy: { type: "boolean" },
          error: { type: ["string", "null"] },
          head: { type: ["integer", "null"], description: "latest head seen" },
          cursor: { type: ["integer", "null"], description: "last block fully processed" },
          lag: { type: ["integer", "null"], description: "blocks between head and cursor" },
        },
      },
    },
  },
} as const;

/** The window and bucket of GET /stats/executions, checked. */
export function parseStatsWindow(query: { window_s?: string; bucket_s?: string }): {
  windowS: number;
  bucketS: number;
} {
  const windowS = query.window_s === undefined ? 3600 : Number(query.window_s);
  const bucketS = query.bucket_s === undefined ? 60 : Number(query.bucket_s);
  const problem =
    windowS < 1 || windowS > 7 * 86_400
      ? "query parameter window_s: must be 1 - 604800 seconds"
      : bucketS < 1
        ? "query parameter bucket_s: must be at least 1 second"
        : windowS / bucketS > 1000
          ? `query parameter bucket_s: ${windowS} s in buckets of ${bucketS} s is over 1,000 buckets`
          : undefined;
  if (problem) {
    throw new WavsError("WAVS_ERR_INPUT_INVALID", problem, {
      hint: "Pick a window of at most 7 days and a bucket of at least window/1000 seconds.",
    });
  }
  return { windowS, bucketS };
}

/** Register the status routes. */
export function statusRoutes(
  app: FastifyInstance,
  deps: { api: NodeApi; metrics: Metrics; redactedConfig: () => unknown },
): void {
  const { api, metrics } = deps;
  const healthBody = {
    type: "object",
    properties: {
      timestamp: { type: "integer", description: "Unix seconds" },
      chains: {
        type: "object",
        description: 'chain key -> "healthy" or {"unhealthy": {"error": "..."}}',
        additionalProperties: true,
      },
    },
  };

  app.get(
    "/health",
    {
      schema: documented({
        tags: TAGS,
        summary: "Health of every configured chain (503 when any is unhealthy)",
        response: {
          200: { description: "Every chain is healthy.", ...healthBody },
          503: { description: "At least one chain is unhealthy.", ...healthBody },
        },
      }),
    },
    async (_request, reply) => {
      const { body, healthy } = healthJson(await api.health());
      return reply.code(healthy ? 200 : 503).send(body);
    },
  );

  app.get(
    "/info",
    {
      schema: documented({
        tags: TAGS,
        summary: "Node version, operator address and per-service signing addresses",
        response: {
          200: {
            type: "object",
            properties: {
              version: { type: "string" },
              started_at: {
                type: "integer",
                description: "Ours: when the node started (ms since the Unix epoch)",
              },
              uptime_s: { type: "integer", description: "Ours: seconds since the node started" },
              dashboard_peers: {
                type: "array",
                items: { type: "string" },
                description:
                  "Ours: other operators' HTTP API URLs the dashboard shows (config dashboard_peers)",
              },
              operator_address: { type: ["string", "null"] },
              services: {
                type: "array",
                items: {
                  type: "object",
                  properties: { service_id: { type: "string" }, signer: { type: "string" } },
                },
              },
              engine: {
                type: "object",
                description:
                  "Ours: engine worker threads, and components still loading ahead of their first run (0 when every uploaded component is ready in every worker)",
                properties: {
                  workers: { type: "integer" },
                  components_warming: { type: "integer" },
                },
              },
              crypto: {
                type: "object",
                description:
                  "Ours: which implementations sign, recover signers and hash (keccak-256): `native` addons, or `js` where the platform has no build of them (several times slower per event)",
                properties: {
                  secp256k1: { type: "string", enum: ["native", "js"] },
                  keccak: { type: "string", enum: ["native", "js"] },
                },
              },
            },
          },
        },
      }),
    },
    async () => {
      const info = await api.info();
      return {
        version: info.version,
        started_at: info.startedAt,
        uptime_s: Math.floor((Date.now() - info.startedAt) / 1000),
        dashboard_peers: info.dashboardPeers,
        operator_address: info.operatorAddress,
        services: info.services.map((s) => ({ service_id: s.serviceId, signer: s.signer })),
        engine: { workers: info.engine.workers, components_warming: info.engine.warming },
        crypto: info.crypto,
      };
    },
  );

  app.get(
    "/chains",
    {
      schema: documented({
        tags: TAGS,
        summary:
          "Ours: every watched chain: how heads arrive (WebSocket or HTTP polling), endpoint health, head, cursor and lag",
        response: { 200: triggerStreamsSchema },
      }),
    },
    async () => ({ chains: await api.triggerStreams() }),
  );

  app.get<{ Querystring: { window_s?: string; bucket_s?: string } }>(
    "/stats/executions",
    {
      schema: documented({
        tags: TAGS,
        summary:
          "Ours: finished executions over time (per bucket: succeeded, failed, average duration) and per service",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            window_s: {
              type: "string",
              pattern: "^[0-9]+$",
              description: "seconds back from now (default 3600, at most 7 days)",
            },
            bucket_s: {
              type: "string",
              pattern: "^[0-9]+$",
              description: "bucket length in seconds (default 60; at most 1,000 buckets)",
            },
          },
        },
        response: { 200: { type: "object", additionalProperties: true }, 400: errors[400] },
      }),
    },
    async (request) => api.executionStats(parseStatsWindow(request.query)),
  );

  app.get(
    "/config",
    {
      schema: documented({
        tags: TAGS,
        summary: "The effective configuration, every secret redacted",
        response: { 200: { type: "object", additionalProperties: true } },
      }),
    },
    async () => deps.redactedConfig(),
  );

  app.get(
    "/p2p/status",
    {
      schema: documented({
        tags: TAGS,
        summary: "P2P: enabled, peer id, listen addresses, connected peers, topics",
        response: { 200: { type: "object", additionalProperties: true } },
      }),
    },
    async () => api.p2pStatus(),
  );

  app.get(
    "/metrics",
    {
      schema: documented({
        tags: TAGS,
        summary: "Prometheus metrics (text exposition format)",
        produces: ["text/plain"],
        response: { 200: { type: "string", description: "Prometheus text format" } },
      }),
    },
    async (_request, reply) => {
      const text = await metrics.text();
      return reply.type(metrics.contentType).send(text);
    },
  );
}
