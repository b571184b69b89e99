/**
 * The OpenAPI document (GET /openapi.json) and Swagger UI (/docs). The document is generated
 * from the route schemas, so every route is listed as soon as it is registered.
 */
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { documented } from "./schemas.js";

/** Register the OpenAPI generator. Must run before any documented route is registered. */
export function registerOpenApi(app: FastifyInstance, version: string): void {
  app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "WAVS operator node API",
        version,
        description:
          'Errors are JSON {"error": {"code", "message", "hint"?}} with stable WAVS_ERR_* codes (docs/errors.md). Mutating routes need `Authorization: Bearer <token>` when the node has a bearer_token.',
      },
      tags: [
        { name: "services", description: "Registered services" },
        { name: "history", description: "Recent executions and submissions" },
        { name: "status", description: "Health, info, config, metrics" },
        { name: "dev", description: "Only when dev_endpoints_enabled is true" },
      ],
      components: {
        securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } },
      },
    },
  });
}

/** Register GET /openapi.json and the Swagger UI under /docs (and WAVS's paths for both). */
export function registerDocsRoutes(app: FastifyInstance): void {
  app.get("/openapi.json", { schema: documented({ hide: true }) }, async () => app.swagger());
  // WAVS's paths for the same document and page
  app.get("/api-docs/openapi.json", { schema: documented({ hide: true }) }, async () =>
    app.swagger(),
  );
  app.get("/swagger-ui", { schema: documented({ hide: true }) }, (_request, reply) =>
    reply.redirect("/docs", 302),
  );
  // No staticCSP: its policy carries upgrade-insecure-requests, which breaks the page on the
  // plain-http localhost address the node listens on by default.
  app.register(swaggerUi, { routePrefix: "/docs" });
}
