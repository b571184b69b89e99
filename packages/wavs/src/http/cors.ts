/**
 * CORS for browser clients (dashboards) on the origins listed in `cors_allowed_origins`
 * (`*` allows any). With an empty list no CORS headers are sent, so browsers keep the
 * same-origin rule.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

const ALLOWED_METHODS = "GET, HEAD, POST, DELETE, OPTIONS";
const ALLOWED_HEADERS = "authorization, content-type";
const PREFLIGHT_MAX_AGE_S = "600";

/** The Access-Control-Allow-Origin value for `origin`, or undefined when it is not allowed. */
export function allowedOrigin(
  origin: string | undefined,
  allowed: readonly string[],
): string | undefined {
  if (origin === undefined) return undefined;
  if (allowed.includes("*")) return "*";
  return allowed.includes(origin) ? origin : undefined;
}

/** Answer preflights and add CORS headers for allowed origins; runs before auth. */
export function installCors(app: FastifyInstance, allowed: readonly string[]): void {
  if (allowed.length === 0) return;
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = allowedOrigin(request.headers.origin, allowed);
    if (origin === undefined) return;
    reply.header("access-control-allow-origin", origin);
    if (origin !== "*") reply.header("vary", "Origin");
    const isPreflight =
      request.method === "OPTIONS" &&
      request.headers["access-control-request-method"] !== undefined;
    if (!isPreflight) return;
    return reply
      .code(204)
      .header("access-control-allow-methods", ALLOWED_METHODS)
      .header("access-control-allow-headers", ALLOWED_HEADERS)
      .header("access-control-max-age", PREFLIGHT_MAX_AGE_S)
      .send();
  });
}
