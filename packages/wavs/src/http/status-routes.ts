/** Public read-only status routes: health, info, config, p2p status, metrics. */
import type { FastifyInstance } from "fastify";
import type { Metrics } from "../internal/index.js";
import type { NodeApi } from "./node-api.js";
import { documented } from "./schemas.js";

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
            },
          },
        },
      }),
    },
    async () => {
      const info = await api.info();
      return {
        version: info.version,
        operator_address: info.operatorAddress,
        services: info.services.map((s) => ({ service_id: s.serviceId, signer: s.signer })),
        engine: { workers: info.engine.workers, components_warming: info.engine.warming },
      };
    },
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
