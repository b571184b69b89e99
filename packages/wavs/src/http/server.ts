/**
 * The node's HTTP API (docs/http-api.md): fastify with one error handler, bearer auth on
 * mutating routes, CORS, metrics, an OpenAPI document and Swagger UI. The server holds no state
 * of its own; every route calls the NodeApi.
 */
import type { AddressInfo } from "node:net";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { WavsConfig } from "../config/index.js";
import type { Logger } from "../internal/index.js";
import type { Metrics } from "../metrics/index.js";
import { installBearerAuth } from "./auth.js";
import { installCors } from "./cors.js";
import { dashboardRoutes, loadDashboardAssets } from "./dashboard-routes.js";
import { devInspectRoutes } from "./dev-inspect-routes.js";
import { devRoutes } from "./dev-routes.js";
import { registerDocsRoutes, registerOpenApi } from "./docs-routes.js";
import { installErrorHandlers } from "./errors.js";
import { historyRoutes } from "./history-routes.js";
import type { NodeApi } from "./node-api.js";
import { clientErrorHandler, frameworkErrorHandler } from "./protocol-errors.js";
import { servicesRoutes } from "./services-routes.js";
import { statusRoutes } from "./status-routes.js";

/** The config fields the HTTP server reads. */
export interface HttpServerConfig {
  host: string;
  /** 0 picks a free port; `start()` reports the real one. */
  port: number;
  bearerToken?: string | undefined;
  devEndpointsEnabled: boolean;
  maxBodySizeMb: number;
  corsAllowedOrigins: readonly string[];
  /** Other nodes' API URLs the dashboard reads (config `dashboard_peers`). */
  dashboardPeers?: readonly string[];
}

/** The HTTP fields of the node's config. */
export function httpServerConfig(config: WavsConfig): HttpServerConfig {
  return {
    host: config.host,
    port: config.port,
    bearerToken: config.bearer_token,
    devEndpointsEnabled: config.dev_endpoints_enabled,
    maxBodySizeMb: config.max_body_size_mb,
    corsAllowedOrigins: config.cors_allowed_origins,
    dashboardPeers: config.dashboard_peers,
  };
}

/** What `createHttpServer` needs. */
export interface HttpServerOptions {
  api: NodeApi;
  logger: Logger;
  config: HttpServerConfig;
  /** The effective config with every secret redacted, served at GET /config. */
  redactedConfig: () => unknown;
  metrics: Metrics;
  /** The dashboard's assets; default: read from the built dashboard package (null: none). */
  dashboardAssets?: ReturnType<typeof loadDashboardAssets> | null;
  /** Node version shown in the OpenAPI document. */
  version?: string;
}

/** Where a started server listens. */
export interface HttpAddress {
  host: string;
  port: number;
  /** Base URL, e.g. `http://127.0.0.1:8000`. */
  url: string;
}

/** The HTTP API server with its start/stop lifecycle. */
export interface HttpServer {
  /** The fastify instance (for `inject` in tests and for adding routes before `start`). */
  readonly app: FastifyInstance;
  /** Listen on the configured host and port. */
  start(): Promise<HttpAddress>;
  /** Stop accepting connections and wait for in-flight requests. */
  stop(): Promise<void>;
}

/** Build the HTTP API server; call `start()` to listen. */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const { api, config, metrics } = options;
  const logger = options.logger.child({ subsystem: "http" });
  const bodyLimitMb = config.maxBodySizeMb;
  const app = Fastify({
    // Typed as fastify's base logger so route modules take a plain FastifyInstance.
    loggerInstance: logger as FastifyBaseLogger,
    // Request lines are logged at debug by our own hook; fastify's would log each at info.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: Math.floor(bodyLimitMb * 1024 * 1024),
    // errors below the routes answer in our shape too (protocol-errors.ts)
    frameworkErrors: frameworkErrorHandler(logger),
    clientErrorHandler: clientErrorHandler(logger),
    ajv: {
      customOptions: {
        // JSON bodies stay strict: no "5" -> 5 or "true" -> true, and unknown fields are
        // reported rather than silently dropped. `verbose` keeps the offending value for messages.
        coerceTypes: false,
        removeAdditional: false,
        useDefaults: true,
        allErrors: false,
        verbose: true,
      },
    },
  });

  // Response schemas document the routes; JSON.stringify serialises, so no field a schema does
  // not list is ever dropped from a Service JSON or a node answer.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // JSON routes take JSON only: fastify would otherwise hand them text/plain bodies as strings
  // (a misleading 400 instead of 415). The routes that take bytes add their own parser.
  app.removeContentTypeParser("text/plain");
  installErrorHandlers(app, {
    logger,
    metrics,
    bodyLimitMb,
    devEndpointsEnabled: config.devEndpointsEnabled,
  });
  installCors(app, config.corsAllowedOrigins);
  installBearerAuth(app, config.bearerToken);
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "(unmatched)";
    metrics.httpRequest({ method: request.method, route, status: reply.statusCode });
    logger.debug(
      {
        reqId: request.id,
        method: request.method,
        route,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      "request",
    );
  });

  // The OpenAPI generator records routes as they are added, so it is registered first.
  registerOpenApi(app, options.version ?? "dev");
  app.register(async (scope) => {
    servicesRoutes(scope, api);
    historyRoutes(scope, api);
    statusRoutes(scope, { api, metrics, redactedConfig: options.redactedConfig });
    if (config.devEndpointsEnabled) {
      devRoutes(scope, api);
      devInspectRoutes(scope, api);
    }
    registerDocsRoutes(scope);
    dashboardRoutes(scope, {
      assets:
        options.dashboardAssets === undefined
          ? loadDashboardAssets()
          : (options.dashboardAssets ?? undefined),
      connectSrc: config.dashboardPeers ?? [],
    });
  });

  return {
    app,
    async start() {
      await app.listen({ host: config.host, port: config.port });
      const address = app.server.address() as AddressInfo;
      const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
      const url = `http://${host}:${address.port}`;
      logger.info({ url, auth: config.bearerToken !== undefined }, "HTTP API listening");
      return { host: address.address, port: address.port, url };
    },
    async stop() {
      await app.close();
    },
  };
}
